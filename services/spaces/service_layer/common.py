"""What the use cases share: loading a space for a change, and announcing it."""

from chassis.errors import NotFound
from services.spaces.adapters.repository import SpaceRepository
from services.spaces.domain.space import Space


def load(uow, space_id, lock: bool = True) -> Space:
    """The space, locked for the rest of the transaction so concurrent changes queue up."""
    space = SpaceRepository(uow.session).get(space_id, lock=lock)
    if space is None:
        raise NotFound(f"No space {space_id}.", {"space_id": str(space_id)})
    return space


def announce(uow, event_type: str, space: Space) -> None:
    uow.publish(event_type, f"spaces/{space.id}", space.facts())
