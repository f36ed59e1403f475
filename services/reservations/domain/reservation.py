"""A reservation: its statuses, the moves between them, and how it is shown.

``pending`` (holds the slot) → ``approved`` or ``rejected``; ``pending`` or ``approved``
→ ``cancelled``; an undecided ``pending`` → ``expired``. Only ``pending`` and
``approved`` hold the slot, which is what the exclusion constraint's ``WHERE`` says.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from chassis.errors import Conflict, Invalid, RuleBroken
from services.reservations.domain.times import iso

STATUSES = ("pending", "approved", "rejected", "cancelled", "expired")
HOLDING = ("pending", "approved")
# action: (statuses it starts from, status it leads to)
TRANSITIONS = {
    "approve": (("pending",), "approved"),
    "reject": (("pending",), "rejected"),
    "cancel": (("pending", "approved"), "cancelled"),
    "expire": (("pending",), "expired"),
}
EVENTS = {
    "approved": "reservation.approved",
    "rejected": "reservation.rejected",
    "cancelled": "reservation.cancelled",
    "expired": "reservation.expired",
}


@dataclass
class Reservation:
    id: str
    space_id: str
    citizen_id: str
    start: datetime
    end: datetime
    party_size: int
    purpose: str
    status: str
    status_reason: str | None = None
    created_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    expires_at: datetime | None = None

    def apply(self, action: str, now: datetime, by: str | None = None, reason: str | None = None) -> None:
        """Move to the action's status, or raise ``Conflict`` naming the current one."""
        sources, target = TRANSITIONS[action]
        if action != "expire" and self.status == "pending" and self.expires_at and self.expires_at <= now:
            sources = ()  # undecided past its time: only the expiry timer may touch it now
        if self.status not in sources:
            raise Conflict(
                f"Cannot {action} a reservation that is {self.status}.", {"status": self.status, "action": action}
            )
        self.status, self.status_reason = target, reason
        self.decided_at, self.decided_by = now, by

    def require_cancellable_by_citizen(self, deadline_minutes: int, now: datetime) -> None:
        deadline = self.start - timedelta(minutes=deadline_minutes)
        if now > deadline:
            raise RuleBroken(
                f"Cancel at least {deadline_minutes} minutes before the start.",
                {
                    "rule": "cancel_deadline",
                    "allowed": {"cancel_deadline_minutes": deadline_minutes, "deadline": iso(deadline)},
                },
            )

    def out(self) -> dict:
        """The reservation as the citizen, its space's operators and administrators see it."""
        return {
            "id": self.id,
            "space_id": self.space_id,
            "citizen_id": self.citizen_id,
            "start": iso(self.start),
            "end": iso(self.end),
            "party_size": self.party_size,
            "purpose": self.purpose,
            "status": self.status,
            "status_reason": self.status_reason,
            "created_at": iso(self.created_at),
            "decided_at": iso(self.decided_at),
            "expires_at": iso(self.expires_at),
        }

    def event_data(self, by: str) -> dict:
        """Ids and times, no purpose or other personal text: what ``reservation.*`` events carry."""
        return {
            "reservation_id": self.id,
            "space_id": self.space_id,
            "citizen_id": self.citizen_id,
            "start": iso(self.start),
            "end": iso(self.end),
            "party_size": self.party_size,
            "status": self.status,
            "reason": self.status_reason,
            "by": by,
        }


def clean_reason(reason, required: bool = True) -> str | None:
    if reason is None and not required:
        return None
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 1000:
        raise Invalid.field("reason", "must be 1 to 1000 characters")
    return reason.strip()
