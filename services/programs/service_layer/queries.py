"""Reading programs and applications: the public search and pages, operators' lists, applicants.

Queries that return someone's objects take the caller and filter by them: an operator
sees the programs of the spaces they run, a citizen their own applications.
"""

import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from chassis.errors import Invalid, NotFound
from chassis.times import parse_instant
from services.programs.adapters import applications as applications_repo
from services.programs.adapters import programs as programs_repo
from services.programs.adapters.tables import applications, program_sessions, programs, space_facts
from services.programs.domain import program as rules
from services.programs.domain.access import actor_of, as_uuid, require_role
from services.programs.service_layer import common, views

HANGUL_PAIR = re.compile("[가-힣]{2}")
MAX_PAGE, MAX_PAGE_SIZE, MAX_APPLICANTS_PAGE = 10_000, 100, 1000
PUBLIC_STATUSES = ("published", "finished", "cancelled")
CODE_LISTS = {"district": None, "type": None, "category": rules.CATEGORIES, "audience": rules.AUDIENCES}
LISTED = [c for c in programs.c if c.name not in ("description_ko", "description_en", "search_text", "step")]
APPLICATION_STATUSES = ("pending", "accepted", "waitlisted", "rejected", "withdrawn", "cancelled")


def get(uow, program_id, now: datetime) -> dict:
    program = common.load_program(uow, program_id)
    if program["status"] not in PUBLIC_STATUSES:
        raise NotFound(f"No program {program_id}.", {"program_id": str(program_id)})
    return views.public(program, now)


def get_for_actor(uow, actor, program_id, now: datetime) -> dict:
    actor = actor_of(actor)
    program = common.load_program(uow, program_id)
    common.managed_facts(uow, actor, program, program_id)
    counts = applications_repo.counts_by_status(uow.session, [str(program["id"])])[str(program["id"])]
    return views.for_operator(program, counts, now)


def search(uow, filters, now: datetime) -> dict:
    filters = _clean_filters(filters, ("q", "district", "type", "category", "audience", "space_id", "from", "to"))
    status = filters.get("status", "published")
    if status not in ("published", "finished"):
        raise Invalid.field("status", "must be published or finished")
    conditions = [programs.c.status == status, *_public_conditions(filters, now)]
    order = (programs.c.next_session_start.asc().nulls_last(), programs.c.first_session_start, programs.c.id)
    page = _page(uow, sa.select(*LISTED).where(*conditions), order, filters, scanned="q" in filters)
    page["items"] = [views.summary(program, now) for program in page["items"]]
    return page


def list_for_actor(uow, actor, filters, now: datetime) -> dict:
    actor = actor_of(actor)
    require_role(actor, "operator", "admin")
    filters = _clean_filters(filters, ("space_id",))
    query = sa.select(programs).join(space_facts, space_facts.c.space_id == programs.c.space_id)
    conditions = [] if actor.is_admin else [space_facts.c.operators.contains([actor.id])]
    if "status" in filters:
        if filters["status"] not in rules.STATUSES:
            raise Invalid.field("status", f"must be one of {', '.join(rules.STATUSES)}")
        conditions.append(programs.c.status == filters["status"])
    if "space_id" in filters:
        conditions.append(programs.c.space_id == filters["space_id"])
    order = (programs.c.first_session_start.desc(), programs.c.id)
    page = _page(uow, query.where(*conditions), order, filters)
    counts = applications_repo.counts_by_status(uow.session, [p["id"] for p in page["items"]])
    page["items"] = [views.for_operator(p, counts[p["id"]], now) for p in page["items"]]
    return page


def get_application(uow, actor, application_id) -> dict:
    actor = actor_of(actor)
    app, program = _application(uow, application_id)
    if str(app["citizen_id"]) != actor.id:
        common.managed_facts(uow, actor, program, application_id, what="application")
    return views.application(app, program, _position(uow, app))


def list_for_citizen(uow, actor, filters) -> dict:
    actor = actor_of(actor)
    filters = _clean_filters(filters, ())
    conditions = [applications.c.citizen_id == actor.id]
    if "status" in filters:
        conditions.append(applications.c.status == _application_status(filters["status"]))
    page, size = filters.get("page", 1), filters.get("page_size", 20)
    total = uow.session.execute(sa.select(sa.func.count()).select_from(applications).where(*conditions)).scalar_one()
    rows = uow.session.execute(
        sa.select(applications)
        .where(*conditions)
        .order_by(applications.c.created_at.desc(), applications.c.id)
        .limit(size)
        .offset((page - 1) * size)
    ).mappings()
    items = []
    for row in rows:
        app = dict(row)
        program = programs_repo.get(uow.session, str(app["program_id"]))
        if program is not None:
            items.append(views.application(app, program, _position(uow, app)))
    return {"items": items, "total": total, "page": page, "page_size": size}


def applicants(uow, actor, program_id, filters) -> dict:
    actor = actor_of(actor)
    program = common.load_program(uow, program_id)
    common.managed_facts(uow, actor, program, program_id)
    filters = _clean_filters(filters, (), max_page_size=MAX_APPLICANTS_PAGE)
    program_id = str(program["id"])
    statuses = (_application_status(filters["status"]),) if "status" in filters else APPLICATION_STATUSES
    everyone = applications_repo.in_status(uow.session, program_id, statuses)
    positions = _positions(applications_repo.in_status(uow.session, program_id, ("waitlisted",)))
    marked = applications_repo.attendance_of(uow.session, program_id)
    page, size = filters.get("page", 1), filters.get("page_size", 100)
    shown = everyone[(page - 1) * size : page * size]
    items = [
        {
            **views.application(app, program, positions.get(str(app["id"]))),
            "attendance": marked.get(str(app["id"]), []),
        }
        for app in shown
    ]
    counts = applications_repo.counts_by_status(uow.session, [program_id])[program_id]
    return {
        "items": items,
        "total": len(everyone),
        "page": page,
        "page_size": size,
        "counts": {status: counts.get(status, 0) for status in views.COUNTED},
    }


# --- helpers ---------------------------------------------------------------------------------------


def _public_conditions(filters: dict, now: datetime) -> list:
    conditions = []
    if "q" in filters:
        conditions += _text_conditions(filters["q"].lower())
    if "district" in filters:
        conditions.append(programs.c.district.in_(filters["district"]))
    if "type" in filters:
        conditions.append(programs.c.space_types.overlap(filters["type"]))
    for name in ("category", "audience"):
        if name in filters:
            conditions.append(programs.c[name].in_(filters[name]))
    if "space_id" in filters:
        conditions.append(programs.c.space_id == filters["space_id"])
    if "from" in filters or "to" in filters:
        session = program_sessions
        within = [session.c.program_id == programs.c.id]
        if "from" in filters:  # the program's span first: it rules most programs out without their sessions
            conditions.append(programs.c.last_session_end > filters["from"])
            within.append(session.c.ends_at > filters["from"])
        if "to" in filters:
            conditions.append(programs.c.first_session_start < filters["to"])
            within.append(session.c.starts_at < filters["to"])
        conditions.append(sa.exists(sa.select(1).select_from(session).where(*within)))
    if filters.get("open"):
        conditions += [programs.c.application_opens <= now, programs.c.application_closes > now]
    if filters.get("places_left"):
        conditions.append(programs.c.accepted_places < programs.c.capacity)
    return conditions


def _text_conditions(q: str) -> list:
    """``q`` anywhere in the program's text (its titles, descriptions and space's names).

    The trigram index serves three characters or more; a word of two Hangul syllables holds
    no whole trigram, so its syllable pairs are required through ``hangul_bigrams`` first.
    """
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    conditions: list[sa.ColumnElement[bool]] = [programs.c.search_text.ilike(pattern)]
    if HANGUL_PAIR.search(q):
        bigrams = sa.func.hangul_bigrams
        conditions.append(
            bigrams(programs.c.search_text, type_=ARRAY(sa.Text)).contains(bigrams(q, type_=ARRAY(sa.Text)))
        )
    return conditions


def _page(uow, query, order, filters: dict, scanned: bool = False) -> dict:
    """One page of ``query``'s programs, with their sessions, and the total.

    Most searches take two statements: the page walks an index in ``order`` and stops after
    it, and the count reads only ids (``count(*) OVER ()`` would build and sort every matching
    row first). A search whose matches are all read anyway (``scanned``: a text search checks
    each candidate's text) counts them in the page's statement instead of reading them twice.
    """
    page, size = filters.get("page", 1), filters.get("page_size", 20)
    if scanned:
        query = query.add_columns(sa.func.count().over().label("_total"))
    rows = uow.session.execute(query.order_by(*order).limit(size).offset((page - 1) * size)).mappings().all()
    if rows and scanned:
        total = rows[0]["_total"]
    elif page == 1 and len(rows) < size:
        total = len(rows)
    else:
        counted = query.with_only_columns(programs.c.id).order_by(None).subquery()
        total = uow.session.execute(sa.select(sa.func.count()).select_from(counted)).scalar_one()
    sessions = programs_repo.sessions_of_many(uow.session, [str(r["id"]) for r in rows])
    items = []
    for row in rows:
        program = {name: value for name, value in row.items() if name != "_total"}
        program["id"] = str(program["id"])
        program["sessions"] = sessions[program["id"]]
        items.append(program)
    return {"items": items, "total": total, "page": page, "page_size": size}


def _clean_filters(filters, allowed: tuple, max_page_size: int = MAX_PAGE_SIZE) -> dict:
    filters = dict(filters or {})
    known = {"status", "page", "page_size", "open", "places_left", *allowed}
    unknown = sorted(set(filters) - known)
    if unknown:
        raise Invalid.field(unknown[0], "is not a filter here")
    cleaned: dict = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name in ("page", "page_size"):
            high = MAX_PAGE if name == "page" else max_page_size
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
                raise Invalid.field(name, f"must be a whole number from 1 to {high}")
        elif name in ("open", "places_left"):
            if not isinstance(value, bool):
                raise Invalid.field(name, "must be true or false")
        elif name in CODE_LISTS:
            value = _codes(name, value, CODE_LISTS[name])
        elif name in ("from", "to"):
            value = parse_instant(value, name)
        elif name == "space_id":
            value = as_uuid(value)
            if value is None:
                raise Invalid.field(name, "must be a UUID")
        elif not isinstance(value, str) or len(value) > 100:
            raise Invalid.field(name, "must be text of at most 100 characters")
        cleaned[name] = value.strip() if isinstance(value, str) else value
    if cleaned.get("q") == "":
        del cleaned["q"]
    return cleaned


def _codes(name: str, value, options) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not 1 <= len(values) <= 50:
        raise Invalid.field(name, "must be one or more codes")
    for item in values:
        if not isinstance(item, str) or not 1 <= len(item) <= 50 or (options and item not in options):
            raise Invalid.field(name, f"must be one of {', '.join(options)}" if options else "must be codes")
    return values


def _application_status(value) -> str:
    if value not in APPLICATION_STATUSES:
        raise Invalid.field("status", f"must be one of {', '.join(APPLICATION_STATUSES)}")
    return value


def _application(uow, application_id) -> tuple[dict, dict]:
    known = as_uuid(application_id)
    app = applications_repo.get(uow.session, known) if known else None
    program = programs_repo.get(uow.session, str(app["program_id"])) if app else None
    if app is None or program is None:
        raise NotFound(f"No application {application_id}.", {"application_id": str(application_id)})
    return app, program


def _position(uow, app: dict) -> int | None:
    if app["status"] != "waitlisted":
        return None
    return applications_repo.waitlist_position(uow.session, str(app["program_id"]), app["seq"])


def _positions(waitlisted: list[dict]) -> dict[str, int]:
    return {str(app["id"]): position for position, app in enumerate(waitlisted, 1)}
