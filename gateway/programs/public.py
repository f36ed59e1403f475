"""Public routes: search the published (or finished) programs, and read one."""

from uuid import UUID

from gateway.api import endpoint
from gateway.programs.common import READ_ERRORS, call, programs_bp
from gateway.programs.models import ProgramPage, ProgramPublic, ProgramSearchQuery
from gateway.search_cache import cache_searches

TAGS = ["programs"]
LIST_FILTERS = ("district", "type", "category", "audience")


@endpoint(
    programs_bp,
    "GET",
    "/api/v1/programs",
    query=ProgramSearchQuery,
    response=ProgramPage,
    tags=TAGS,
    errors=[503, 504],
)
def search_programs(query: ProgramSearchQuery):
    """Search the published programs (or the finished ones), soonest next session first.

    A repeat may come from the shared search cache (``X-Cache: hit``), at most a few seconds old.
    """
    return call("search", search_filters(query))


cache_searches(programs_bp, f"{programs_bp.name}.{search_programs.__name__}", "program_search_cache")


def search_filters(query: ProgramSearchQuery) -> dict:
    """The service's ``search`` filters: what was given, each repeatable filter once per value."""
    filters = query.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(LIST_FILTERS))
    if filters.get("q") == "":
        del filters["q"]
    for name in LIST_FILTERS:
        values = getattr(query, name)
        if values:
            filters[name] = list(dict.fromkeys(values))
    return filters


@endpoint(
    programs_bp, "GET", "/api/v1/programs/<uuid:program_id>", response=ProgramPublic, tags=TAGS, errors=READ_ERRORS
)
def get_program(program_id: UUID):
    """A published, finished or cancelled program, with its sessions and a summary of its space."""
    return call("get", str(program_id))
