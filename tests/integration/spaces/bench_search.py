"""Search at scale: import 100,000 spaces into a scratch database, time searches, EXPLAIN them.

    CS_DB_PREFIX=cs_bench .venv/bin/python -m tests.integration.spaces.bench_search [count]

Not collected by pytest (its name does not start with ``test_``); run it by hand after
changing the search query or its indexes. It prints the import rate, each search's median
and p99 over repeated runs, and the EXPLAIN ANALYZE of each.
"""

import random
import statistics
import sys
import time
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from chassis import migrations
from chassis.db import UnitOfWork, make_engine
from chassis.settings import common
from services.spaces.adapters import search as search_query
from services.spaces.domain.catalogues import catalogues
from services.spaces.domain.search_filters import search_filters
from services.spaces.service_layer.imports import import_published

ADMIN = {"id": str(uuid.uuid4()), "role": "admin"}
SYLLABLES = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후"
WORDS_KO = ["마을", "작은", "도서관", "공방", "부엌", "책방", "쉼터", "놀이터", "사랑방", "모임", "햇살", "나눔"] + [
    a + b + c for a, b, c in zip(SYLLABLES, SYLLABLES[7:] + SYLLABLES[:7], SYLLABLES[13:] + SYLLABLES[:13], strict=True)
]
WORDS_EN = ["village", "small", "library", "workshop", "kitchen", "books", "shelter", "play", "commons", "sunny"] + [
    f"{a}{b}{c}ton" for a in "bcdfgk" for b in "aeiou" for c in "lmnr"
]
SEARCHES = {
    "no filters": {},
    "q=도서관": {"q": "도서관"},
    "q=서울 (every address)": {"q": "서울"},
    "q=mapo": {"q": "mapo"},
    "q=workshop": {"q": "workshop", "sort": "relevance"},
    "q=햇살 나눔 (rare)": {"q": "햇살 나눔"},
    "district=mapo": {"districts": ["mapo"]},
    "types+amenities": {"types": ["small_library", "shared_kitchen"], "amenities": ["wifi", "kitchen"]},
    "min_capacity=500 sort=capacity": {"min_capacity": 500, "sort": "capacity"},
    "near 2 km sort=distance": {"lat": 37.5551, "lng": 126.9014, "radius_m": 2000, "sort": "distance"},
    "near 50 km": {"lat": 37.5551, "lng": 126.9014, "radius_m": 50000},
    "open_at": {"open_at": "2026-05-06T19:30:00+09:00"},
    "open_at+district": {"open_at": "2026-05-06T19:30:00+09:00", "districts": ["gangnam", "songpa"]},
    "everything": {
        "q": "마을",
        "districts": ["mapo", "jongno"],
        "types": ["small_library"],
        "amenities": ["wifi"],
        "min_capacity": 10,
        "open_at": "2026-05-06T10:00:00+09:00",
        "lat": 37.56,
        "lng": 126.95,
        "radius_m": 10000,
        "sort": "distance",
    },
    "page 50": {"page": 50, "page_size": 100},
}


def fake_space(n: int, rng: random.Random) -> dict:
    cat = catalogues()
    district = rng.choice(cat.entries["districts"])
    words_ko, words_en = rng.sample(WORDS_KO, 2), rng.sample(WORDS_EN, 2)
    hours = [
        {"weekday": d, "opens": f"{rng.choice([8, 9, 10]):02d}:00", "closes": f"{rng.choice([18, 20, 22]):02d}:00"}
        for d in range(1, 8)
        if rng.random() < 0.8
    ]
    return {
        "external_ref": f"bench-{n}",
        "operators": [str(uuid.uuid4())],
        "name_ko": f"{district['name_ko']} {' '.join(words_ko)} {n}",
        "name_en": f"{' '.join(words_en).title()} {n}",
        "description_ko": " ".join(rng.choices(WORDS_KO, k=20)),
        "description_en": " ".join(rng.choices(WORDS_EN, k=20)),
        "address_ko": f"서울특별시 {district['name_ko']} {rng.randint(1, 300)}",
        "address_en": f"{rng.randint(1, 300)} Street, {district['name_en']}",
        "types": rng.sample(cat.codes["space_types"], rng.randint(1, 3)),
        "district": district["code"],
        "lat": district["center"]["lat"] + rng.uniform(-0.03, 0.03),
        "lng": district["center"]["lng"] + rng.uniform(-0.03, 0.03),
        "capacity": rng.randint(1, 1000),
        "amenities": rng.sample(cat.codes["amenities"], rng.randint(0, 6)),
        "opening_hours": hours,
        "closures": [{"starts_at": "2026-05-06T00:00", "ends_at": "2026-05-07T00:00", "reason": "Holiday"}]
        if rng.random() < 0.1
        else [],
    }


def fill(sessions, count: int) -> None:
    rng = random.Random(7)
    started = time.perf_counter()
    for first in range(0, count, 1000):
        with UnitOfWork(sessions, "spaces") as uow:
            import_published(uow, ADMIN, [fake_space(n, rng) for n in range(first, min(first + 1000, count))])
    print(f"imported {count} in {time.perf_counter() - started:.1f} s")


def time_searches(sessions, runs: int = 50) -> None:
    for label, raw in SEARCHES.items():
        filters, times = search_filters(raw), []
        for _ in range(runs):
            with UnitOfWork(sessions, "spaces") as uow:
                started = time.perf_counter()
                answer = search_query.search(uow.session, filters)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(
            f"{label:34} total={answer['total']:6}  median {statistics.median(times):6.1f} ms"
            f"  p99 {times[int(len(times) * 0.99) - 1]:6.1f} ms"
        )


def explain(engine, label: str) -> None:
    captured = {}

    def capture(conn, cursor, statement, params, context, executemany):
        captured.update(statement=statement, params=params)

    filters = search_filters(SEARCHES[label])
    sa.event.listen(engine, "before_cursor_execute", capture)
    with UnitOfWork(sessionmaker(engine), "spaces") as uow:
        search_query.search(uow.session, filters)
    sa.event.remove(engine, "before_cursor_execute", capture)
    with engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + captured["statement"], captured["params"])
        print(f"--- {label}\n" + "\n".join(row[0] for row in plan))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = common().database_url("spaces")
    migrations.upgrade("spaces", url)
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with engine.connect() as conn:
        present = conn.scalar(sa.text("SELECT count(*) FROM spaces"))
    if present < count:
        fill(sessions, count)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    time_searches(sessions)
    for label in sys.argv[2:]:
        explain(engine, label)


if __name__ == "__main__":
    main()
