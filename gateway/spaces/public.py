"""Public routes: the catalogues, the search and a published space."""

from uuid import UUID

from flask import current_app, request

from chassis.errors import Invalid
from gateway.api import endpoint
from gateway.programs.common import upcoming_call, upcoming_programs
from gateway.reservations.common import booking_policy, free_space_ids, policy_call
from gateway.reservations.models import MAX_FREE_SPACES_DAYS, span_error
from gateway.rpc import Call
from gateway.search_cache import cache_searches
from gateway.spaces.common import READ_ERRORS, SERVICE, call, catalogues, codes, spaces_bp
from gateway.spaces.models import Catalogue, SpacePublic, SpaceSearchPage, SpaceSearchQuery

CATALOGUE_MAX_AGE = 60
# query parameter -> (catalogue, the service's filter key)
CODE_FILTERS = {
    "district": ("districts", "districts"),
    "type": ("space_types", "types"),
    "amenity": ("amenities", "amenities"),
}
PLAIN_FILTERS = ("q", "min_capacity", "open_at", "lat", "lng", "radius_m", "sort", "page", "page_size")


@spaces_bp.after_request
def _cache_catalogues(response):
    """Catalogues change only with a deploy: let browsers and proxies keep them for a minute."""
    if request.endpoint in CATALOGUE_ENDPOINTS and response.status_code == 200:
        response.headers["Cache-Control"] = f"public, max-age={CATALOGUE_MAX_AGE}"
    return response


@endpoint(spaces_bp, "GET", "/api/v1/districts", response=Catalogue, tags=["catalogues"], errors=[503, 504])
def list_districts():
    """The districts: ``[{code, name_ko, name_en}]``."""
    return catalogues()["districts"]


@endpoint(spaces_bp, "GET", "/api/v1/space-types", response=Catalogue, tags=["catalogues"], errors=[503, 504])
def list_space_types():
    """The space types: ``[{code, name_ko, name_en}]``."""
    return catalogues()["space_types"]


@endpoint(spaces_bp, "GET", "/api/v1/amenities", response=Catalogue, tags=["catalogues"], errors=[503, 504])
def list_amenities():
    """The amenities: ``[{code, name_ko, name_en}]``."""
    return catalogues()["amenities"]


CATALOGUE_ENDPOINTS = {f"spaces.{view.__name__}" for view in (list_districts, list_space_types, list_amenities)}


@endpoint(
    spaces_bp,
    "GET",
    "/api/v1/spaces",
    query=SpaceSearchQuery,
    response=SpaceSearchPage,
    tags=["spaces"],
    errors=[503, 504],
    response_headers={"X-Cache": "hit: answered from the shared search cache; miss: the spaces service answered."},
)
def search_spaces(query: SpaceSearchQuery):
    """Search the published spaces, with facets by district and type.

    With ``available_from`` and ``available_to``, only the spaces open and unbooked for the
    whole period (the reservations service's ``free_spaces``) are searched. Other searches
    are answered from the shared search cache when it holds a current answer
    (``X-Cache: hit``; see ``search_cache``).
    """
    filters = search_filters(query)  # every check first: no reservations call for a bad query
    if query.available_from is None:
        return call("search", filters)
    free = free_space_ids(query.available_from.isoformat(), query.available_to.isoformat())
    return call("search", search_filters(query, ids=free))


cache_searches(spaces_bp, f"{spaces_bp.name}.{search_spaces.__name__}")


@endpoint(spaces_bp, "GET", "/api/v1/spaces/<uuid:space_id>", response=SpacePublic, tags=["spaces"], errors=READ_ERRORS)
def get_space(space_id: UUID):
    """A published space with its opening hours, closures, amenities, booking policy and next programs."""
    sid = str(space_id)
    # the three services answer at once: the page waits for the slowest, not for their sum
    space, policy, programs = current_app.extensions["rpc"].gather(
        Call(SERVICE, "get_published", (sid,)), policy_call(sid), upcoming_call(sid)
    )
    if isinstance(space, Exception):
        raise space
    return {
        **space,
        "booking_policy": booking_policy(sid, policy),
        "upcoming_programs": upcoming_programs(sid, programs),
    }


def search_filters(query: SpaceSearchQuery, ids: list[UUID] | None = None) -> dict:
    """The service's ``search`` filters for a checked query; ``ids`` narrows to those spaces.

    Raises one ``Invalid`` naming every field that breaks a rule across fields or names an
    unknown catalogue code (the message lists the valid codes).
    """
    errors = _cross_field_errors(query) + _code_errors(query)
    if errors:
        fields = ", ".join(sorted({e["field"] for e in errors}))
        raise Invalid(f"Invalid input: {fields}", {"errors": errors})
    filters = query.model_dump(mode="json", include=set(PLAIN_FILTERS), exclude_none=True)
    filters = {name: value for name, value in filters.items() if value != ""}
    for param, (_, key) in CODE_FILTERS.items():
        if getattr(query, param):
            filters[key] = list(dict.fromkeys(getattr(query, param)))
    if ids is not None:
        filters["ids"] = [str(space_id) for space_id in ids]
    return filters


def _cross_field_errors(query: SpaceSearchQuery) -> list[dict]:
    errors = []
    if query.lat is not None and query.lng is None:
        errors.append({"field": "lng", "message": "is required with lat"})
    if query.lng is not None and query.lat is None:
        errors.append({"field": "lat", "message": "is required with lng"})
    located = query.lat is not None and query.lng is not None
    if query.radius_m is not None and not located:
        errors.append({"field": "radius_m", "message": "needs lat and lng"})
    if query.sort == "distance" and not located:
        errors.append({"field": "sort", "message": "distance needs lat and lng"})
    if query.available_from is not None and query.available_to is None:
        errors.append({"field": "available_to", "message": "is required with available_from"})
    if query.available_to is not None and query.available_from is None:
        errors.append({"field": "available_from", "message": "is required with available_to"})
    span = span_error(query.available_from, query.available_to, "available_from", MAX_FREE_SPACES_DAYS)
    if span:
        errors.append({"field": "available_to", "message": span})
    return errors


def _code_errors(query: SpaceSearchQuery) -> list[dict]:
    """Unknown codes, checked against the cached catalogues (no RPC when no codes are given)."""
    errors = []
    for param, (kind, _) in CODE_FILTERS.items():
        given = getattr(query, param)
        if not given:
            continue
        valid = codes(kind)
        unknown = [code for code in dict.fromkeys(given) if code not in valid]
        if unknown:
            errors.append(
                {
                    "field": param,
                    "message": f"unknown code(s) {', '.join(map(repr, unknown))}; valid codes: {', '.join(valid)}",
                }
            )
    return errors
