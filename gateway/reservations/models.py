"""Request and response models of the reservations routes.

Inputs are allow-lists (``Input`` forbids unknown fields): a client never sets a
reservation's status, citizen or timestamps. Instants are ``gateway.api.Instant``; they are
sent to the service as ISO 8601 with the offset given and answered as the service gives
them (UTC).
The limits mirror the service's (``services/reservations/domain/``), which stays the
authority for every rule that needs its data (slots, opening hours, quotas, coherence of a
policy).
"""

from datetime import datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints, field_validator

from gateway.api import Input, Instant, InstantOut, Output, Paging, Reason

Status = Literal["pending", "approved", "rejected", "cancelled", "expired"]
MAX_AVAILABILITY_DAYS = 62  # the service's limit on one availability period
MAX_FREE_SPACES_DAYS = 7  # the service's limit on ``free_spaces``


def span_error(low: datetime | None, high: datetime | None, start_name: str, max_days: int | None = None) -> str | None:
    """Why ``high`` is no good after ``low``, or ``None``."""
    if low is None or high is None:
        return None
    if high <= low:
        return f"must be after {start_name}"
    if max_days is not None and high - low > timedelta(days=max_days):
        return f"must be at most {max_days} days after {start_name}"
    return None


OptionalReason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


def _after(field: str, start_field: str, label: str, max_days: int | None = None):
    """A validator wanting ``field`` after ``start_field`` (called ``label`` in messages)."""

    def check(cls, value, info):
        error = span_error(info.data.get(start_field), value, label, max_days)
        if error:
            raise ValueError(error)
        return value

    return field_validator(field)(classmethod(check))


# --- requests --------------------------------------------------------------------------


class ReservationIn(Input):
    """A request for a space; the ``Idempotency-Key`` header is required with it."""

    space_id: UUID
    start: Instant
    end: Instant = Field(description="after start")
    party_size: int = Field(ge=1, le=10_000)
    purpose: OptionalReason | None = None

    _end_after_start = _after("end", "start", "start")


class CancelIn(Input):
    reason: Reason | None = Field(None, description="left out or null: no reason")


class _Period(Paging):
    from_: Instant | None = Field(None, alias="from", description="reservations ending after this instant")
    to: Instant | None = Field(None, description="reservations starting before this instant")

    _to_after_from = _after("to", "from_", "from")


class MyReservationsQuery(_Period):
    status: Status | None = None
    when: Literal["upcoming", "past"] | None = Field(
        None, description="upcoming: soonest first; past: latest first; none: latest first"
    )


class InboxQuery(_Period):
    space_id: UUID | None = None
    status: Status | Literal["all"] = Field("pending", description="pending by default; all for every status")
    when: Literal["upcoming", "past"] | None = None


class AvailabilityQuery(Input):
    from_: Instant = Field(alias="from")
    to: Instant = Field(description=f"after from, at most {MAX_AVAILABILITY_DAYS} days later")

    _to_after_from = _after("to", "from_", "from", MAX_AVAILABILITY_DAYS)


class BookingPolicyIn(Input):
    """The whole policy (a ``PUT``): fields left out take the defaults."""

    approval: Literal["manual", "automatic"] = "manual"
    slot_minutes: int = Field(30, ge=5, le=1440, description="divides a day")
    min_minutes: int = Field(30, ge=5, le=10_080, description="a multiple of slot_minutes")
    max_minutes: int = Field(240, ge=5, le=10_080, description="a multiple of slot_minutes, at least min_minutes")
    notice_minutes: int = Field(60, ge=0, le=43_200)
    horizon_days: int = Field(60, ge=1, le=730)
    max_party_size: int | None = Field(None, ge=1, le=10_000, description="null: the capacity only")
    active_quota: int = Field(3, ge=1, le=100)
    cancel_deadline_minutes: int = Field(60, ge=0, le=43_200)
    capacity_percent: int = Field(100, ge=0, le=100)


class CapacityLimitIn(Input):
    percent: int = Field(ge=1, le=100, description="100 lifts the cap")
    reason: OptionalReason | None = None


# --- answers ------------------------------------------------------------------------------


class ReservationOut(Output):
    id: UUID
    space_id: UUID
    start: InstantOut = Field(description="ISO 8601 instant (UTC)")
    end: InstantOut
    party_size: int
    purpose: str | None = None
    status: Status
    status_reason: str | None = None
    created_at: InstantOut | None = None
    decided_at: InstantOut | None = None
    expires_at: InstantOut | None = None


class ReservationAdmin(ReservationOut):
    """As the space's operators and administrators see it."""

    citizen_id: UUID | None = None


class ReservationPage(Output):
    items: list[ReservationOut]
    total: int
    page: int
    page_size: int


class StatusCounts(Output):
    pending: int = 0
    approved: int = 0
    rejected: int = 0
    cancelled: int = 0
    expired: int = 0


class InboxPage(Output):
    items: list[ReservationAdmin]
    total: int
    page: int
    page_size: int
    counts: StatusCounts


class Interval(Output):
    start: InstantOut
    end: InstantOut


class AvailabilityOut(Output):
    model_config = ConfigDict(serialize_by_alias=True)

    space_id: UUID
    from_: InstantOut = Field(alias="from")
    to: InstantOut
    open: list[Interval]
    busy: list[Interval]


class BookingPolicyOut(Output):
    space_id: UUID
    approval: Literal["manual", "automatic"]
    slot_minutes: int
    min_minutes: int
    max_minutes: int
    notice_minutes: int
    horizon_days: int
    max_party_size: int | None = None
    active_quota: int
    cancel_deadline_minutes: int
    capacity_percent: int
    capacity: int
    platform_capacity_percent: int
    effective_capacity: int


class CapacityLimitOut(Output):
    percent: int
    reason: str | None = None
    set_at: InstantOut | None = None
