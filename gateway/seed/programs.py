"""Demo programs: published at the demo operators' spaces, as those operators, with applications.

``seed_programs(rpc, operators, citizens)`` places each program of ``CATALOGUE`` at one of
its operator's published spaces (program ``j`` goes to operator ``j % n``, a different
district for each of the operator's programs), on a weekly slot inside the space's
opening hours. One weekday per program at a space keeps the seed's own programs apart;
a slot taken by someone else (a ``Conflict`` on publish) moves the draft to the next
weekday, and after ``TRIES`` the program is cancelled and counted as skipped.

Re-runnable: an operator's program whose English title is published (or being published)
is left alone; a draft left by an interrupted run is cancelled and made again, and one
that has finished or was cancelled is made again. The demo citizens apply only to
programs made in this run, with fixed Idempotency-Keys.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chassis.errors import Conflict, DomainError, Invalid, Unavailable

LOTTERY_SECONDS = 30.0  # the lottery's window closes this long after it is made; the service then draws it
TRIES = 3
LEAD_DAYS = 7  # the first sessions are a week away: the windows stay open until the day before
FREE = "무료 / Free"
KEYS = uuid.UUID("5e3d0c1e-7a4b-4c55-9a0d-2f6b1c9e8a01")


@dataclass(frozen=True)
class Template:
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str
    category: str
    audience: str
    days: tuple[int, ...]  # preferred ISO weekdays
    start: str  # preferred local start, HH:MM
    minutes: int
    weeks: int
    capacity: int
    applicants: tuple[int, ...] = ()  # party sizes of the demo citizens who apply, in order
    companions: int = 0
    selection: str = "first_come"
    fee_note: str = FREE


def _fee(won: int) -> str:
    return f"재료비 {won:,}원 / Materials {won:,} won"


T = Template
# fmt: off
CATALOGUE = [  # the lottery first: its window is short; full and wait-listed ones early, so reruns keep them
    T("도자기 원데이 클래스 (추첨)", "Pottery one-day class (by lottery)",
      "물레 없이 손으로 빚는 작은 그릇. 자리가 적어 추첨합니다.",
      "Hand-built small bowls, no wheel needed. Few places, so we draw lots.",
      "workshop", "adults", (6, 7), "14:00", 150, 1, 3, (1, 1, 1, 1, 1), selection="lottery", fee_note=_fee(15_000)),
    T("그림책 읽기 모임", "Picture-book club",
      "아이와 보호자가 함께 그림책을 읽고 이야기를 나눠요.",
      "Children and a grown-up read picture books together and talk about them.",
      "club", "children", (6, 3), "10:30", 90, 6, 4, (2, 2, 1), companions=1),
    T("어르신 스마트폰 교실", "Smartphone class for seniors",
      "영상통화, 사진 보내기, 버스 도착 정보 보기를 천천히 배워요.",
      "Video calls, sending photos and bus arrival times, learnt at an easy pace.",
      "lecture", "seniors", (2, 4), "10:00", 90, 4, 5, (1, 1, 1, 1, 1)),
    T("동네 목공 워크숍", "Neighbourhood woodworking workshop",
      "작은 선반을 직접 만들어 가져가요. 공구 사용법부터 배웁니다.",
      "Make a small shelf to take home, starting with how to use the tools.",
      "workshop", "adults", (6, 7, 3), "14:00", 150, 3, 3, (1, 1, 1, 1, 1), fee_note=_fee(20_000)),
    T("가족 요리 교실", "Family cooking class",
      "제철 채소로 온 가족이 함께 한 끼를 만들어요.",
      "The whole family cooks a meal from seasonal vegetables.",
      "workshop", "all", (6, 7), "11:00", 120, 2, 6, (3, 2, 1), companions=2,
      fee_note="재료비 가족당 10,000원 / Materials 10,000 won a family"),
    T("청소년 코딩 동아리", "Youth coding club",
      "스크래치와 파이썬으로 작은 게임을 만들어요. 노트북 대여 가능.",
      "Small games in Scratch and Python. Laptops can be borrowed.",
      "club", "youth", (3, 5), "16:00", 120, 8, 4, (1, 1, 1, 1, 1)),
    T("천연 비누 만들기", "Natural soap making",
      "천연 재료로 선물용 비누를 만들어요.",
      "Make soap from natural ingredients, wrapped as a gift.",
      "workshop", "adults", (4, 2), "19:00", 120, 1, 4, (2, 2), companions=1, fee_note=_fee(12_000)),
    T("마을 역사 사진전", "Neighbourhood history photo exhibition",
      "주민들이 모은 옛 사진으로 보는 우리 동네 50년.",
      "Fifty years of the neighbourhood in old photos lent by residents.",
      "exhibition", "all", (4, 5, 6), "11:00", 180, 4, 40, (1,)),
    T("골목길 걷기 탐방", "Neighbourhood visit: a walk through the alleys",
      "마을 해설사와 함께 골목과 오래된 가게를 걸어요.",
      "A local guide walks you through alleys and old shops.",
      "visit", "adults", (6,), "10:00", 120, 3, 15, (2, 1), companions=1),
    T("영어 그림책 읽어주기", "English picture books read aloud",
      "원어민 자원봉사자가 영어 그림책을 읽어줘요.",
      "A volunteer reads English picture books aloud.",
      "club", "children", (3, 6), "16:00", 60, 6, 12, (2,), companions=1),
    T("퇴근 후 글쓰기 모임", "After-work writing circle",
      "짧은 글을 쓰고 서로 읽어주는 저녁 모임.",
      "An evening circle: write something short, read it to each other.",
      "club", "adults", (2, 4), "19:30", 120, 6, 10, (1, 1)),
    T("우리 동네 기후 강연", "A talk on climate and our neighbourhood",
      "폭염과 집중호우에 동네가 함께 대비하는 방법.",
      "How a neighbourhood prepares together for heatwaves and downpours.",
      "lecture", "all", (5, 4), "19:00", 90, 1, 30, (1,)),
    T("어르신 건강 체조", "Gentle exercise for seniors",
      "의자에 앉아서도 할 수 있는 스트레칭과 근력 운동.",
      "Stretching and strength exercises, many done sitting down.",
      "club", "seniors", (1, 3, 5), "10:00", 60, 8, 15),
    T("초등 과학 실험 교실", "Science experiments for primary pupils",
      "부엌 재료로 하는 신기한 과학 실험.",
      "Surprising experiments with things from the kitchen.",
      "workshop", "children", (6,), "14:00", 90, 4, 10, (2, 2), companions=1),
    T("업사이클링 공방", "Upcycling workshop",
      "안 쓰는 옷과 병으로 생활 소품을 만들어요.",
      "Turn old clothes and bottles into things you will use.",
      "workshop", "all", (7, 6), "13:00", 120, 2, 12, (1,)),
    T("보드게임 동아리", "Board-game club",
      "전략 게임부터 협력 게임까지, 매주 새 게임을 배워요.",
      "A new game every week, from strategy to cooperative games.",
      "club", "youth", (5, 6), "17:00", 120, 6, 12, (1, 1, 1)),
    T("작은도서관 견학", "Visit to a small library",
      "책이 어떻게 빌려지고 정리되는지 도서관 뒤편을 둘러봐요.",
      "Behind the shelves: how books are lent and put back.",
      "visit", "children", (3, 4), "10:00", 60, 2, 20, companions=1),
    T("중장년 재무 설계 강좌", "Money planning for midlife",
      "연금, 보험, 노후 자금을 쉽게 정리해 드려요.",
      "Pensions, insurance and savings for later life, made plain.",
      "lecture", "adults", (2,), "19:00", 120, 3, 25, (1,)),
    T("수채화 기초반", "Watercolour for beginners",
      "붓 잡는 법부터 동네 풍경 그리기까지.",
      "From holding the brush to painting the street outside.",
      "workshop", "adults", (4, 6), "14:00", 120, 6, 8, (1, 1), fee_note=_fee(5_000)),
    T("청소년 진로 멘토링", "Career mentoring for teens",
      "여러 직업의 선배들이 일 이야기를 들려줘요.",
      "People from many trades talk about their work.",
      "lecture", "youth", (5, 3), "17:00", 90, 4, 15),
    T("동네 화가 작품전", "Local painters' exhibition",
      "이웃 화가들의 그림을 감상하고 작가와 이야기해요.",
      "See your neighbours' paintings and talk with the painters.",
      "exhibition", "all", (6, 7), "11:00", 180, 2, 50),
    T("어르신 자서전 쓰기", "Writing your life story (for seniors)",
      "한 주에 한 장씩, 나의 이야기를 책으로 엮어요.",
      "A chapter a week, bound into a book of your own.",
      "workshop", "seniors", (2,), "14:00", 120, 6, 8, (1,)),
    T("반려식물 돌보기", "Caring for houseplants",
      "물 주기, 분갈이, 겨울나기를 배워요.",
      "Watering, repotting and getting plants through winter.",
      "lecture", "adults", (6,), "15:00", 90, 1, 16, (1, 1)),
    T("마을 텃밭 견학", "Visit to the community garden",
      "겨울 텃밭과 퇴비 만들기를 둘러봐요.",
      "The garden in winter, and how the compost is made.",
      "visit", "all", (6,), "10:00", 90, 1, 20, (3,), companions=2),
    T("엄마 아빠 육아 수다방", "Parents' chat circle",
      "아이 키우는 이웃과 차 한잔하며 고민을 나눠요.",
      "Tea and talk with other parents of young children.",
      "club", "adults", (3,), "10:30", 90, 4, 10, (2,), companions=1),
]
# fmt: on


@dataclass
class ProgramsResult:
    published: list[dict] = field(default_factory=list)  # operators' views of the programs made now
    already: int = 0
    skipped: list[str] = field(default_factory=list)  # titles, with why
    applications: int = 0


def seed_programs(rpc, operators: list[str], citizens: list[str], now: datetime | None = None) -> ProgramsResult:
    """Publish the catalogue's missing programs and apply the citizens; ``rpc.call`` errors pass through."""
    result = ProgramsResult()
    if not operators:
        return result
    spaces = {op: _spaces_of(rpc, op) for op in operators}
    if not any(spaces.values()):
        return result
    existing = {op: _programs_of(rpc, {"id": op, "role": "operator"}) for op in operators}
    used: set[tuple[str, int]] = set()  # (space id, weekday) taken by this run
    for j, template in enumerate(CATALOGUE):
        operator = operators[j % len(operators)]
        actor = {"id": operator, "role": "operator"}
        if _already_there(rpc, actor, existing[operator], template, result):
            continue
        space = _space_for(spaces[operator], j // len(operators))
        if space is None:
            result.skipped.append(f"{template.title_en} (its operator has no published space without closures)")
            continue
        program = _publish(rpc, actor, template, space, used, now or datetime.now(UTC), result)
        if program is not None:
            for citizen, party in zip(citizens, template.applicants, strict=False):
                _apply(rpc, citizen, program["id"], party, result)
            result.published.append(rpc.call("programs", "get_for_actor", actor, program["id"]))  # with the counts
    return result


def _spaces_of(rpc, operator: str) -> list[dict]:
    """The operator's published spaces without closures, by district then name (one page of 100 is plenty)."""
    page = rpc.call("spaces", "list_for_actor", {"id": operator, "role": "operator"}, "published", 1, 100)
    spaces = [s for s in page["items"] if not s.get("closures") and s.get("opening_hours")]
    return sorted(spaces, key=lambda s: (s["district"], s["name_en"], s["id"]))


def _space_for(spaces: list[dict], slot: int) -> dict | None:
    """The first space of the ``slot``-th district (wrapping round): each program of an operator elsewhere."""
    districts = sorted({s["district"] for s in spaces})
    if not districts:
        return None
    district = districts[slot % len(districts)]
    return next(s for s in spaces if s["district"] == district)


def _programs_of(rpc, actor: dict) -> list[dict]:
    items, page = [], 1
    while True:
        answer = rpc.call("programs", "list_for_actor", actor, {"page": page, "page_size": 100})
        items += answer["items"]
        if page * answer["page_size"] >= answer["total"]:
            return items
        page += 1


def _already_there(rpc, actor: dict, programs: list[dict], template: Template, result: ProgramsResult) -> bool:
    """True when the operator has it published or being published; a leftover draft is cancelled."""
    for program in programs:
        if program["title_en"] != template.title_en:
            continue
        if program["status"] == "published" or program["step"]:
            result.already += 1
            return True
        if program["status"] == "draft":
            rpc.call("programs", "cancel", actor, program["id"], "Replaced by a new run of the demo seed.")
    return False


def _publish(rpc, actor, template, space, used, now, result) -> dict | None:
    """Create the draft and publish it; a taken slot moves it to the next free weekday, up to ``TRIES``."""
    slots = [(day, start) for day, start in _slots(space, template) if (space["id"], day) not in used]
    draft, why = None, f"no free time at {space['name_en']}"
    for day, start in slots[:TRIES]:
        used.add((space["id"], day))
        data = _data(template, space, day, start, now)
        try:
            if draft is None:
                draft = rpc.call("programs", "create", actor, data)
            else:
                changes = {name: data[name] for name in ("sessions", "application_closes")}
                rpc.call("programs", "update", actor, draft["id"], changes)
            return rpc.call("programs", "publish", actor, draft["id"])
        except Conflict:
            continue  # the space's time is taken then: try another weekday
        except Unavailable:
            result.skipped.append(f"{template.title_en} (its publication completes by itself shortly)")
            return None
        except Invalid as exc:
            why = exc.detail
            break
    if draft is not None:
        rpc.call("programs", "cancel", actor, draft["id"], "The demo seed found no free time at the space.")
    result.skipped.append(f"{template.title_en} ({why})")
    return None


def _slots(space: dict, template: Template):
    """(weekday, minutes from midnight) inside the opening hours, one a day, the preferred days first.

    The preferred start if some open period of the day holds it, else an hour after a
    period opens, else as it opens.
    """
    days = [*template.days, *(d for d in range(1, 8) if d not in template.days)]
    preferred = _minutes(template.start)
    for day in days:
        periods = sorted(
            (_minutes(h["opens"]), min(_minutes(h["closes"]), 23 * 60 + 59))
            for h in space["opening_hours"]
            if h["weekday"] == day
        )
        starts = [preferred, *(s for opens, _ in periods for s in (opens + 60, opens))]
        fit = next((s for s in starts if any(o <= s <= c - template.minutes for o, c in periods)), None)
        if fit is not None:
            yield day, fit


def _data(template: Template, space: dict, day: int, start: int, now: datetime) -> dict:
    """The ``create`` data: weekly from a week on, applications open since an hour ago until the day before."""
    zone = ZoneInfo(space["timezone"])
    first_date = now.astimezone(zone).date() + timedelta(days=LEAD_DAYS)
    first_day = first_date + timedelta(days=(day - first_date.isoweekday()) % 7)
    if template.selection == "lottery":
        closes = now + timedelta(seconds=LOTTERY_SECONDS)
    else:
        closes = datetime.combine(first_day - timedelta(days=1), time(18, 0), zone)
    texts = ("title_ko", "title_en", "description_ko", "description_en", "category", "audience", "fee_note")
    return {
        "space_id": space["id"],
        **{name: getattr(template, name) for name in (*texts, "capacity", "companions", "selection")},
        "application_opens": (now - timedelta(hours=1)).isoformat(),
        "application_closes": closes.isoformat(),
        "sessions": {
            "weekday": day,
            "start_time": _clock(start),
            "end_time": _clock(start + template.minutes),
            "first_date": first_date.isoformat(),
            "count": template.weeks,
        },
    }


def _apply(rpc, citizen: str, program_id: str, party: int, result: ProgramsResult) -> None:
    key = str(uuid.uuid5(KEYS, f"{program_id}:{citizen}"))
    try:
        rpc.call("programs", "apply", {"id": citizen, "role": "citizen"}, program_id, {"party_size": party}, key)
        result.applications += 1
    except DomainError:
        pass  # already applied, or the lottery's window has just closed: the demo is still whole


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
