"""The caller a service acts for, as the gateway vouches for it: ``{"id": uuid, "role": ...}``.

Every RPC that acts for someone takes this ``actor`` first; each service checks
the role here and ownership in its own domain.
"""

import uuid
from dataclasses import dataclass

from chassis.errors import Forbidden, Invalid

ROLES = ("citizen", "operator", "admin")


@dataclass(frozen=True)
class Actor:
    id: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def actor_of(value) -> Actor:
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
