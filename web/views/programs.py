"""Programs: find one, read it, apply to it, withdraw.

``/programs`` is a GET form over ``GET /api/v1/programs`` (htmx swaps only the results and
pushes the URL, so a search can be shared). ``/programs/<id>`` shows the program, its
sessions in Seoul time and its places, and for a signed-in resident either their
application (status, waiting-list position, withdraw) or the apply form. Applying and
withdrawing are ``<form>`` POSTs that redirect back to the program's page with a message;
a refusal of the gateway's is shown on the form, in the page's language.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _

from web import account
from web.account import SignInRequired, api, current_user, signed_in
from web.gateway import Problem
from web.i18n import TIMEZONE, clock, day, instant
from web.pages import PAGE_SIZE, form_errors, fragment, page_number, pages, problem_message, render

bp = Blueprint("programs", __name__)

SEOUL = ZoneInfo(TIMEZONE)
CATEGORIES = ("lecture", "workshop", "club", "exhibition", "visit", "other")
ACTIVE = ("pending", "accepted", "waitlisted")  # an application that holds (or waits for) a place
MY_APPLICATIONS_PAGES = 5  # pages of 100 searched for the resident's application to one program
NOTE_LIMIT = 500
FORM_STATUSES = (409, 422, 429, 503, 504)


# --- the words for the API's codes ------------------------------------------------------------


def category_labels() -> dict[str, str]:
    return {
        "lecture": _("Lecture"),
        "workshop": _("Workshop"),
        "club": _("Club"),
        "exhibition": _("Exhibition"),
        "visit": _("Visit"),
        "other": _("Other"),
    }


def audience_labels() -> dict[str, str]:
    return {
        "all": _("Everyone"),
        "children": _("Children"),
        "youth": _("Young people"),
        "adults": _("Adults"),
        "seniors": _("Older people"),
    }


def selection_explained(program: dict) -> str:
    """How places are given, in plain words."""
    closes = moment(program.get("application_closes"))
    return {
        "first_come": _(
            "First come, first served: while places are left, an application is accepted at once. "
            "When the program is full, you join the waiting list and move up when someone withdraws."
        ),
        "review": _(
            "Reviewed by the operator: the space's operator reads each application and accepts or "
            "declines it. You will be told the decision."
        ),
        "lottery": _(
            "Drawn by lot: every application made before applications close (%(closes)s) takes part in a "
            "draw; places go in the drawn order and the others join the waiting list in that order.",
            closes=closes,
        ),
    }.get(program.get("selection", ""), "")


def application_labels() -> dict[str, str]:
    return {
        "pending": _("Waiting for a decision"),
        "accepted": _("Accepted"),
        "waitlisted": _("On the waiting list"),
        "rejected": _("Not accepted"),
        "withdrawn": _("Withdrawn"),
        "cancelled": _("Cancelled"),
    }


def moment(value) -> str:
    """An instant as a sentence names it: the day in full words and the time (Seoul, the page's language)."""
    return f"{day(value, 'long')} {clock(value)}" if value else ""


def window(program: dict, now: datetime | None = None) -> str:
    """Where the program's applications stand: ``upcoming``, ``open``, ``closed``, or the program's
    own status when it is over (``finished``, ``cancelled``)."""
    if program.get("status") in ("finished", "cancelled"):
        return program["status"]
    now = now or datetime.now(UTC)
    opens, closes = instant(program.get("application_opens")), instant(program.get("application_closes"))
    if opens and now < opens:
        return "upcoming"
    if closes and now >= closes:
        return "closed"
    return "open"


def badge(program: dict) -> tuple[str, str]:
    """The status badge of a program: ``(KRDS badge class, words)``."""
    state = window(program)
    if state == "open" and places_left(program) <= 0 and program.get("selection") == "first_come":
        return "bg-light-warning", _("Full: waiting list")
    return {
        "open": ("bg-light-success", _("Open for applications")),
        "upcoming": ("bg-light-information", _("Applications open soon")),
        "closed": ("bg-light-gray", _("Applications closed")),
        "finished": ("bg-light-gray", _("Finished")),
        "cancelled": ("bg-light-danger", _("Cancelled")),
    }[state]


def places_left(program: dict) -> int:
    if program.get("places_left") is not None:
        return max(0, int(program["places_left"]))
    return max(0, int(program.get("capacity", 0)) - int(program.get("accepted_count", 0)))


def words() -> dict:
    """What the templates need to name the codes."""
    return {
        "category_names": category_labels(),
        "audience_names": audience_labels(),
        "application_names": application_labels(),
        "badge": badge,
        "places_left": places_left,
        "window": window,
    }


# --- the list ------------------------------------------------------------------------------------


@bp.get("/programs")
def index():
    form = {name: request.args.get(name, "").strip() for name in ("q", "district", "category", "from", "to")}
    form["open"] = request.args.get("open", "") in ("1", "true", "on")
    errors: dict[str, str] = {}
    params = _search_params(form, errors)
    answer = {"items": [], "total": 0}
    status = 200
    if not errors:
        try:
            answer = api("GET", "/api/v1/programs", params=params)
        except Problem as problem:
            errors = _search_errors(problem)
            status = problem.status if problem.status in FORM_STATUSES else 502
    elif "" not in errors:
        errors[""] = _("Please check the fields marked below.")
        status = 422
    if fragment():
        status = 200  # htmx swaps only a successful answer; the message is in the fragment
    paging = pages(answer.get("total", 0), page_number())
    page = render(
        "programs/index.html",
        partial="programs/_search.html",
        form=form,
        errors=errors,
        programs=answer.get("items", []),
        paging=paging,
        **words(),
    )
    return page, status


def _search_params(form: dict, errors: dict[str, str]) -> dict:
    """The gateway's filters from the form; a date the resident mistyped is named in ``errors``."""
    params: dict = {"page": page_number(), "page_size": PAGE_SIZE}
    if form["q"]:
        params["q"] = form["q"][:100]
    if form["district"]:
        params["district"] = form["district"]
    if form["category"]:
        if form["category"] in CATEGORIES:
            params["category"] = form["category"]
        else:
            errors["category"] = _("Choose a category from the list.")
    start = _date(form["from"], "from", errors)
    end = _date(form["to"], "to", errors)
    if start:
        params["from"] = datetime.combine(start, time(), SEOUL).isoformat()
    if end:
        params["to"] = datetime.combine(end + timedelta(days=1), time(), SEOUL).isoformat()  # the whole day
    if start and end and end < start:
        errors["to"] = _("The last day must not be before the first day.")
    if form["open"]:
        params["open"] = "true"
    return params


def _search_errors(problem: Problem) -> dict[str, str]:
    """A refused search: the dates the gateway named beside their fields, in the page's language."""
    errors = {"": problem_message(problem)}
    named = problem.field_errors()
    for name in ("from", "to"):
        if name in named:
            errors[name] = _("This date cannot be searched. Choose another one.")
    if problem.status == 422:
        shown = set(errors) - {""}
        errors[""] = (
            _("Please check the fields marked below.")
            if shown
            else _("This search cannot be made. Change the filters.")
        )
    return errors


def _date(text: str, name: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = _("Enter a date such as %(example)s.", example="2026-05-04")
        return None


# --- one program ---------------------------------------------------------------------------------


@bp.get("/programs/<uuid:program_id>")
def detail(program_id):
    program = api("GET", f"/api/v1/programs/{program_id}")
    return _detail_page(program, form={}, errors={})


def _detail_page(program: dict, *, form: dict, errors: dict[str, str], status: int = 200):
    mine, history, unknown = _my_applications(str(program["id"]))
    page = render(
        "programs/detail.html",
        program=program,
        mine=mine,
        history=history,
        mine_unknown=unknown,
        selection_text=selection_explained(program),
        form=form,
        errors=errors,
        login_next=url_for("programs.detail", program_id=program["id"]),
        **words(),
    )
    return page, status


def _my_applications(program_id: str) -> tuple[dict | None, dict | None, bool]:
    """The signed-in resident's active application to this program, their latest past one, and
    whether their applications could not be read (the page then says so instead of offering a form)."""
    if current_user() is None:
        return None, None, False
    latest_past = None
    try:
        for page in range(1, MY_APPLICATIONS_PAGES + 1):
            answer = api("GET", "/api/v1/me/applications", auth=True, params={"page": page, "page_size": 100})
            for item in answer.get("items", []):
                if str(item.get("program_id")) != program_id:
                    continue
                if item.get("status") in ACTIVE:
                    return item, latest_past, False
                latest_past = latest_past or item  # newest first
            if page * 100 >= answer.get("total", 0):
                break
    except SignInRequired:  # the session ended: the page is shown as to anyone
        return None, None, False
    except Problem:
        return None, latest_past, True
    return None, latest_past, False


@bp.post("/programs/<uuid:program_id>/apply")
@signed_in
def apply(program_id):
    program = api("GET", f"/api/v1/programs/{program_id}")
    form = {"note": request.form.get("note", "").strip(), "party_size": request.form.get("party_size", "1").strip()}
    body: dict = {}
    errors: dict[str, str] = {}
    if form["note"]:
        if len(form["note"]) > NOTE_LIMIT:
            errors["note"] = _("Write at most %(count)s characters.", count=NOTE_LIMIT)
        body["note"] = form["note"]
    companions = int(program.get("companions") or 0)
    if companions:
        size = int(form["party_size"]) if form["party_size"].isdigit() else 0
        if not 1 <= size <= companions + 1:
            errors["party_size"] = _("Choose from 1 to %(count)s people.", count=companions + 1)
        body["party_size"] = size
    if errors:
        errors[""] = _("Please check the fields marked below.")
        return _detail_page(program, form=form, errors=errors, status=422)
    try:
        answer = api("POST", f"/api/v1/programs/{program_id}/applications", auth=True, json=body, idempotent=True)
    except Problem as problem:
        if problem.status not in FORM_STATUSES:
            raise
        return _detail_page(program, form=form, errors=_apply_errors(problem), status=problem.status)
    flash(_applied_message(answer, program), "success")
    return redirect(url_for("programs.detail", program_id=program_id))


def _applied_message(answer: dict, program: dict) -> str:
    status = answer.get("status")
    if status == "accepted":
        return _("Your application is accepted: you have a place in this program.")
    if status == "waitlisted":
        return _(
            "The program is full: you are on the waiting list at position %(position)s.",
            position=answer.get("waitlist_position") or "?",
        )
    if program.get("selection") == "lottery":
        return _(
            "Your application is received. Places are drawn by lot when applications close on %(closes)s.",
            closes=moment(program.get("application_closes")),
        )
    return _("Your application is received. The operator will review it and you will be told the decision.")


def _apply_errors(problem: Problem) -> dict[str, str]:
    """The gateway's refusal of an application as the form's messages, in the page's language."""
    errors = form_errors(problem)
    body = problem.body
    if problem.status == 409:
        if "program_id" in body:
            errors[""] = _("You have already applied to this program.")
        elif "application_opens" in body:
            errors[""] = _(
                "Applications are taken from %(opens)s to %(closes)s.",
                opens=moment(body.get("application_opens")),
                closes=moment(body.get("application_closes")),
            )
        elif body.get("status") == "cancelled":
            errors[""] = _("This program has been cancelled.")
        elif body.get("status") == "finished":
            errors[""] = _("This program has finished.")
        elif "left" in body:
            errors[""] = _("There are not enough places left for your party.")
        elif "retry_after" in body or problem.retry_after:
            errors[""] = _(
                "Many people are applying right now. Please try again in %(seconds)s seconds.",
                seconds=problem.retry_after or body.get("retry_after") or 1,
            )
        else:
            errors[""] = _("This program does not take your application now.")
    elif problem.status == 422:
        named = problem.field_errors()
        if "party_size" in named:
            errors["party_size"] = _("Your party is larger than this program allows.")
        if "note" in named:
            errors["note"] = _("Write at most %(count)s characters.", count=NOTE_LIMIT)
        errors[""] = _("Please check the fields marked below.") if named else problem_message(problem)
    return errors


# --- withdrawing -----------------------------------------------------------------------------------


@bp.post("/applications/<uuid:application_id>/withdraw")
@signed_in
def withdraw(application_id):
    """Without ``confirmed``: the confirm step (a page that says what withdrawing means); with it,
    the withdrawal, then back to the program (or ``next``)."""
    application = api("GET", f"/api/v1/applications/{application_id}", auth=True)
    program = application.get("program") or {"id": application.get("program_id")}
    target = request.form.get("next") or url_for("programs.detail", program_id=application["program_id"])
    target = account.safe_next(target)
    if application.get("status") not in ACTIVE:
        flash(_("This application can no longer be withdrawn (%(status)s).", status=_status_word(application)), "info")
        return redirect(target)
    if request.form.get("confirmed") != "yes":
        return render(
            "programs/withdraw.html", application=application, program=program, next=target, errors={}, **words()
        )
    try:
        api("POST", f"/api/v1/applications/{application_id}/withdraw", auth=True)
    except Problem as problem:
        if problem.status not in FORM_STATUSES:
            raise
        errors = form_errors(problem)
        if problem.status == 409:
            errors[""] = _withdraw_refusal(problem)
        page = render(
            "programs/withdraw.html", application=application, program=program, next=target, errors=errors, **words()
        )
        return page, problem.status
    flash(_("Your application is withdrawn."), "success")
    return redirect(target)


def _withdraw_refusal(problem: Problem) -> str:
    status = problem.body.get("status")
    if status in ("finished", "cancelled"):
        return _("The program is over: its applications can no longer change.")
    if status:
        return _("This application can no longer be withdrawn.")
    return problem_message(problem)


def _status_word(application: dict) -> str:
    return application_labels().get(application.get("status", ""), application.get("status", ""))
