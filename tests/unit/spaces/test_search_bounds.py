"""The search's index helpers never lose a match: the degree box holds every point within the
radius, and a word's Hangul syllable pairs are those the database indexes (the latter is checked
against PostgreSQL by ``tests/integration/spaces/test_search_indexes.py``)."""

from math import asin, atan2, cos, degrees, radians, sin

import pytest

from services.spaces.adapters.search import EARTH_RADIUS_M, degree_box, hangul_bigrams


def destination(lat: float, lng: float, bearing: float, distance_m: float) -> tuple[float, float]:
    """The point ``distance_m`` from (lat, lng) along ``bearing`` degrees, on earthdistance's sphere."""
    angle, phi, theta = distance_m / EARTH_RADIUS_M, radians(lat), radians(bearing)
    phi2 = asin(sin(phi) * cos(angle) + cos(phi) * sin(angle) * cos(theta))
    lam = atan2(sin(theta) * sin(angle) * cos(phi), cos(angle) - sin(phi) * sin(phi2))
    return degrees(phi2), (lng + degrees(lam) + 540) % 360 - 180


@pytest.mark.parametrize(
    "lat, lng, radius_m",
    [
        (37.5665, 126.978, 1000),
        (37.5665, 126.978, 50_000),
        (-33.86, 151.21, 20_000),
        (0, 0, 5000),
        (69.65, 18.96, 50_000),
    ],
)
def test_every_point_within_the_radius_is_inside_the_box(lat, lng, radius_m):
    box = degree_box(lat, lng, radius_m)
    for bearing in range(0, 360, 5):
        for share in (0.5, 0.999999):
            point_lat, point_lng = destination(lat, lng, bearing, radius_m * share)
            assert box["lat_min"] <= point_lat <= box["lat_max"]
            assert box["lng_min"] <= point_lng <= box["lng_max"]
    assert box["lng_max"] - box["lng_min"] < 360  # and it does bound the longitude


def test_the_box_is_barely_wider_than_the_circle():
    box = degree_box(37.5665, 126.978, 5000)
    north, _ = destination(37.5665, 126.978, 0, 5000)
    _, east = destination(37.5665, 126.978, 90, 5000)
    assert box["lat_max"] - north < 1e-6
    assert 0 <= box["lng_max"] - east < 1e-3  # the circle's widest point is a little north of due east


@pytest.mark.parametrize("lat, lng", [(89.9, 10), (-89.95, 10), (10, 179.99), (10, -179.99)])
def test_near_a_pole_or_the_antimeridian_longitude_is_not_bounded(lat, lng):
    box = degree_box(lat, lng, 50_000)
    assert (box["lng_min"], box["lng_max"]) == (-180, 180)


def test_hangul_bigrams_are_the_adjacent_syllable_pairs_within_words():
    assert hangul_bigrams("망원 작은도서관 library 카") == sorted(["망원", "작은", "은도", "도서", "서관"])
    assert hangul_bigrams("kitchen") == []
