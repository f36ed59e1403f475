"""A resident's own pages: my reservations (and cancelling one), my calendar, my applications.

The lists come from the gateway's ``/me`` routes as the signed-in resident. A reservation
carries its space's id only, so the page reads each distinct space once (its names, and
the booking policy whose ``cancel_deadline_minutes`` says until when a reservation can
be cancelled). Cancelling is a page of its own with a real form, so it works without
JavaScript: the reservation's page asks to confirm, the POST cancels and redirects.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from web.account import api, signed_in
from web.gateway import Problem
from web.i18n import TIMEZONE, local
from web.pages import PAGE_SIZE, form_errors, page_number, pages, render

bp = Blueprint("me", __name__)

RESERVATION_STATUSES = {
    "pending": (_l("Pending"), "bg-light-warning"),
    "approved": (_l("Approved"), "bg-light-success"),
    "rejected": (_l("Rejected"), "bg-light-danger"),
    "cancelled": (_l("Cancelled"), "bg-light-gray"),
    "expired": (_l("Expired"), "bg-light-gray"),
}
APPLICATION_STATUSES = {
    "accepted": (_l("Accepted"), "bg-light-success"),
    "waitlisted": (_l("On the waiting list"), "bg-light-information"),
    "pending": (_l("Pending"), "bg-light-warning"),
    "rejected": (_l("Rejected"), "bg-light-danger"),
    "withdrawn": (_l("Withdrawn"), "bg-light-gray"),
    "cancelled": (_l("Cancelled"), "bg-light-gray"),
}
PERIODS = {
    "upcoming": _l("Upcoming"),
    "past": _l("Past"),
    "all": _l("All"),
}
REASON_LIMIT = 500  # the gateway's CancelIn.reason
SEOUL = ZoneInfo(TIMEZONE)


@bp.app_template_global()
def reservation_status(code: str) -> tuple[str, str]:
    """``(label, badge class)`` of a reservation's status, in the page's language."""
    label, badge = RESERVATION_STATUSES.get(code, (code, "bg-light-gray"))
    return str(label), badge


@bp.app_template_global()
def application_status(code: str) -> tuple[str, str]:
    label, badge = APPLICATION_STATUSES.get(code, (code, "bg-light-gray"))
    return str(label), badge


@bp.get("/me/reservations")
@signed_in
def reservations():
    period = request.args.get("when", "upcoming")
    period = period if period in PERIODS else "upcoming"
    status = request.args.get("status", "")
    status = status if status in RESERVATION_STATUSES else ""
    page = page_number()
    params = {"page": page, "page_size": PAGE_SIZE}
    if period != "all":
        params["when"] = period
    if status:
        params["status"] = status
    answer = api("GET", "/api/v1/me/reservations", auth=True, params=params)
    spaces = _spaces({item["space_id"] for item in answer["items"]})
    items = [_shown(item, spaces.get(item["space_id"])) for item in answer["items"]]
    return render(
        "me/reservations.html",
        partial="me/_reservations.html",
        items=items,
        period=period,
        periods=PERIODS,
        status=status,
        statuses=RESERVATION_STATUSES,
        paging=pages(answer["total"], page),
        now=datetime.now(UTC),
    )


@bp.get("/me/reservations/<uuid:reservation_id>")
@signed_in
def reservation(reservation_id):
    item = _reservation(reservation_id)
    return render_template("me/reservation.html", item=item, form={}, errors={})


@bp.post("/me/reservations/<uuid:reservation_id>/cancel")
@signed_in
def cancel(reservation_id):
    reason = request.form.get("reason", "").strip()
    form = {"reason": reason}
    errors: dict[str, str] = {}
    status, item = 422, None
    if len(reason) > REASON_LIMIT:
        errors = {"reason": _("At most %(count)s characters, please.", count=REASON_LIMIT)}
    else:
        try:
            api(
                "POST",
                f"/api/v1/reservations/{reservation_id}/cancel",
                auth=True,
                json={"reason": reason or None},
            )
        except Problem as problem:
            if problem.status not in (409, 422):
                raise
            item = _reservation(reservation_id)  # as it is now, which the refusal may be about
            errors, status = _cancel_errors(problem, item), problem.status
        else:
            flash(_("Your reservation is cancelled."), "success")
            return redirect(url_for("me.reservations"))
    errors.setdefault("", _("Please check the fields marked below."))
    item = item if item is not None else _reservation(reservation_id)
    return render_template("me/reservation.html", item=item, form=form, errors=errors), status


@bp.get("/me/reservations.ics")
@signed_in
def calendar():
    """The gateway's feed of my approved reservations, as a file to import into a calendar app."""
    feed = api("GET", "/api/v1/me/reservations.ics", auth=True, accept="text/calendar")
    body = feed if isinstance(feed, bytes) else str(feed or "").encode()
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="community-space-reservations.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/me/applications")
@signed_in
def applications():
    status = request.args.get("status", "")
    status = status if status in APPLICATION_STATUSES else ""
    page = page_number()
    params = {"page": page, "page_size": PAGE_SIZE}
    if status:
        params["status"] = status
    answer = api("GET", "/api/v1/me/applications", auth=True, params=params)
    items = []
    for item in answer["items"]:
        program = item.get("program") or _program(item["program_id"])
        items.append({**item, "program": program, "title": local(program, "title") or _("A program")})
    return render(
        "me/applications.html",
        partial="me/_applications.html",
        items=items,
        status=status,
        statuses=APPLICATION_STATUSES,
        paging=pages(answer["total"], page),
    )


def _reservation(reservation_id) -> dict:
    item = api("GET", f"/api/v1/reservations/{reservation_id}", auth=True)
    return _shown(item, _spaces({item["space_id"]}).get(item["space_id"]))


def _spaces(ids: set[str]) -> dict[str, dict | None]:
    """Each space by id as the public reads it; ``None`` for one no longer published."""
    found: dict[str, dict | None] = {}
    for space_id in sorted(ids):
        try:
            found[space_id] = api("GET", f"/api/v1/spaces/{space_id}")
        except Problem as problem:
            if problem.status not in (403, 404):
                raise
            found[space_id] = None
    return found


def _program(program_id: str) -> dict | None:
    try:
        return api("GET", f"/api/v1/programs/{program_id}")
    except Problem as problem:
        if problem.status not in (403, 404):
            raise
        return None


def _shown(item: dict, space: dict | None) -> dict:
    """A reservation with what its row shows: the space's name, and whether (and until when)
    the resident may cancel it, by the rule the reservations service applies."""
    now = datetime.now(UTC)
    start, end = datetime.fromisoformat(item["start"]), datetime.fromisoformat(item["end"])
    policy = (space or {}).get("booking_policy") or {}
    deadline = None
    cancellable = False
    if item["status"] == "pending":
        expires = item.get("expires_at")
        cancellable = end > now and (expires is None or datetime.fromisoformat(expires) > now)
    elif item["status"] == "approved":
        minutes = policy.get("cancel_deadline_minutes")
        deadline = start - timedelta(minutes=minutes) if minutes is not None else None
        cancellable = now < (deadline or start)
    return {
        **item,
        "space": space,
        "space_name": local(space, "name") if space else _("A space no longer listed"),
        "same_day": start.astimezone(SEOUL).date() == end.astimezone(SEOUL).date(),
        "cancellable": cancellable,
        "cancel_deadline": deadline,
    }


def _cancel_errors(problem: Problem, item: dict) -> dict[str, str]:
    """What a refused cancellation means, in the page's language (the gateway's detail is English)."""
    errors = form_errors(problem)
    if problem.status == 422 and problem.body.get("rule") == "cancel_deadline":
        minutes = (problem.body.get("allowed") or {}).get("cancel_deadline_minutes")
        errors[""] = _(
            "The cancellation deadline has passed: a reservation here can be cancelled up to "
            "%(minutes)s minutes before it starts.",
            minutes=minutes if minutes is not None else "?",
        )
    elif problem.status == 409 and item["status"] not in ("pending", "approved"):
        errors[""] = _(
            "This reservation can no longer be cancelled. Its status: %(status)s.",
            status=reservation_status(item["status"])[0],
        )
    elif problem.status == 409:
        errors[""] = _("This reservation can no longer be cancelled.")
    return errors
