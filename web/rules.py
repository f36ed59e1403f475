"""A space's booking rules in plain words, and a broken rule as a message beside its field.

The gateway's ``booking_policy`` is numbers (``notice_minutes: 60``); a resident reads
"Book at least 1 hour ahead". A refused booking names its rule and what the rule
allows (``{"rule": "length", "allowed": {"min_minutes": 30, "max_minutes": 240}}``),
whether the web client found it before the request or the gateway after it; both
become the same sentence in the page's language, placed beside the field a person
would change (the gateway's English ``detail`` is never shown).
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from web.i18n import TIMEZONE, clock, day, instant

# The booking form's fields: where each rule's message goes ("" is the top of the form).
RULE_FIELDS = {
    "slot": "start",
    "length": "end",
    "notice": "start",
    "horizon": "date",
    "opening_hours": "start",
    "closure": "date",
    "party_size": "party_size",
    "quota": "",
    "cancel_deadline": "",
}


def duration(minutes: int) -> str:
    """``90`` → "1 hour 30 minutes"; whole days as days ("2 days")."""
    minutes = int(minutes)
    if minutes and minutes % 1440 == 0:
        return ngettext("%(num)s day", "%(num)s days", minutes // 1440)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)s minute", "%(num)s minutes", rest))
    return " ".join(parts)


def largest_party(policy: dict | None, capacity: int) -> int:
    """The most people one booking may bring: the policy's limit within the capacity it leaves."""
    if not policy:
        return capacity
    allowed = policy.get("effective_capacity", capacity)
    if policy.get("max_party_size") is not None:
        allowed = min(allowed, policy["max_party_size"])
    return allowed


def policy_rules(policy: dict | None, capacity: int) -> list[str]:
    """The policy as sentences a resident reads before booking, in the order they would ask."""
    if not policy:
        return []
    rules = []
    low, high = policy["min_minutes"], policy["max_minutes"]
    if low == high:
        rules.append(_("A booking lasts exactly %(length)s.", length=duration(low)))
    else:
        rules.append(
            _(
                "A booking lasts between %(min)s and %(max)s, in steps of %(step)s.",
                min=duration(low),
                max=duration(high),
                step=duration(policy["slot_minutes"]),
            )
        )
    if policy["notice_minutes"]:
        rules.append(_("Book at least %(notice)s ahead.", notice=duration(policy["notice_minutes"])))
    else:
        rules.append(_("You can book until the time starts."))
    rules.append(
        ngettext(
            "You can book up to %(num)s day ahead.", "You can book up to %(num)s days ahead.", policy["horizon_days"]
        )
    )
    if policy["approval"] == "automatic":
        rules.append(_("Bookings are confirmed at once."))
    else:
        rules.append(_("Requests are approved by the operator; you are told when they decide."))
    party = largest_party(policy, capacity)
    rules.append(ngettext("Up to %(num)s person per booking.", "Up to %(num)s people per booking.", party))
    if policy.get("effective_capacity", capacity) < capacity:
        rules.append(
            _(
                "For now the space takes at most %(count)s of its %(capacity)s places.",
                count=policy["effective_capacity"],
                capacity=capacity,
            )
        )
    rules.append(
        ngettext(
            "At most %(num)s active reservation per person at this space.",
            "At most %(num)s active reservations per person at this space.",
            policy["active_quota"],
        )
    )
    if policy["cancel_deadline_minutes"]:
        rules.append(
            _(
                "You can cancel up to %(deadline)s before the start.",
                deadline=duration(policy["cancel_deadline_minutes"]),
            )
        )
    else:
        rules.append(_("You can cancel until the start."))
    return rules


def rule_message(rule: str, allowed: dict | None, start: datetime | None = None) -> tuple[str, str]:
    """``(field, message)`` for a broken rule; ``start``: the booking's start (for the day it was on)."""
    allowed = allowed or {}
    field = RULE_FIELDS.get(rule, "")
    if rule == "slot":
        step = duration(allowed.get("slot_minutes", 0))
        return field, _("A booking starts and ends on a %(step)s step of the day.", step=step)
    if rule == "length":
        low, high = allowed.get("min_minutes", 0), allowed.get("max_minutes", 0)
        if low == high:
            return field, _("A booking lasts exactly %(length)s.", length=duration(low))
        return field, _("A booking lasts between %(min)s and %(max)s.", min=duration(low), max=duration(high))
    if rule == "notice":
        message = _("Book at least %(notice)s ahead.", notice=duration(allowed.get("notice_minutes", 0)))
        if allowed.get("earliest"):
            message += " " + _("The earliest start is %(earliest)s.", earliest=moment(allowed["earliest"]))
        return field, message
    if rule == "horizon":
        message = ngettext(
            "You can book up to %(num)s day ahead.",
            "You can book up to %(num)s days ahead.",
            allowed.get("horizon_days", 0),
        )
        if allowed.get("latest"):
            message += " " + _("The last possible start is %(latest)s.", latest=moment(allowed["latest"]))
        return field, message
    if rule == "opening_hours":
        return field, _("The space is not open for the whole time.") + " " + open_that_day(allowed.get("open"), start)
    if rule == "closure":
        closed = allowed.get("closed") or {}
        message = _(
            "The space is closed from %(start)s to %(end)s.",
            start=moment(closed.get("start")),
            end=moment(closed.get("end")),
        )
        if closed.get("reason"):
            message += " (" + str(closed["reason"]) + ")"
        return field, message
    if rule == "party_size":
        count = allowed.get("max_party_size", 0)
        return field, ngettext("At most %(num)s person may come.", "At most %(num)s people may come.", count)
    if rule == "quota":
        return field, ngettext(
            "You already hold %(num)s active reservation here, the most allowed.",
            "You already hold %(num)s active reservations here, the most allowed.",
            allowed.get("active_quota", 0),
        )
    if rule == "cancel_deadline":
        return field, _("It is too late to cancel this reservation.")
    return field, _("A booking rule does not allow this request.")


def moment(value) -> str:
    """An instant as a resident reads it in a sentence: "Dec 8, 2026, 10:00 AM" (no seconds)."""
    if not value:
        return ""
    pattern = Locale.parse(get_locale()).datetime_formats["medium"]  # "{1}, {0}": the date, then the time
    return str(pattern).replace("{1}", day(value, "medium")).replace("{0}", clock(value))


def open_that_day(intervals, start: datetime | None) -> str:
    """ "On that day it is open 9:00 AM–12:00 PM, 1:00 PM–6:00 PM." for the booking's local day."""
    if start is None:
        return ""
    zone = ZoneInfo(TIMEZONE)
    day_start = datetime.combine(start.astimezone(zone).date(), time(0), zone)
    day_end = day_start + timedelta(days=1)
    hours = []
    for interval in intervals or []:
        opens, closes = instant(interval["start"]), instant(interval["end"])
        if opens is None or closes is None:
            continue
        opens, closes = max(opens, day_start), min(closes, day_end)
        if opens < closes:
            hours.append(f"{clock(opens)}–{clock(closes)}")
    if not hours:
        return _("It is closed on %(day)s.", day=day(start, "long"))
    return _("On %(day)s it is open %(hours)s.", day=day(start, "long"), hours=", ".join(hours))
