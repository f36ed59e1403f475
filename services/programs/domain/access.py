"""Who may do what: the caller's role first, then whether the program's space is theirs.

A program or application that exists but is not the caller's answers as not found, so
nobody learns of others' drafts or applications.
"""

import uuid

from chassis.actors import Actor, actor_of, require_role  # noqa: F401  (re-exported for the service layer)
from chassis.errors import NotFound

# The programs service acting on its own (a space's suspension, the resume timer) when it
# asks the reservations service to release a block: that service lets administrators do it.
SYSTEM_ACTOR = {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, "https://community-space.example/programs")), "role": "admin"}


def runs(actor: Actor, operators) -> bool:
    return actor.is_admin or (actor.role == "operator" and actor.id in [str(o) for o in operators])


def require_manager(actor: Actor, operators, what: str, id_: str) -> None:
    """The space's operators or an administrator; to anyone else the object is not found."""
    require_role(actor, "operator", "admin")
    if not runs(actor, operators):
        raise NotFound(f"No {what} {id_}.", {f"{what}_id": str(id_)})


def as_uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
