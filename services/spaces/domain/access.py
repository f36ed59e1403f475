"""Who may do what: the caller's role first, then whether the space is theirs.

An operator acts only on the spaces they run; a space that exists but is not
theirs answers as not found, so nobody learns of others' drafts.
"""
import uuid
from dataclasses import dataclass

from chassis.errors import Forbidden, Invalid, NotFound

ROLES = ("citizen", "operator", "admin")


@dataclass(frozen=True)
class Actor:
    id: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def actor_of(value) -> Actor:
    """The caller the gateway vouches for, as ``{"id": uuid, "role": ...}``."""
    if not isinstance(value, dict):
        raise Invalid.field("actor", "must be {id, role}")
    try:
        actor_id = str(uuid.UUID(str(value.get("id"))))
    except ValueError:
        raise Invalid.field("actor.id", "must be a UUID") from None
    if value.get("role") not in ROLES:
        raise Invalid.field("actor.role", f"must be one of {', '.join(ROLES)}")
    return Actor(actor_id, value["role"])


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"A {actor.role} may not do this; it takes: {', '.join(roles)}.", {"role": actor.role})


def require_manager(actor: Actor, space) -> None:
    """Its operators or an administrator; anyone else's space is not found."""
    require_role(actor, "operator", "admin")
    if not actor.is_admin and actor.id not in space.operators:
        raise NotFound(f"No space {space.id}.", {"space_id": space.id})


def require_operator_of(actor: Actor, space) -> None:
    """Only the people who run the space (sending it for review is theirs to do)."""
    require_role(actor, "operator", "admin")
    if actor.id not in space.operators:
        if actor.is_admin:
            raise Forbidden("Only the space's operators may do this.", {"space_id": space.id})
        raise NotFound(f"No space {space.id}.", {"space_id": space.id})
