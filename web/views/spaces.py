"""A space's page and booking it.

``/spaces/<id>`` shows the space (names, description, address and map, hours, closures,
amenities, its booking rules in plain words, its next programs), a week of its
availability (``?week=YYYY-MM-DD``; htmx swaps the grid from ``/spaces/<id>/availability``)
and the booking form. A free cell of the grid is a link that fills the form
(``?week=&date=&start=&end=#book``), which ``spaces.js`` does in place when it runs.

Booking is two posts to ``/spaces/<id>/book``: the form (``step=review``), checked here
against the policy and the availability around it, answers a confirmation; the
confirmation (``step=confirm``) asks the gateway and redirects to the resident's
reservations. Any refusal, ours or the gateway's, shows the form again as it was typed,
with the message beside the field it concerns; a taken time offers the nearest free ones.
"""

from datetime import date, datetime, time, timedelta
from uuid import UUID

from babel.dates import format_date, format_skeleton, format_time, get_day_names
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, get_locale
from flask_babel import gettext as _

from web import booking as slots
from web.account import api, current_user, signed_in
from web.booking import Booking
from web.gateway import Problem
from web.i18n import clock, day, local
from web.pages import fragment, problem_message, render
from web.rules import duration, largest_party, policy_rules, rule_message

bp = Blueprint("spaces", __name__)

STEPS = ("review", "confirm", "edit")
FIELD_MESSAGES = {  # the gateway's ``invalid`` fields, in the page's language
    "start": lambda: _("Choose a valid start time."),
    "end": lambda: _("Choose a valid end time, after the start."),
    "party_size": lambda: _("Say how many people come: a whole number, at least 1."),
    "purpose": lambda: _("Write at most %(count)s characters.", count=slots.MAX_PURPOSE),
}


@bp.get("/spaces/<uuid:space_id>")
def detail(space_id: UUID):
    space = _space(space_id)
    values = {name: request.args.get(name, "") for name in slots.FORM_FIELDS}
    return _page(space, values)


@bp.get("/spaces/<uuid:space_id>/availability")
def availability(space_id: UUID):
    """The week grid alone: what htmx swaps in when a resident goes to another week."""
    if not fragment():  # a browser asking for the fragment itself gets the page at that week
        return redirect(url_for("spaces.detail", space_id=space_id, week=request.args.get("week")) + "#week")
    space = _space(space_id)
    return render_template("spaces/_week.html", **_week(space, _week_asked(space)))


@bp.get("/spaces/<uuid:space_id>/book")
def book_page(space_id: UUID):
    """The form lives on the space's page (a language switch after a refusal lands here)."""
    return redirect(url_for("spaces.detail", space_id=space_id, lang=request.args.get("lang")) + "#book")


@bp.post("/spaces/<uuid:space_id>/book")
@signed_in
def book(space_id: UUID):
    space = _space(space_id)
    zone = slots.zone_of(space)
    step = request.form.get("step") if request.form.get("step") in STEPS else "review"
    booking = Booking.read(request.form, zone)
    if step == "edit":
        return _page(space, booking.values)
    policy = space.get("booking_policy")
    errors = dict(booking.errors)
    for rule, allowed in slots.policy_problems(booking, policy, space, slots.now()):
        field, message = rule_message(rule, allowed, booking.start)
        errors.setdefault(field, message)
    if errors:
        return _refused(space, booking, errors)
    if step == "review":
        return _review(space, booking)
    try:
        made = api("POST", "/api/v1/reservations", auth=True, idempotent=True, json=booking.body(str(space_id)))
    except Problem as problem:
        return _gateway_refused(space, booking, problem)
    times = {"space": local(space, "name"), "day": day(made["start"], "full"), "start": clock(made["start"])}
    times["end"] = clock(made["end"])
    if made.get("status") == "approved":
        flash(_("Your booking of %(space)s on %(day)s, %(start)s–%(end)s, is confirmed.", **times), "success")
    else:
        flash(
            _(
                "Your request for %(space)s on %(day)s, %(start)s–%(end)s, is sent: it is pending, "
                "awaiting the operator's approval.",
                **times,
            ),
            "success",
        )
    return redirect(url_for("me.reservations"))


# --- the steps ----------------------------------------------------------------------


def _review(space: dict, booking: Booking):
    """The times against the space's availability around them, then the confirmation."""
    zone = slots.zone_of(space)
    window = slots.availability_window(booking, zone)
    try:
        answer = _availability(space, *window)
    except Problem:
        answer = None  # the gateway decides at the confirmation
    if answer is not None:
        open_, busy = slots.intervals(answer["open"]), slots.intervals(answer["busy"])
        if not slots.covers(open_, booking.start, booking.end):
            shown = [{"start": s.isoformat(), "end": e.isoformat()} for s, e in open_]
            return _refused(space, booking, {"start": rule_message("opening_hours", {"open": shown}, booking.start)[1]})
        if slots.overlaps(busy, booking.start, booking.end):
            taken = [(s, e) for s, e in busy if s < booking.end and booking.start < e]
            return _conflict(space, booking, _taken_message(taken), (open_, busy))
    return render(
        "spaces/confirm.html",
        space=space,
        form=booking.values,
        booking=booking,
        policy=space.get("booking_policy"),
        steps=_steps(2),
        duration=duration,
    )


def _gateway_refused(space: dict, booking: Booking, problem: Problem):
    """The gateway's answer as the form's messages, in the page's language."""
    if problem.status == 409 and (problem.body.get("conflicts") or problem.body.get("rule") == "program_block"):
        taken = [
            (datetime.fromisoformat(c["start"]), datetime.fromisoformat(c["end"]))
            for c in problem.body.get("conflicts") or []
        ]
        program = problem.body.get("rule") == "program_block"
        return _conflict(space, booking, _taken_message(taken, program=program), status=409)
    if problem.status == 422 and problem.code == "rule-broken":
        field, message = rule_message(str(problem.body.get("rule", "")), problem.body.get("allowed"), booking.start)
        return _refused(space, booking, {field: message})
    if problem.status == 422:
        errors = {}
        for name in problem.field_errors():
            errors[name if name in FIELD_MESSAGES else ""] = (
                FIELD_MESSAGES[name]() if name in FIELD_MESSAGES else _("The booking could not be made.")
            )
        return _refused(space, booking, errors or {"": _("The booking could not be made.")})
    if problem.status in (409, 429, 502, 503, 504):  # 409 here: the same request still in flight
        if problem.status == 409:
            message = _("Please try again in %(seconds)s seconds.", seconds=problem.retry_after or 5)
        else:
            message = problem_message(problem)
        return _refused(space, booking, {"": message}, status=problem.status if problem.status != 502 else 503)
    if problem.status == 403:
        return _refused(space, booking, {"": _("Only residents' accounts can book spaces.")}, status=403)
    if problem.status == 404:
        return _refused(space, booking, {"": _("This space cannot be booked now.")}, status=404)
    return _refused(space, booking, {"": _("The booking could not be made.")})


def _conflict(space: dict, booking: Booking, message: str, known=None, status: int = 409):
    """The time is taken: say so at the top of the form, with the nearest free times of its length."""
    zone = slots.zone_of(space)
    if known is None:
        try:
            answer = _availability(space, *slots.availability_window(booking, zone))
            known = (slots.intervals(answer["open"]), slots.intervals(answer["busy"]))
        except Problem:
            known = ([], [])
    open_, busy = known
    policy = space.get("booking_policy")
    found = slots.nearest_free(booking, open_, busy, policy, zone, slots.now())
    suggestions = [_suggestion(space, booking, start, end) for start, end in found]
    return _page(space, booking.values, {"": message}, suggestions=suggestions, status=status)


def _taken_message(taken: list, program: bool = False) -> str:
    message = _("A program uses the space at that time.") if program else _("That time is already booked.")
    if taken:
        start, end = taken[0]
        message += " " + _(
            "It is taken on %(day)s from %(start)s to %(end)s.",
            day=day(start, "long"),
            start=clock(start),
            end=clock(end),
        )
    return message


def _refused(space: dict, booking: Booking, errors: dict, status: int = 422):
    if any(errors.get(name) for name in errors if name) and not errors.get(""):
        errors[""] = _("Please check the fields marked below.")
    return _page(space, booking.values, errors, status=status)


def _suggestion(space: dict, booking: Booking, start: datetime, end: datetime) -> dict:
    zone = slots.zone_of(space)
    values = slots.slot_values(start, end, zone)
    keep = {name: booking.values[name] for name in ("party_size", "purpose") if booking.values.get(name)}
    href = url_for(
        "spaces.detail",
        space_id=space["id"],
        week=slots.monday_of(start.astimezone(zone).date()).isoformat(),
        **values,
        **keep,
    )
    return {"begins": start, "ends": end, "href": href + "#book", **values}


# --- the page -----------------------------------------------------------------------


def _page(space: dict, values: dict, errors: dict | None = None, *, suggestions=None, status=200):
    policy = space.get("booking_policy")
    starts, ends = slots.time_options(slots.slot_of(policy))
    context = _week(space, _week_asked(space, values.get("date")))
    today = slots.now().astimezone(slots.zone_of(space)).date()
    context.update(
        policy=policy,
        rules=policy_rules(policy, space["capacity"]),
        largest_party=largest_party(policy, space["capacity"]),
        hours=_hours(space),
        closures=_closures(space),
        fee=_fee(space),
        markers=[{"lat": space["lat"], "lng": space["lng"], "label": local(space, "name")}],
        form=values,
        errors=errors or {},
        suggestions=suggestions,
        starts=[(value, _time_label(value)) for value in starts],
        ends=[(value, _time_label(value)) for value in ends],
        today=today,
        last_day=today + timedelta(days=policy["horizon_days"]) if policy else None,
        steps=_steps(1),
        user=current_user(),
    )
    page = render("spaces/detail.html", **context)
    return page, status


def _week(space: dict, monday: date) -> dict:
    """The week grid's context: ``grid`` (or ``week_error``), ``monday``, ``previous``, ``next``."""
    zone = slots.zone_of(space)
    policy = space.get("booking_policy")
    today = slots.now().astimezone(zone).date()
    this_week = slots.monday_of(today)
    horizon = today + timedelta(days=policy["horizon_days"] if policy else 365)
    context = {
        "space": space,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7) if monday > this_week else None,
        "next": monday + timedelta(days=7) if monday + timedelta(days=7) <= horizon else None,
        "grid": None,
        "week_error": None,
        "day_label": _day_label,
        "time_label": _wall_clock,
        "long_day": _long_day,
    }
    try:
        answer = _availability(space, slots.midnight(monday, zone), slots.midnight(monday + timedelta(days=7), zone))
    except Problem as problem:
        context["week_error"] = problem_message(problem)
        return context
    context["grid"] = slots.week_grid(
        slots.intervals(answer["open"]), slots.intervals(answer["busy"]), policy, monday, zone, slots.now()
    )
    return context


def _week_asked(space: dict, chosen: str | None = None) -> date:
    """The Monday of ``?week=``, else of the chosen date, else of today (in the space's zone)."""
    asked = slots.parse_day(request.args.get("week")) or slots.parse_day(chosen)
    if asked is None or not date(2000, 1, 1) <= asked <= date(2100, 1, 1):
        asked = slots.now().astimezone(slots.zone_of(space)).date()
    return slots.monday_of(asked)


def _space(space_id: UUID) -> dict:
    return api("GET", f"/api/v1/spaces/{space_id}")


def _availability(space: dict, start: datetime, end: datetime) -> dict:
    return api(
        "GET",
        f"/api/v1/spaces/{space['id']}/availability",
        params={"from": start.isoformat(), "to": end.isoformat()},
    )


def _hours(space: dict) -> list[dict]:
    """Monday to Sunday: ``{name, hours: ["9:00 AM–12:00 PM", …]}`` (empty: closed that day)."""
    names = get_day_names("wide", locale=get_locale())
    week = []
    for weekday in range(1, 8):
        hours = []
        for interval in space.get("opening_hours") or []:
            if interval["weekday"] != weekday:
                continue
            if interval["opens"] == "00:00" and interval["closes"] == "24:00":
                hours.append(_("Open all day"))
            else:
                hours.append(f"{_time_label(interval['opens'])}–{_time_label(interval['closes'])}")
        week.append({"name": names[weekday - 1], "hours": hours})
    return week


def _closures(space: dict) -> list[dict]:
    """Closures not yet over, soonest first: ``{start, end, reason}`` as instants."""
    zone = slots.zone_of(space)
    shown = []
    for closure in space.get("closures") or []:
        start = datetime.fromisoformat(closure["starts_at"]).replace(tzinfo=zone)
        end = datetime.fromisoformat(closure["ends_at"]).replace(tzinfo=zone)
        if end > slots.now():
            shown.append({"start": start, "end": end, "reason": closure.get("reason", "")})
    return sorted(shown, key=lambda closure: closure["start"])


def _fee(space: dict) -> str:
    if not space.get("fee_per_hour"):
        return _("Free of charge")
    return _("%(fee)s per hour", fee=format_currency(space["fee_per_hour"], space.get("currency") or "KRW"))


def _time_label(value: str) -> str:
    """``"13:30"`` → "1:30 PM" (the language's own format); ``"24:00"`` → "midnight"."""
    minute = slots.parse_hhmm(value, end=True)
    if minute is None:
        return value
    if minute == slots.DAY:
        return _("midnight")
    return _wall_clock(time(minute // 60, minute % 60))


def _wall_clock(moment: time) -> str:
    return format_time(moment, "short", locale=get_locale())


def _long_day(moment: date) -> str:
    return format_date(moment, "long", locale=get_locale())


def _day_label(moment: date) -> str:
    """ "Mon, Dec 7" / "12월 7일 (월)": Babel's skeleton, in the page's language."""
    return format_skeleton("MMMEd", moment, locale=get_locale())


def _steps(current: int) -> list[dict]:
    names = (_("Time and details"), _("Confirm"), _("Done"))
    return [
        {"number": number, "name": name, "state": "done" if number < current else "active" if number == current else ""}
        for number, name in enumerate(names, start=1)
    ]
