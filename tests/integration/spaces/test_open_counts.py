"""The segment counts that searches by ``open_at`` alone use stay equal to a live count.

After every kind of change to spaces, the counts of the segment holding a minute equal the
published spaces whose weekly hours hold that minute, per (district, types), in each time
zone: checked at every cut of the week, a minute either side of each, and at random minutes.
Closures are subtracted when a search runs; there the answer of ``open_at`` alone is
compared with the same search forced through the live count (``min_capacity=1`` matches
every space but counts them one by one).
"""

import random
import threading
import uuid

import pytest
import sqlalchemy as sa
from alembic import command

from chassis import migrations
from chassis.settings import common
from tests.unit.spaces.factories import space_data

WEEK = 7 * 1440
COUNTS = ("published_combos", "open_combos", "open_segments")
PROBES = random.Random(20260506)
MISMATCHES = """
    WITH probes AS (SELECT * FROM unnest(CAST(:zones AS text[]), CAST(:minutes AS integer[])) AS p(tz, minute)),
    counted AS (
        SELECT p.tz, p.minute, o.district, o.types, o.n FROM probes p
          JOIN open_combos o ON o.timezone = p.tz AND o.starts = (
               SELECT max(g.starts) FROM open_segments g WHERE g.timezone = p.tz AND g.starts <= p.minute)),
    live AS (
        SELECT p.tz, p.minute, s.district, s.types, count(*)::integer AS n FROM probes p
          JOIN spaces s ON s.timezone = p.tz AND s.status = 'published' AND s.weekly_hours @> p.minute
         GROUP BY 1, 2, 3, 4)
    (SELECT 'counted', * FROM counted EXCEPT ALL SELECT 'counted', * FROM live)
    UNION ALL
    (SELECT 'live', * FROM live EXCEPT ALL SELECT 'live', * FROM counted)
"""


def hours(days, opens, closes) -> list[dict]:
    return [{"weekday": day, "opens": opens, "closes": closes} for day in days]


def probes(conn) -> list[tuple[str, int]]:
    """Every cut of each zone's week, a minute either side of it, and 50 random minutes."""
    cuts = conn.execute(sa.text("SELECT timezone, starts FROM open_segments")).all()
    zones = {zone for zone, _ in cuts}
    near_cuts = {(zone, minute + step) for zone, minute in cuts for step in (-1, 0, 1)}
    randomly = {(zone, PROBES.randrange(WEEK)) for zone in zones for _ in range(50)}
    return sorted((zone, minute) for zone, minute in near_cuts | randomly if 0 <= minute < WEEK)


def mismatches(engine) -> list:
    """The (zone, minute, district, types) counts on which the segments and a live count disagree."""
    with engine.connect() as conn:
        probed = probes(conn)
        params = {"zones": [zone for zone, _ in probed], "minutes": [minute for _, minute in probed]}
        return conn.execute(sa.text(MISMATCHES), params).all()


def zones_counted(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(sa.text("SELECT DISTINCT timezone FROM open_combos")))


@pytest.fixture(scope="module")
def engine(database_url):
    engine = sa.create_engine(database_url("spaces"))
    yield engine
    engine.dispose()


def test_counts_follow_every_change_to_spaces(spaces, published, operator, admin, engine):
    seoul = published(district="jungnang", types=["youth_space"], opening_hours=hours([3], "07:15", "11:45"))
    berlin = published(
        district="jungnang",
        types=["club_room", "community_space"],
        timezone="Europe/Berlin",
        opening_hours=hours([7], "22:00", "24:00") + hours([1], "00:00", "01:30"),
    )
    # cuts within the hours of the two above: the segments they split carry counts over
    published(district="jungnang", types=["small_library"], opening_hours=hours([3], "09:10", "10:20"))
    published(
        district="mapo", types=["club_room"], timezone="Europe/Berlin", opening_hours=hours([1], "00:20", "00:50")
    )
    assert {"Asia/Seoul", "Europe/Berlin"} <= zones_counted(engine)
    assert mismatches(engine) == []

    spaces.update(operator, seoul["id"], {"opening_hours": hours([3, 4], "06:50", "12:10")})  # new cuts
    spaces.update(operator, seoul["id"], {"district": "gangbuk", "types": ["senior_centre"]})
    spaces.update(operator, berlin["id"], {"name_en": "Kiezraum"})  # counts unchanged
    assert mismatches(engine) == []

    spaces.suspend(admin, berlin["id"], "Safety check")
    assert mismatches(engine) == []
    spaces.reinstate(admin, berlin["id"])
    spaces.close(operator, seoul["id"], "Moved away")
    assert mismatches(engine) == []

    batch = [
        {
            **space_data(
                district="jungnang",
                types=["small_library"] if n % 2 else ["shared_kitchen"],
                timezone="Europe/Berlin" if n % 3 == 0 else "Asia/Seoul",
                opening_hours=hours(range(1, 1 + n % 7), f"{6 + n % 5:02d}:{n % 4 * 15:02d}", "21:30"),
            ),
            "operators": [operator["id"]],
            "external_ref": f"open-counts-{uuid.uuid4()}",
        }
        for n in range(40)
    ]
    assert spaces.import_published(admin, batch)["imported"] == 40
    assert mismatches(engine) == []

    with engine.begin() as conn:  # the service never deletes a space; the counts follow all the same
        conn.execute(
            sa.text("DELETE FROM spaces WHERE external_ref = ANY(:refs)"),
            {"refs": [item["external_ref"] for item in batch[::2]]},
        )
    assert mismatches(engine) == []


def test_a_search_by_open_at_subtracts_closures_as_a_filtered_one_does(spaces, published, operator):
    senior = published(district="gangbuk", types=["senior_centre"], opening_hours=hours(range(1, 8), "06:00", "23:00"))
    # a neighbour never closed, so that subtracting the closed one twice would show
    published(district="gangbuk", types=["senior_centre"], opening_hours=hours(range(1, 8), "06:00", "23:00"))
    berlin = published(
        district="gangbuk",
        types=["club_room"],
        timezone="Europe/Berlin",
        opening_hours=hours(range(1, 8), "08:00", "20:00"),
    )
    closure = spaces.add_closure(
        operator, senior["id"], {"starts_at": "2031-03-05T10:07", "ends_at": "2031-03-05T12:43", "reason": "Inspection"}
    )
    spaces.add_closure(
        operator,
        senior["id"],
        {"starts_at": "2031-03-05T11:00", "ends_at": "2031-03-05T11:30", "reason": "Overlapping"},
    )
    spaces.add_closure(
        operator,
        berlin["id"],
        {"starts_at": "2031-03-05T09:00", "ends_at": "2031-03-05T10:00", "reason": "Berlin local time"},
    )

    def answer(open_at, **filters):
        fast = spaces.search({"open_at": open_at, **filters})
        live = spaces.search({"open_at": open_at, "min_capacity": 1, **filters})
        assert (fast["total"], fast["facets"]) == (live["total"], live["facets"])
        return fast

    for minute in ("10:06", "10:07", "10:08", "11:00", "11:15", "11:29", "11:30", "12:42", "12:43", "12:44"):
        answer(f"2031-03-05T{minute}:00+09:00")
        answer(f"2031-03-05T{minute}:00+09:00", districts=["gangbuk"], types=["senior_centre"])
    week_later = answer("2031-03-12T11:15:00+09:00")  # the same minute of the week, with no closure
    closed = answer("2031-03-05T11:15:00+09:00")  # within both of the senior centre's closures
    assert closed["facets"]["district"]["gangbuk"] == week_later["facets"]["district"]["gangbuk"] - 1
    assert closed["facets"]["type"]["senior_centre"] == week_later["facets"]["type"]["senior_centre"] - 1
    berlin_closed = answer("2031-03-05T09:30:00+01:00")  # 17:30 in Seoul: only the Berlin closure applies
    assert (
        berlin_closed["facets"]["type"].get("club_room", 0)
        == answer("2031-03-12T09:30:00+01:00")["facets"]["type"]["club_room"] - 1
    )

    spaces.remove_closure(operator, senior["id"], closure["id"])
    reopened = answer("2031-03-05T12:00:00+09:00")  # the overlapping closure ended at 11:30
    assert reopened["facets"] == answer("2031-03-12T12:00:00+09:00")["facets"]


@pytest.fixture(scope="module")
def scratch(database_url):
    """A database of its own, dropped with the run's, where counts may be broken on purpose."""
    database_url("spaces")  # the run's databases are dropped when the session ends, this one with them
    url = f"{common().pg_url.rstrip('/')}/{common().db_prefix}_open_counts_scratch"
    migrations.upgrade("spaces", url)
    engine = sa.create_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def scratch_engine(scratch):
    _, engine = scratch
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE spaces CASCADE"))
    return engine


def test_emptying_the_spaces_empties_their_counts(scratch_engine):
    with scratch_engine.begin() as conn:
        insert_space(conn, "{[600,1080)}")
    with scratch_engine.begin() as conn:
        assert all(conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in COUNTS)
        conn.execute(sa.text("TRUNCATE spaces CASCADE"))
    with scratch_engine.connect() as conn:
        assert [conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in COUNTS] == [0, 0, 0]


def insert_space(conn, weekly_hours: str, district="mapo", types=("small_library",), timezone="Asia/Seoul") -> None:
    conn.execute(
        sa.text("""
        INSERT INTO spaces (id, status, operators, name_ko, name_en, address_ko, address_en, types, district,
                            lat, lng, capacity, timezone, weekly_hours)
        VALUES (:id, 'published', ARRAY[gen_random_uuid()], '공간', 'Space', '서울', 'Seoul', :types, :district,
                37.5, 127.0, 10, :timezone, CAST(:hours AS int4multirange))"""),
        {
            "id": str(uuid.uuid4()),
            "types": list(types),
            "district": district,
            "timezone": timezone,
            "hours": weekly_hours,
        },
    )


@pytest.fixture
def without_the_lock(scratch_engine):
    """``count_open_changes`` with its advisory lock taken out, for the control."""
    with scratch_engine.begin() as conn:
        original = conn.scalar(sa.text("SELECT pg_get_functiondef('count_open_changes(open_change[])'::regprocedure)"))
        unlocked = original.replace("PERFORM pg_advisory_xact_lock(hashtext('open_combos'));", "")
        assert unlocked != original
        conn.exec_driver_sql(unlocked)
    yield
    with scratch_engine.begin() as conn:
        conn.exec_driver_sql(original)


def _race(engine) -> bool:
    """One transaction counts a space in Monday 09:00-18:00 and stays open; meanwhile another
    cuts that segment at 12:00 and 13:00. Answers whether the cut had to wait for the first."""
    with engine.begin() as conn:
        insert_space(conn, "{[540,1080)}", district="mapo")
    with engine.connect() as holder:
        holder.begin()
        insert_space(holder, "{[540,1080)}", district="jongno")

        def cut():
            with engine.begin() as cutter:
                insert_space(cutter, "{[720,780)}", district="gangnam")

        cutter = threading.Thread(target=cut)
        cutter.start()
        cutter.join(timeout=1)
        waited = cutter.is_alive()
        holder.commit()
    cutter.join(timeout=10)
    return waited


def test_control_without_the_lock_a_concurrent_cut_loses_counts(scratch_engine, without_the_lock):
    # This test exists to ensure that the race the lock prevents is real here; if it fails,
    # the test after it proves nothing.
    assert not _race(scratch_engine)
    assert ("live", "Asia/Seoul", 720, "jongno", ["small_library"], 1) in mismatches(scratch_engine)


def test_with_the_lock_a_concurrent_cut_waits_and_counts_stay_exact(scratch_engine):
    assert _race(scratch_engine)
    assert mismatches(scratch_engine) == []


def test_a_change_outside_read_committed_is_refused(scratch_engine):
    with scratch_engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with pytest.raises(sa.exc.DBAPIError, match="READ COMMITTED"):
            insert_space(conn, "{[540,1080)}")


def test_the_migration_counts_the_spaces_already_there(scratch, scratch_engine):
    url, _ = scratch
    with scratch_engine.begin() as conn:
        insert_space(conn, "{[540,1080),[1980,2520)}")
        insert_space(conn, "{[0,90),[9960,10080)}", district="jongno", timezone="Europe/Berlin")
        insert_space(conn, "{[600,1320)}", types=("club_room", "youth_space"))
    config = migrations.alembic_config("spaces", url)
    command.downgrade(config, "0003")
    command.upgrade(config, "head")
    assert zones_counted(scratch_engine) == {"Asia/Seoul", "Europe/Berlin"}
    assert mismatches(scratch_engine) == []
