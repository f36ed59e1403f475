"""Who may do what: the caller's role first, then whether the reservation or space is theirs.

A reservation that exists but is not the caller's, or a space they do not run,
answers as not found, so nobody learns of others' bookings.
"""

import uuid

from chassis.actors import Actor, actor_of, require_role  # noqa: F401  (re-exported for the service layer)
from chassis.errors import Invalid, NotFound


def runs(actor: Actor, operators) -> bool:
    return actor.is_admin or (actor.role == "operator" and actor.id in [str(o) for o in operators])


def require_manager(actor: Actor, space_id: str, operators) -> None:
    """The space's operators or an administrator; anyone else's space is not found."""
    require_role(actor, "operator", "admin")
    if not runs(actor, operators):
        raise NotFound(f"No space {space_id}.", {"space_id": str(space_id)})


def as_uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def require_uuid(value, field: str) -> str:
    """``value`` as a UUID's text; ``Invalid`` naming ``field`` if it is not one."""
    text = as_uuid(value)
    if text is None:
        raise Invalid.field(field, "must be a UUID")
    return text
