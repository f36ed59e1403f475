"""Request and response models of the spaces routes.

Inputs are allow-lists (``Input`` forbids unknown fields): a client can never set a
space's status, operators, ids or timestamps. Create and update share one set of field
types; the update model is the create model with every field optional (and at least one
given), so the two cannot drift. The limits mirror the service's
(``services/spaces/domain/validation.py``), which stays the authority: codes are checked
against the catalogues there.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    EmailStr,
    Field,
    RootModel,
    StringConstraints,
    field_validator,
    model_serializer,
)

from chassis.inputs import RANGE_MESSAGE, in_range
from gateway.api import EmailOut, Input, Instant, Output, Paging, update_model
from gateway.programs.models import ProgramPublic
from gateway.reservations.models import BookingPolicyOut

Status = Literal["draft", "submitted", "published", "suspended", "closed"]
Sort = Literal["relevance", "name", "distance", "capacity"]
MAX_RADIUS_M = 50_000


def _text(low: int, high: int):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=low, max_length=high)]


Name = _text(1, 200)
Address = _text(1, 300)
Description = _text(0, 5000)
ClosureReason = _text(1, 200)  # the service keeps closure reasons to 200 characters
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=30, pattern=r"^\+?[0-9][0-9 ()\-.]{4,22}[0-9]$")
]
PhotoUrl = Annotated[str, StringConstraints(max_length=2000, pattern=r"(?i)^https?://[^\s/$.?#][^\s]*$")]
TimeZone = Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")]
Lat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Lng = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


def _minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


# --- catalogues --------------------------------------------------------------


class CatalogueEntry(Output):
    code: str
    name_ko: str
    name_en: str


class Catalogue(RootModel[list[CatalogueEntry]]):
    """A catalogue: ``[{code, name_ko, name_en}]``."""


# --- the space: input ----------------------------------------------------------


class OpeningInterval(Input):
    weekday: int = Field(ge=1, le=7, description="ISO weekday: 1 = Monday … 7 = Sunday")
    opens: Clock = Field(description="local HH:MM in the space's time zone")
    closes: Clock = Field(description="local HH:MM, after opens; may be 24:00")

    @field_validator("closes")
    @classmethod
    def _after_opens(cls, closes: str, info):
        opens = info.data.get("opens")
        if opens is not None and _minute(closes) <= _minute(opens):
            raise ValueError("must be after opens")
        return closes


class SpaceCreate(Input):
    """Every field of a space a client may set; the service fills in the rest."""

    name_ko: Name
    name_en: Name
    description_ko: Description | None = None
    description_en: Description | None = None
    address_ko: Address
    address_en: Address
    types: list[Code] = Field(
        min_length=1, max_length=20, description="space type codes; the first is the primary type"
    )
    district: Code
    lat: Lat
    lng: Lng
    capacity: int = Field(ge=1, le=10_000)
    floor_area_m2: float | None = Field(None, gt=0, le=1_000_000, allow_inf_nan=False)
    amenities: list[Code] = Field([], max_length=50)
    opening_hours: list[OpeningInterval] = Field([], max_length=50)
    timezone: TimeZone = "Asia/Seoul"
    photos: list[PhotoUrl] = Field([], max_length=20)
    phone: Phone | None = None
    email: EmailStr | None = None
    fee_per_hour: float = Field(0, ge=0, le=10_000_000, allow_inf_nan=False, description="0 means free")


# Every field of SpaceCreate, optional: a field left out is not changed; ``null`` is accepted
# only where the create model accepts it (a name cannot be cleared, a phone can).
SpaceUpdate = update_model(
    "SpaceUpdate",
    SpaceCreate,
    Input,
    "Any subset of the fields of SpaceCreate, at least one; the fields left out are not changed.",
)


def _local(value: str) -> str:
    """A local date-time in the space's zone, ``YYYY-MM-DDTHH:MM``, without an offset."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is not None or "T" not in value:
        raise ValueError("must be a local date-time YYYY-MM-DDTHH:MM in the space's time zone, without offset")
    if not in_range(parsed.replace(tzinfo=UTC)):
        raise ValueError(RANGE_MESSAGE)
    return parsed.strftime("%Y-%m-%dT%H:%M")


LocalTime = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")]


class ClosureIn(Input):
    starts_at: LocalTime = Field(description=f"local YYYY-MM-DDTHH:MM in the space's time zone; {RANGE_MESSAGE}")
    ends_at: LocalTime = Field(description="local YYYY-MM-DDTHH:MM, after starts_at")
    reason: ClosureReason

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _local_time(cls, value: str) -> str:
        return _local(value)

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends_at: str, info):
        starts_at = info.data.get("starts_at")
        if starts_at is not None and ends_at <= starts_at:
            raise ValueError("must be after starts_at")
        return ends_at


# --- queries -------------------------------------------------------------------


class AdminSpacesQuery(Paging):
    status: Status | None = None


class SpaceSearchQuery(Paging):
    """The filters of ``GET /api/v1/spaces``; checks across fields are in ``public.search_filters``."""

    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    district: list[str] = Field([], max_length=50, description="district codes (repeatable): any of them")
    type: list[str] = Field([], max_length=50, description="space type codes (repeatable): any of them")
    amenity: list[str] = Field([], max_length=50, description="amenity codes (repeatable): all of them")
    min_capacity: int | None = Field(None, ge=1, le=10_000)
    open_at: Instant | None = None
    lat: Lat | None = None
    lng: Lng | None = None
    radius_m: int | None = Field(None, ge=1, le=MAX_RADIUS_M, description="needs lat and lng")
    sort: Sort = "relevance"
    available_from: Instant | None = Field(
        None, description="with available_to: only spaces open and unbooked for the whole period"
    )
    available_to: Instant | None = Field(None, description="after available_from, at most 7 days later")


# --- the space: output -----------------------------------------------------------


class OpeningIntervalOut(Output):
    weekday: int
    opens: str
    closes: str


class ClosureOut(Output):
    id: UUID
    starts_at: str = Field(description="local YYYY-MM-DDTHH:MM in the space's time zone")
    ends_at: str
    reason: str


class SpaceSummary(Output):
    """A search result; ``distance_m`` only when the search gave ``lat``/``lng``."""

    id: UUID
    name_ko: str
    name_en: str
    type: str
    types: list[str]
    district: str
    address_ko: str
    address_en: str
    capacity: int
    lat: float
    lng: float
    distance_m: float | None = None

    @model_serializer(mode="wrap")
    def _without_absent_distance(self, handler):
        data = handler(self)
        if data.get("distance_m") is None:
            data.pop("distance_m", None)
        return data


class Facets(Output):
    district: dict[str, int] = {}
    type: dict[str, int] = {}


class SpaceSearchPage(Output):
    items: list[SpaceSummary]
    total: int
    page: int
    page_size: int
    facets: Facets


class _Space(Output):
    id: UUID
    name_ko: str
    name_en: str
    description_ko: str | None = None
    description_en: str | None = None
    address_ko: str
    address_en: str
    type: str
    types: list[str]
    district: str
    lat: float
    lng: float
    capacity: int
    floor_area_m2: float | None = None
    amenities: list[str]
    opening_hours: list[OpeningIntervalOut]
    closures: list[ClosureOut]
    timezone: str
    photos: list[str] = []
    phone: str | None = None
    email: EmailOut | None = None
    fee_per_hour: float = 0
    currency: str = "KRW"


class SpacePublic(_Space):
    """A published space as anyone may see it (its contact details are the space's own)."""

    booking_policy: BookingPolicyOut | None = Field(
        None, description="how the space is booked; null when the reservations service cannot tell now"
    )
    upcoming_programs: list[ProgramPublic] | None = Field(
        None, description="its next published programs (at most 5); null when the programs service cannot tell now"
    )


class SpaceAdmin(_Space):
    """A space in any status, as its operators and administrators see it."""

    status: Status
    status_reason: str | None = None
    operators: list[UUID]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    published_at: datetime | None = None


class SpaceAdminPage(Output):
    items: list[SpaceAdmin]
    total: int
    page: int
    page_size: int
