"""Reading spaces: the public search and view, the facts for other services, and
the operator's and administrator's listings."""

from chassis.errors import Invalid, NotFound
from services.spaces.adapters import search as search_query
from services.spaces.adapters.repository import SpaceRepository
from services.spaces.adapters.tables import spaces
from services.spaces.domain.access import actor_of, require_manager, require_role
from services.spaces.domain.catalogues import catalogues as load_catalogues
from services.spaces.domain.search_filters import MAX_PAGE, MAX_PAGE_SIZE, search_filters
from services.spaces.domain.space import STATUSES
from services.spaces.service_layer.common import load
from services.spaces.service_layer.paging import check_page


def catalogues() -> dict:
    return load_catalogues().public()


def search(uow, filters) -> dict:
    return search_query.search(uow.session, search_filters(filters))


def get_published(uow, space_id) -> dict:
    space = load(uow, space_id, lock=False)
    if space.status != "published":
        raise NotFound(f"No space {space_id}.", {"space_id": str(space_id)})
    return space.public()


def facts(uow, space_id) -> dict:
    """The facts its events carry, and when it last changed: a copy kept elsewhere orders them by it."""
    space = load(uow, space_id, lock=False)
    if space.updated_at is None:  # a stored space always has one (the column is NOT NULL)
        raise RuntimeError(f"space {space.id} has no updated_at")
    return {**space.facts(), "updated_at": space.updated_at.isoformat()}


def get_for_actor(uow, actor, space_id) -> dict:
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    space = load(uow, space_id, lock=False)
    require_manager(actor, space)
    return space.full()


def list_for_actor(uow, actor, status=None, page=1, page_size=20) -> dict:
    """An operator's own spaces, or every space for an administrator, newest first."""
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    check_page(page, page_size, MAX_PAGE, MAX_PAGE_SIZE)
    where = [] if actor.is_admin else [spaces.c.operators.contains([actor.id])]
    if status is not None:
        if status not in STATUSES:
            raise Invalid.field("status", f"must be one of {', '.join(STATUSES)}")
        where.append(spaces.c.status == status)
    items, total = SpaceRepository(uow.session).page(
        where, [spaces.c.created_at.desc(), spaces.c.id.desc()], page, page_size
    )
    return {"items": [s.full() for s in items], "total": total, "page": page, "page_size": page_size}
