"""Who gets a place: first come with a waiting list nobody jumps, and a draw anyone can re-run."""

import hashlib
import random
import uuid

import pytest

from services.programs.domain.selection import Applicant, draw, draw_order, on_arrival, promotions


def ids(count: int, rng: random.Random | None = None) -> list[str]:
    rng = rng or random.Random(7)
    return [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(count)]


def applicants(sizes: list[int]) -> list[Applicant]:
    return [Applicant(id_, size) for id_, size in zip(ids(len(sizes)), sizes, strict=True)]


def test_first_come_accepts_while_the_party_fits():
    assert on_arrival("first_come", 20, 18, 0, 2) == "accepted"
    assert on_arrival("first_come", 20, 18, 0, 3) == "waitlisted"
    assert on_arrival("first_come", 20, 20, 0, 1) == "waitlisted"


def test_first_come_waitlists_when_anyone_is_already_waiting_even_if_the_party_fits():
    assert on_arrival("first_come", 20, 10, 1, 1) == "waitlisted"


@pytest.mark.parametrize("selection", ["review", "lottery"])
def test_review_and_lottery_applications_wait_as_pending(selection):
    assert on_arrival(selection, 20, 0, 0, 1) == "pending"
    assert on_arrival(selection, 20, 20, 3, 1) == "pending"


def test_the_draw_order_is_the_same_for_the_same_seed_and_a_permutation_of_the_ids():
    applications = ids(100)
    order = draw_order("9f1c", applications)
    assert order == draw_order("9f1c", list(reversed(applications)))
    assert sorted(order) == sorted(applications)


def test_another_seed_gives_another_order():
    applications = ids(100)
    assert draw_order("9f1c", applications) != draw_order("9f1d", applications)


def test_the_draw_order_follows_the_published_algorithm():
    """Anyone holding the seed and the ids can re-run the draw from the algorithm's description."""
    applications = [i.upper() for i in ids(20)]
    digest = {i: hashlib.sha256(f"seed:{i.lower()}".encode()).hexdigest() for i in applications}
    assert draw_order("seed", applications) == sorted(applications, key=digest.__getitem__)


def test_the_draw_accepts_until_the_first_party_that_does_not_fit():
    order = draw_order("s", ids(5))
    # Two pairs take four of five places; the third pair does not fit, and the two people
    # drawn after it, who would, wait behind it instead of jumping it.
    people = [Applicant(i, size) for i, size in zip(order, [2, 2, 2, 1, 1], strict=True)]
    drawn, accepted, waitlisted = draw("s", list(reversed(people)), capacity=5)
    assert drawn == order
    assert accepted == order[:2]
    assert waitlisted == order[2:]


def test_the_draw_never_passes_capacity_and_waitlists_the_rest_in_drawn_order():
    rng = random.Random(2027)
    for _ in range(300):
        people = [Applicant(i, rng.randint(1, 4)) for i in ids(rng.randint(0, 40), rng)]
        capacity = rng.randint(1, 60)
        seed = f"{rng.getrandbits(64):x}"
        order, accepted, waitlisted = draw(seed, people, capacity)
        sizes = {a.id: a.party_size for a in people}
        assert order == draw_order(seed, list(sizes))
        assert accepted + waitlisted == order
        assert sum(sizes[i] for i in accepted) <= capacity
        if waitlisted:  # the first left out did not fit
            assert sum(sizes[i] for i in accepted) + sizes[waitlisted[0]] > capacity


def test_a_draw_with_room_for_everyone_accepts_everyone():
    people = applicants([1, 3, 2])
    order, accepted, waitlisted = draw("s", people, capacity=6)
    assert (accepted, waitlisted) == (order, [])


def test_freed_places_go_to_the_heads_of_the_waiting_list_in_order():
    waitlist = applicants([1, 2, 1])
    assert promotions(10, 7, waitlist) == [waitlist[0].id, waitlist[1].id]


def test_nobody_jumps_the_queue_when_the_head_does_not_fit():
    waitlist = applicants([3, 1, 1])
    assert promotions(10, 8, waitlist) == []


def test_no_place_free_promotes_nobody():
    assert promotions(10, 10, applicants([1])) == []
    assert promotions(10, 0, []) == []


def test_promotions_never_pass_capacity():
    rng = random.Random(11)
    for _ in range(300):
        waitlist = [Applicant(i, rng.randint(1, 4)) for i in ids(rng.randint(0, 20), rng)]
        capacity = rng.randint(1, 30)
        accepted_places = rng.randint(0, capacity)
        promoted = promotions(capacity, accepted_places, waitlist)
        sizes = {a.id: a.party_size for a in waitlist}
        assert promoted == [a.id for a in waitlist[: len(promoted)]]
        assert accepted_places + sum(sizes[i] for i in promoted) <= capacity
        if len(promoted) < len(waitlist):
            assert accepted_places + sum(sizes[i] for i in promoted) + waitlist[len(promoted)].party_size > capacity
