"""Who gets a place: first come, the operator's review, or a draw anyone can re-run.

Places are counted in party sizes (an applicant and their companions). The waiting list
is ordered by each application's ``seq``: its arrival for ``first_come``, its rank in the
draw for ``lottery``. A freed place goes to the head of the list only if the head's party
fits; nobody behind it jumps the queue.
"""

import hashlib
from typing import NamedTuple

ALGORITHM = (
    "Order the applications by SHA-256 of '<seed>:<application id>' (UTF-8, lower-case id, hex digest, "
    "ascending); accept in that order while the party fits the places left; wait-list the rest in that order."
)
ACTIVE = ("pending", "accepted", "waitlisted")


class Applicant(NamedTuple):
    id: str
    party_size: int


def on_arrival(selection: str, capacity: int, accepted_places: int, waiting: int, party_size: int) -> str:
    """The status of a new application: nobody who arrives later passes someone already waiting."""
    if selection == "first_come":
        return "accepted" if not waiting and accepted_places + party_size <= capacity else "waitlisted"
    return "pending"  # review: until the operator decides; lottery: until the draw


def draw_order(seed: str, application_ids: list[str]) -> list[str]:
    """The drawn order: the same seed and applications always give the same order."""
    return sorted(application_ids, key=lambda id_: hashlib.sha256(f"{seed}:{id_.lower()}".encode()).hexdigest())


def draw(seed: str, applicants: list[Applicant], capacity: int) -> tuple[list[str], list[str], list[str]]:
    """``(order, accepted, waitlisted)``: places in drawn order until the first party that does not fit."""
    sizes = {a.id: a.party_size for a in applicants}
    order = draw_order(seed, list(sizes))
    accepted, taken = [], 0
    for id_ in order:
        if taken + sizes[id_] > capacity:
            break
        accepted.append(id_)
        taken += sizes[id_]
    return order, accepted, order[len(accepted) :]


def promotions(capacity: int, accepted_places: int, waitlist: list[Applicant]) -> list[str]:
    """The heads of the waiting list that the free places now take, in order."""
    promoted, taken = [], accepted_places
    for applicant in waitlist:
        if taken + applicant.party_size > capacity:
            break
        promoted.append(applicant.id)
        taken += applicant.party_size
    return promoted
