"""What every use case does first: find the program, and check that the caller runs its space."""

from chassis.actors import Actor
from chassis.errors import NotFound
from services.programs.adapters import facts as facts_repo
from services.programs.adapters import programs as programs_repo
from services.programs.domain.access import as_uuid, require_manager
from services.programs.domain.schedule import SpaceFacts


def load_program(uow, program_id, lock: bool = False) -> dict:
    """The program, its row locked if asked; ``NotFound`` for an unknown id or one that is not a UUID."""
    known = as_uuid(program_id)
    program = programs_repo.get(uow.session, known, lock=lock) if known else None
    if program is None:
        raise NotFound(f"No program {program_id}.", {"program_id": str(program_id)})
    return program


def managed_facts(uow, actor: Actor, program: dict, id_, what: str = "program") -> SpaceFacts:
    """The facts of the program's space, if ``actor`` runs it (or is an administrator); else ``NotFound``
    for the ``what`` (program or application) asked about."""
    facts = facts_repo.get(uow.session, str(program["space_id"]))
    require_manager(actor, facts.operators if facts else [], what, str(id_))
    if facts is None:
        raise NotFound(f"No {what} {id_}.", {f"{what}_id": str(id_)})
    return facts


def stored_facts(uow, program: dict) -> SpaceFacts:
    """The facts of the program's space: stored before any program is made there, and never deleted."""
    facts = facts_repo.get(uow.session, str(program["space_id"]))
    if facts is None:
        raise RuntimeError(f"no facts stored for space {program['space_id']}")
    return facts
