"""Home and search: the districts and types with how many spaces each has, a few programs taking
applications, and the spaces that match a search, with every filter of ``GET /api/v1/spaces``.

The search is a GET form, so its URL is the search: a full load of it and the fragment htmx
asks for (``HX-Request``) come from the same templates with the same answer. What the
resident typed is sent as typed (but for times, which the form has in Seoul's local time and
the gateway wants with an offset); the gateway's 422 is shown beside the field it names.
"""

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, request
from flask_babel import format_decimal
from flask_babel import gettext as _

from web import catalogue
from web.account import api
from web.gateway import Problem
from web.i18n import local, when
from web.pages import PAGE_SIZE, form_errors, fragment, page_number, pages, problem_message, render, url_with

bp = Blueprint("search", __name__)

SEOUL = ZoneInfo("Asia/Seoul")
SINGLE = (
    "q",
    "min_capacity",
    "open_at",
    "available_from",
    "available_to",
    "lat",
    "lng",
    "radius_m",
    "sort",
    "page_size",
)
MULTI = ("district", "type", "amenity")
SHOWN = {*SINGLE, *MULTI} - {"lat", "lng", "page_size"}  # the fields a message can stand beside
MOMENTS = ("open_at", "available_from", "available_to")
SORTS = ("relevance", "name", "capacity")  # and first, "": the gateway's default, or distance near a location
RADII = (500, 1000, 2000, 5000, 10000)
DEFAULT_RADIUS = "2000"
PROGRAMS_ON_HOME = 4

# Where each district's marker goes on the home map: the district office, as the spaces service's
# catalogue (services/spaces/catalogue/districts.json) has it; GET /api/v1/districts does not say.
DISTRICT_CENTRES = {
    "jongno": (37.5735, 126.979),
    "jung": (37.5641, 126.9979),
    "yongsan": (37.5324, 126.99),
    "seongdong": (37.5633, 127.0371),
    "gwangjin": (37.5385, 127.0823),
    "dongdaemun": (37.5744, 127.04),
    "jungnang": (37.6066, 127.0927),
    "seongbuk": (37.5894, 127.0167),
    "gangbuk": (37.6396, 127.0257),
    "dobong": (37.6688, 127.0471),
    "nowon": (37.6542, 127.0568),
    "eunpyeong": (37.6027, 126.9291),
    "seodaemun": (37.5791, 126.9368),
    "mapo": (37.5663, 126.9019),
    "yangcheon": (37.517, 126.8665),
    "gangseo": (37.5509, 126.8495),
    "guro": (37.4954, 126.8874),
    "geumcheon": (37.4569, 126.8955),
    "yeongdeungpo": (37.5264, 126.8962),
    "dongjak": (37.5124, 126.9393),
    "gwanak": (37.4784, 126.9516),
    "seocho": (37.4837, 127.0324),
    "gangnam": (37.5172, 127.0473),
    "songpa": (37.5145, 127.1059),
    "gangdong": (37.5301, 127.1238),
}


@bp.get("/")
def home():
    errors: dict[str, str] = {}
    facets: dict = {"district": {}, "type": {}}
    total = None
    try:
        answer = api("GET", "/api/v1/spaces", params={"page_size": 1})
        facets = answer.get("facets") or facets
        total = answer.get("total")
    except Problem as problem:
        errors["spaces"] = problem_message(problem)
    try:
        programs = api("GET", "/api/v1/programs", params={"open": "true", "page_size": PROGRAMS_ON_HOME})["items"]
    except Problem as problem:
        programs = []
        errors["programs"] = problem_message(problem)
    return render(
        "search/home.html",
        facets=facets,
        total=total,
        programs=programs,
        district_markers=district_markers(facets.get("district") or {}),
        errors=errors,
    )


@bp.get("/spaces")
def results():
    form = search_form()
    page = page_number()
    answer = None
    errors: dict[str, str] = {}
    status = 200
    try:
        answer = api("GET", "/api/v1/spaces", params=gateway_params(form, page))
    except Problem as problem:
        errors = form_errors(problem)
        # a field the form does not show (page, or lat and lng the near-me button filled) is named on top
        elsewhere = [f"{name}: {message}" for name, message in errors.items() if name and name not in SHOWN]
        if elsewhere:
            beside = any(name in SHOWN for name in errors)
            errors[""] = " ".join([errors[""] if beside else _("The search could not be made."), *elsewhere])
        status = problem.status if problem.status in (422, 429, 503, 504) else 502
    items = [with_distance(item) for item in answer["items"]] if answer else []
    facets = (answer.get("facets") or {"district": {}, "type": {}}) if answer else None  # no answer, no counts
    response = render(
        "search/results.html",
        partial="search/_results.html",
        form=form,
        items=items,
        total=answer["total"] if answer else None,
        facets=facets,
        paging=pages(answer["total"], page, answer.get("page_size") or PAGE_SIZE) if answer else None,
        markers=space_markers(items),
        errors=errors,
        radii=RADII,
        sorts=SORTS,
        active=active_filters(form),
    )
    if fragment():
        # htmx swaps only a successful answer; the fragment of a refused search still says why
        return response, 200, {"HX-Push-Url": canonical_url()}
    return response, status


def search_form() -> dict:
    """The search as the resident typed it: one string per single field, a list per repeatable one;
    a location without a radius gets the default radius."""
    form: dict = {name: request.args.get(name, "").strip() for name in SINGLE}
    form.update({name: [value for value in request.args.getlist(name) if value] for name in MULTI})
    located = bool(form["lat"] and form["lng"])
    if located and not form["radius_m"]:
        form["radius_m"] = DEFAULT_RADIUS
    for name in MOMENTS:
        form[name] = local_moment(form[name])
    form["located"] = located
    return form


def gateway_params(form: dict, page: int) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = [("page", str(page))]
    if not form["page_size"]:
        params.append(("page_size", str(PAGE_SIZE)))
    for name in SINGLE:
        value = form[name]
        if name == "sort" and not value and form["located"]:
            value = "distance"  # the search near me: nearest first, unless told otherwise
        if value:
            params.append((name, with_offset(value) if name in MOMENTS else value))
    for name in MULTI:
        params.extend((name, value) for value in form[name])
    return params


def local_moment(value: str) -> str:
    """What a datetime-local input shows: an instant with an offset (a shared API link) becomes
    Seoul's wall-clock time; anything else stays as typed."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(SEOUL)
    return moment.strftime("%Y-%m-%dT%H:%M")


def with_offset(value: str) -> str:
    """A datetime-local value (Seoul's wall-clock time) as the gateway wants it: with +09:00. What
    is not a time at all goes as typed, for the gateway to say what is wrong with it."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SEOUL)
    return moment.isoformat()


def active_filters(form: dict) -> list[tuple[str, str]]:
    """Each filter in use, as what it says and the URL of this search without it."""
    active = []
    if form["q"]:
        active.append((_("Words: %(words)s", words=form["q"]), url_with(q=None)))
    for name, kind in (("district", "districts"), ("type", "types"), ("amenity", "amenities")):
        for code in form[name]:
            others = [value for value in form[name] if value != code]
            active.append((catalogue.label(kind, code), url_with(**{name: others})))
    if form["min_capacity"]:
        active.append((_("At least %(num)s people", num=form["min_capacity"]), url_with(min_capacity=None)))
    if form["open_at"]:
        active.append((_("Open at %(time)s", time=shown_moment(form["open_at"])), url_with(open_at=None)))
    if form["available_from"] or form["available_to"]:
        start, end = shown_moment(form["available_from"]), shown_moment(form["available_to"])
        if start and end:
            text = _("Free from %(start)s to %(end)s", start=start, end=end)
        else:
            text = _("Free from %(start)s", start=start) if start else _("Free until %(end)s", end=end)
        active.append((text, url_with(available_from=None, available_to=None)))
    if form["lat"] or form["lng"]:
        sort = None if form["sort"] in ("", "distance") else form["sort"]  # nearest first needs the location
        active.append((_("Near my location"), url_with(lat=None, lng=None, radius_m=None, sort=sort)))
    return active


def shown_moment(value: str) -> str:
    """A time of the form in the page's language, or as typed if it is not one."""
    try:
        return when(with_offset(value), "short")
    except ValueError:
        return value


def with_distance(item: dict) -> dict:
    """The space with its distance in words, when the search had a location."""
    metres = item.get("distance_m")
    if metres is None:
        return item
    if metres < 1000:
        text = _("%(metres)s m", metres=format_decimal(round(metres), "#,##0"))
    else:
        text = _("%(km)s km", km=format_decimal(metres / 1000, "#,##0.0"))
    return {**item, "distance": text}


def canonical_url() -> str:
    """This search's URL without the fields left empty: what the address bar shows after htmx."""
    pairs = [(key, value) for key, value in request.args.items(multi=True) if value.strip()]
    return f"{request.path}?{urlencode(pairs)}" if pairs else request.path


def space_markers(items: list[dict]) -> list[dict]:
    return [
        {"lat": item["lat"], "lng": item["lng"], "label": local(item, "name"), "href": f"/spaces/{item['id']}"}
        for item in items
        if item.get("lat") is not None and item.get("lng") is not None
    ]


def district_markers(counts: dict[str, int]) -> list[dict]:
    markers = []
    for district in catalogue.items("districts"):
        centre = DISTRICT_CENTRES.get(district["code"])
        if centre is None:
            continue
        count = counts.get(district["code"], 0)
        markers.append(
            {
                "lat": centre[0],
                "lng": centre[1],
                "label": _("%(district)s: %(count)s spaces", district=local(district, "name"), count=count),
                "href": f"/spaces?district={district['code']}",
            }
        )
    return markers
