"""The space: its statuses, the transitions between them, and how it is shown.

``draft`` → ``submitted`` → ``published``; an administrator returns a submission to
``draft`` with a reason, suspends a published space and reinstates it; anyone who
manages it may close it for good.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from chassis.errors import Conflict, Invalid
from services.spaces.domain.schedule import closure_out

STATUSES = ("draft", "submitted", "published", "suspended", "closed")
# action: (statuses it starts from, status it leads to, whether it takes a reason)
TRANSITIONS = {
    "submit": (("draft",), "submitted", False),
    "publish": (("submitted",), "published", False),
    "return_to_draft": (("submitted",), "draft", True),
    "suspend": (("published",), "suspended", True),
    "reinstate": (("suspended",), "published", False),
    "close": (("draft", "submitted", "published", "suspended"), "closed", True),
}
PUBLIC_FIELDS = (
    "id",
    "name_ko",
    "name_en",
    "description_ko",
    "description_en",
    "address_ko",
    "address_en",
    "types",
    "district",
    "lat",
    "lng",
    "capacity",
    "floor_area_m2",
    "amenities",
    "opening_hours",
    "timezone",
    "photos",
    "phone",
    "email",
    "fee_per_hour",
    "currency",
)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Space:
    id: str
    status: str
    operators: list[str]
    details: dict  # the fields register takes, cleaned (see validation.py), closures apart
    closures: list[dict] = field(default_factory=list)
    status_reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    published_at: datetime | None = None

    def apply(self, action: str, reason: str | None = None) -> None:
        """Move to the action's status, or raise ``Conflict`` naming the current one."""
        sources, target, takes_reason = TRANSITIONS[action]
        if self.status not in sources:
            raise Conflict(
                f"Cannot {action.replace('_', ' ')} a space that is {self.status}; it must be {' or '.join(sources)}.",
                {"status": self.status, "action": action},
            )
        self.status = target
        self.status_reason = clean_reason(reason) if takes_reason else None
        self.updated_at = now()
        if target == "submitted":
            self.submitted_at = self.updated_at
        if target == "published":
            self.published_at = self.updated_at

    def require_open_for_changes(self) -> None:
        if self.status == "closed":
            raise Conflict("A closed space cannot be changed.", {"status": self.status})

    @property
    def is_public(self) -> bool:
        return self.status in ("published", "suspended")

    def full(self) -> dict:
        """The space as its operators and administrators see it."""
        return {
            "id": self.id,
            "status": self.status,
            "status_reason": self.status_reason,
            "operators": list(self.operators),
            **self.details,
            "type": self.details["types"][0],
            "closures": [closure_out(c) for c in self.closures],
            "fee_per_hour": _plain_number(self.details["fee_per_hour"]),
            **{
                name: _iso(getattr(self, name)) for name in ("created_at", "updated_at", "submitted_at", "published_at")
            },
        }

    def public(self) -> dict:
        """The published view: everything about the place, nothing about who runs it."""
        full = self.full()
        shown = {name: full[name] for name in PUBLIC_FIELDS}
        return {
            **shown,
            "type": full["type"],
            "status": self.status,
            "closures": full["closures"],
            "published_at": full["published_at"],
        }

    def facts(self) -> dict:
        """What other services need to know about it: the data of every ``space.*`` event.

        The names are there for services that show the space beside their own things (a
        program's page, a notification) without asking the spaces service each time.
        """
        return {
            "space_id": self.id,
            "name_ko": self.details["name_ko"],
            "name_en": self.details["name_en"],
            "status": self.status,
            "status_reason": self.status_reason,
            "operators": list(self.operators),
            "district": self.details["district"],
            "types": list(self.details["types"]),
            "capacity": self.details["capacity"],
            "timezone": self.details["timezone"],
            "opening_hours": list(self.details["opening_hours"]),
            "closures": [closure_out(c) for c in self.closures],
        }


def clean_reason(reason) -> str:
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 1000:
        raise Invalid.field("reason", "must be 1 to 1000 characters")
    return reason.strip()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _plain_number(value):
    return int(value) if float(value).is_integer() else float(value)
