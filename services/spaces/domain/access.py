"""Who may do what: the caller's role first, then whether the space is theirs.

An operator acts only on the spaces they run; a space that exists but is not
theirs answers as not found, so nobody learns of others' drafts.
"""

from chassis.actors import Actor, actor_of, require_role  # noqa: F401  (re-exported for the service layer)
from chassis.errors import Forbidden, NotFound


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
