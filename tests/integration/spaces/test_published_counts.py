"""The trigger-kept counts that unfiltered searches use stay equal to a real count."""

import sqlalchemy as sa

from tests.unit.spaces.factories import space_data

COUNTED = "SELECT district, types, n FROM published_combos WHERE n > 0 ORDER BY 1, 2"
REAL = "SELECT district, types, count(*) FROM spaces WHERE status = 'published' GROUP BY 1, 2 ORDER BY 1, 2"


def test_counts_follow_publish_edit_suspend_reinstate_close_and_import(
    spaces, published, operator, admin, database_url
):
    engine = sa.create_engine(database_url("spaces"))
    first = published(district="mapo", types=["small_library"])
    second = published(district="mapo", types=["club_room", "community_space"])
    spaces.update(operator, first["id"], {"district": "jongno"})
    spaces.suspend(admin, second["id"], "Safety check")
    spaces.reinstate(admin, second["id"])
    spaces.close(operator, first["id"], "Moved away")
    spaces.import_published(
        admin,
        [
            {**space_data(district="gangnam"), "operators": [operator["id"]], "external_ref": "count-test-1"},
        ],
    )

    with engine.connect() as conn:
        counted = conn.execute(sa.text(COUNTED)).all()
        real = conn.execute(sa.text(REAL)).all()
    engine.dispose()
    assert counted == real
    assert ("mapo", ["club_room", "community_space"], 1) in [tuple(row) for row in counted]


def test_a_search_by_district_and_type_alone_counts_as_a_filtered_one_does(spaces, published):
    published(district="dobong", types=["senior_centre"])
    published(district="dobong", types=["club_room"])

    from_counts = spaces.search({"districts": ["dobong"], "types": ["senior_centre", "club_room"]})
    # min_capacity=1 matches every space but takes the path that counts spaces one by one
    counted = spaces.search({"districts": ["dobong"], "types": ["senior_centre", "club_room"], "min_capacity": 1})

    assert from_counts["total"] >= 2
    assert (from_counts["total"], from_counts["facets"]) == (counted["total"], counted["facets"])
