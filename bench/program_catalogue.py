"""What the programs benchmark makes and asks: 5,000 programs that never collide, and residents' searches.

``plan_programs`` gives every program of a space a weekly hour of its own (each publish
blocks its sessions' times in the reservations service, and a collision would refuse
it); ``program_data`` is what ``create`` takes for a plan; ``search_mix`` is the
deterministic mix of searches the steady run offers.
"""

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

SEOUL = timezone(timedelta(hours=9))
# Tuesday to Friday, 14:00–17:00 in Seoul: inside every opening-hours pattern of the demo spaces.
WEEKLY_HOURS = [(weekday, hour) for weekday in (2, 3, 4, 5) for hour in (14, 15, 16)]
WEEKS = 10  # the first sessions spread over this many weeks
TITLES = [  # (Korean, English, category)
    ("그림책 읽기 모임", "Picture-book club", "club"),
    ("목공 공방 체험", "Woodworking workshop", "workshop"),
    ("스마트폰 활용 교실", "Smartphone class", "lecture"),
    ("마을 사진 전시", "Neighbourhood photo exhibition", "exhibition"),
    ("요가와 명상", "Yoga and meditation", "workshop"),
    ("어린이 코딩 교실", "Coding for children", "lecture"),
    ("텃밭 가꾸기 모임", "Community gardening club", "club"),
    ("공유부엌 요리 교실", "Shared-kitchen cooking class", "workshop"),
    ("동네 역사 탐방", "Local history walk", "visit"),
    ("보드게임 모임", "Board-game evening", "club"),
    ("생활 법률 강좌", "Everyday law talk", "lecture"),
    ("수채화 그리기", "Watercolour painting", "workshop"),
    ("작은 음악회", "Small concert", "other"),
]
WORDS = ["그림", "요리", "코딩", "명상", "공방", "전시", "모임", "교실", "탐방", "텃밭", "음악", "도서"]
CATEGORIES = sorted({category for _, _, category in TITLES})
AUDIENCES = ["all", "children", "youth", "adults", "seniors"]
DISTRICTS = [d["code"] for d in json.loads(Path("services/spaces/catalogue/districts.json").read_text())]


@dataclass(frozen=True)
class Plan:
    """One program to create: which space (an index), its weekly hour, its weeks, its window."""

    space: int
    weekday: int
    hour: int
    first_date: date
    count: int
    open_now: bool
    title: int


def first_monday(today: date) -> date:
    """The Monday at least eight days ahead: every window can close before its first session."""
    day = today + timedelta(days=8)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def plan_programs(spaces: int, programs: int, today: date) -> list[Plan]:
    """Program k goes to space ``k % spaces`` at weekly hour ``k // spaces``.

    No two programs of a space share a weekly hour, and each runs only at its own hour,
    so no two sessions at a space overlap, whichever weeks they fall in: no publish is
    refused for a slot another program has taken.
    """
    if spaces * len(WEEKLY_HOURS) < programs:
        raise ValueError(f"{programs} programs need at least {-(-programs // len(WEEKLY_HOURS))} spaces")
    monday = first_monday(today)
    plans = []
    for k in range(programs):
        weekday, hour = WEEKLY_HOURS[k // spaces]
        plans.append(
            Plan(k % spaces, weekday, hour, monday + timedelta(weeks=k % WEEKS), 1 + k % 4, k % 4 != 3, k % len(TITLES))
        )
    return plans


def program_data(plan: Plan, space_id: str, now: datetime, capacity: int, n: int) -> dict:
    """What ``create`` takes for ``plan``: a weekly pattern, a window that closes the day of the first week."""
    title_ko, title_en, category = TITLES[plan.title]
    closes = datetime.combine(plan.first_date, datetime.min.time(), SEOUL)
    opens = now - timedelta(days=1) if plan.open_now else now + timedelta(days=1)
    return {
        "space_id": space_id,
        "title_ko": f"{title_ko} {n}기",
        "title_en": f"{title_en} #{n}",
        "description_ko": f"{title_ko}: 누구나 함께해요.",
        "description_en": f"{title_en}: everyone is welcome.",
        "category": category,
        "audience": AUDIENCES[n % len(AUDIENCES)],
        "capacity": capacity,
        "selection": "first_come",
        "application_opens": opens.isoformat(),
        "application_closes": closes.isoformat(),
        "sessions": {
            "weekday": plan.weekday,
            "start_time": f"{plan.hour:02d}:00",
            "end_time": f"{plan.hour + 1:02d}:00",
            "first_date": plan.first_date.isoformat(),
            "count": plan.count,
        },
    }


def search_mix(today: date, seed: int = 11, count: int = 20000) -> list[tuple[str, str]]:
    """A deterministic mix of residents' searches: (kind, query string)."""
    rng = random.Random(seed)
    monday = first_monday(today)
    mix = []
    for _ in range(count):
        params: dict[str, object]
        roll = rng.random()
        if roll < 0.25:
            kind, params = "q (Korean part of a word)", {"q": rng.choice(WORDS)}
        elif roll < 0.45:
            kind, params = "district", {"district": [rng.choice(DISTRICTS)]}
            if rng.random() < 0.5:
                params["category"] = [rng.choice(CATEGORIES)]
        elif roll < 0.60:
            kind, params = "category", {"category": [rng.choice(CATEGORIES)]}
        elif roll < 0.72:
            kind, params = "open=true", {"open": "true", "district": [rng.choice(DISTRICTS)]}
        elif roll < 0.82:
            kind, params = "places_left=true", {"places_left": "true", "category": [rng.choice(CATEGORIES)]}
        elif roll < 0.92:
            start = datetime.combine(monday + timedelta(weeks=rng.randrange(WEEKS)), datetime.min.time(), SEOUL)
            kind, params = (
                "from/to (a week)",
                {"from": start.isoformat(), "to": (start + timedelta(days=7)).isoformat()},
            )
        else:
            kind, params = "paging", {"page": rng.randint(1, 10)}
        mix.append((kind, urlencode(params, doseq=True)))
    return mix
