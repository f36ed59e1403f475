"""Instants, as ``chassis.times`` reads and writes them, and the periods availability asks about."""

from datetime import datetime

from chassis.errors import Invalid
from chassis.times import iso, now, parse_instant

__all__ = ["iso", "now", "parse_instant", "parse_period"]


def parse_period(start, end, max_days: int) -> tuple[datetime, datetime]:
    """A ``[from, to)`` period of at most ``max_days``, for availability questions."""
    begins, ends = parse_instant(start, "from"), parse_instant(end, "to")
    if ends <= begins:
        raise Invalid.field("to", "must be after from")
    if (ends - begins).total_seconds() > max_days * 86400:
        raise Invalid.field("to", f"the period may span at most {max_days} days")
    return begins, ends
