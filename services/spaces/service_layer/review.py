"""What administrators do: review submissions, publish, return, suspend, reinstate."""

from services.spaces.adapters.repository import SpaceRepository
from services.spaces.adapters.tables import spaces
from services.spaces.domain.access import actor_of, require_role
from services.spaces.domain.search_filters import MAX_PAGE, MAX_PAGE_SIZE
from services.spaces.service_layer.common import announce, load
from services.spaces.service_layer.paging import check_page

# action: the event that announces it
EVENTS = {
    "publish": "space.published",
    "return_to_draft": "space.returned",
    "suspend": "space.suspended",
    "reinstate": "space.published",
}


def review(uow, action: str, actor, space_id, reason=None) -> dict:
    """``publish``, ``return_to_draft``, ``suspend`` or ``reinstate`` a space, as an administrator."""
    actor = actor_of(actor)
    require_role(actor, "admin")
    space = load(uow, space_id)
    space.apply(action, reason)
    SpaceRepository(uow.session).save(space)
    announce(uow, EVENTS[action], space)
    uow.commit()
    return space.full()


def review_queue(uow, actor, page=1, page_size=20) -> dict:
    actor = actor_of(actor)
    require_role(actor, "admin")
    check_page(page, page_size, MAX_PAGE, MAX_PAGE_SIZE)
    items, total = SpaceRepository(uow.session).page(
        [spaces.c.status == "submitted"], [spaces.c.submitted_at, spaces.c.id], page, page_size
    )
    return {"items": [s.full() for s in items], "total": total, "page": page, "page_size": page_size}
