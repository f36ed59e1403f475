"""The reservations benchmark must measure creates: every request it sends is one the rules allow."""

from collections import Counter
from itertools import pairwise

from bench.reservations import CITIZENS, SPACES, Slots

REQUESTS = 30_000  # more than one `python -m bench.reservations` sends


def test_requests_share_no_slot_and_keep_each_citizens_quota():
    slots = Slots([f"space-{n}" for n in range(SPACES - 1)], [f"citizen-{n}" for n in range(CITIZENS)])
    requests = [slots.body(i) for i in range(REQUESTS)]

    assert len({(body["space_id"], body["start"]) for body, _ in requests}) == REQUESTS
    held_here = Counter((token, body["space_id"]) for body, token in requests)
    assert max(held_here.values()) <= 3  # the seeded spaces' active quota
    assert all(a[1] != b[1] for a, b in pairwise(requests))
