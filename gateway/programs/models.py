"""Request and response models of the programs routes.

Inputs are allow-lists (``Input`` forbids unknown fields): a client never sets a program's
status, counts, block or lottery, nor an application's status or citizen. Create and update
share one set of field types; the update model is the create model without ``space_id`` and
with every field optional, so the two cannot drift. The limits mirror the service's
(``services/programs/README.md``), which stays the authority for every rule that needs its
data (opening hours, closures, overlaps, the time zone of a weekly pattern).
"""

import re
from datetime import UTC, date, datetime, time
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from chassis.inputs import RANGE_MESSAGE, in_range
from gateway.api import EmailOut, Input, Instant, InstantOut, Output, Paging, update_model
from gateway.reservations.models import span_error

Category = Literal["lecture", "workshop", "club", "exhibition", "visit", "other"]
Audience = Literal["all", "children", "youth", "adults", "seniors"]
Selection = Literal["first_come", "review", "lottery"]
ProgramStatus = Literal["draft", "published", "cancelled", "finished"]
ApplicationStatus = Literal["pending", "accepted", "waitlisted", "rejected", "withdrawn", "cancelled"]
MAX_SESSIONS = 50
MAX_PARTY_SIZE = 11  # the applicant and at most 10 companions
DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
FeeNote = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


def _date_in_range(value: date) -> date:
    if not in_range(datetime.combine(value, time(), UTC)):
        raise ValueError(RANGE_MESSAGE)
    return value


def _date_text(value):
    if not isinstance(value, str) or not DATE_SHAPE.match(value):
        raise ValueError("must be a date YYYY-MM-DD")
    return value


# A local date: text only (as ``Instant``, parsed from text in strict bodies too), within range.
Day = Annotated[date, Strict(False), BeforeValidator(_date_text), AfterValidator(_date_in_range)]


# --- sessions: a list of instants, or a weekly pattern -------------------------------------


class SessionIn(Input):
    start: Instant
    end: Instant = Field(description="after start")

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: datetime, info):
        error = span_error(info.data.get("start"), end, "start")
        if error:
            raise ValueError(error)
        return end


class WeeklyPattern(Input):
    """``count`` sessions, one a week, from the first such weekday on or after ``first_date``."""

    weekday: int = Field(ge=1, le=7, description="ISO weekday: 1 = Monday … 7 = Sunday")
    start_time: Clock = Field(description="local HH:MM in the space's time zone")
    end_time: Clock = Field(description="local HH:MM, not start_time; earlier than start_time: the next day")
    first_date: Day = Field(description="YYYY-MM-DD, local")
    count: int = Field(ge=1, le=MAX_SESSIONS)

    @field_validator("end_time")
    @classmethod
    def _not_start_time(cls, end_time: str, info):
        if end_time == info.data.get("start_time"):
            raise ValueError("must differ from start_time")
        return end_time


def _session_kind(value) -> str:
    return "list" if isinstance(value, list) else "weekly"


SESSION_TAGS = ("list", "weekly")
Sessions = Annotated[
    Annotated[list[SessionIn], Tag("list"), Field(min_length=1, max_length=MAX_SESSIONS)]
    | Annotated[WeeklyPattern, Tag("weekly")],
    Discriminator(_session_kind),
    Field(description=f"a list of 1 to {MAX_SESSIONS} {{start, end}}, or a weekly pattern"),
]


class _ProgramRules(Input):
    """The rules across fields, and errors named as the request names them."""

    @model_validator(mode="wrap")
    @classmethod
    def _plain_field_names(cls, data, handler):
        """``sessions[3].end``, not ``sessions.list[3].end``: drop the union's tags from error locations."""
        try:
            return handler(data)
        except ValidationError as exc:
            errors = [
                {
                    "type": err["type"],
                    "loc": tuple(part for part in err["loc"] if part not in SESSION_TAGS),
                    "input": err["input"],
                    **({"ctx": err["ctx"]} if "ctx" in err else {}),
                }
                for err in exc.errors()
            ]
            raise ValidationError.from_exception_data(exc.title, errors) from None  # type: ignore[arg-type]

    @field_validator("application_closes", check_fields=False)
    @classmethod
    def _closes_after_opens(cls, closes, info):
        error = span_error(info.data.get("application_opens"), closes, "application_opens")
        if error:
            raise ValueError(error)
        return closes


# --- requests --------------------------------------------------------------------------------


class ProgramCreate(_ProgramRules):
    """Every field of a program an operator may set; the service fills in the rest (a draft)."""

    space_id: UUID
    title_ko: Title
    title_en: Title
    description_ko: Description | None = None
    description_en: Description | None = None
    category: Category
    audience: Audience
    fee_note: FeeNote | None = None
    capacity: int = Field(ge=1, le=10_000, description="places, counted in party sizes")
    companions: int = Field(0, ge=0, le=10, description="how many people each applicant may bring")
    selection: Selection
    application_opens: Instant
    application_closes: Instant = Field(description="after application_opens, no later than the first session")
    sessions: Sessions


ProgramUpdate = update_model(
    "ProgramUpdate",
    ProgramCreate,
    _ProgramRules,
    "Any subset of the fields of ProgramCreate but space_id, at least one; the others are not changed.",
    leave_out=("space_id",),
)


class ApplyIn(Input):
    """An application; the ``Idempotency-Key`` header is required with it."""

    party_size: int | None = Field(None, ge=1, le=MAX_PARTY_SIZE, description="1 + companions; 1 if left out")
    note: Note | None = None


class AttendanceIn(Input):
    present: list[UUID] = Field(max_length=10_000, description="the ids of the applications present")


# --- queries ---------------------------------------------------------------------------------


class ProgramSearchQuery(Paging):
    """The filters of ``GET /api/v1/programs``: repeatable ones match any of their values."""

    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    district: list[Code] = Field([], max_length=50, description="district codes (repeatable)")
    type: list[Code] = Field([], max_length=50, description="space type codes (repeatable)")
    category: list[Category] = Field([], max_length=10, description="repeatable")
    audience: list[Audience] = Field([], max_length=10, description="repeatable")
    space_id: UUID | None = None
    from_: Instant | None = Field(None, alias="from", description="programs with a session ending after this")
    to: Instant | None = Field(None, description="programs with a session starting before this; after from")
    open: bool | None = Field(None, description="true: only those taking applications now")
    places_left: bool | None = Field(None, description="true: only those with places left")
    status: Literal["published", "finished"] | None = Field(None, description="published unless given")

    @field_validator("to")
    @classmethod
    def _after_from(cls, to, info):
        error = span_error(info.data.get("from_"), to, "from")
        if error:
            raise ValueError(error)
        return to


class MyApplicationsQuery(Paging):
    status: ApplicationStatus | None = None


class AdminProgramsQuery(Paging):
    status: ProgramStatus | None = None
    space_id: UUID | None = None


class ApplicantsQuery(Paging):
    status: ApplicationStatus | None = None


# --- answers -----------------------------------------------------------------------------------


class SessionOut(Output):
    n: int
    start: InstantOut
    end: InstantOut


class ProgramSpace(Output):
    id: UUID
    name_ko: str
    name_en: str
    district: str
    types: list[str] = []


class LotteryOut(Output):
    seed: str
    drawn_at: InstantOut
    algorithm: str
    order: list[UUID]


class ProgramPublic(Output):
    """A published, finished or cancelled program as anyone sees it (a search leaves out the descriptions)."""

    id: UUID
    space_id: UUID
    district: str | None = Field(None, description="the space's district")
    status: ProgramStatus
    status_reason: str | None = None
    title_ko: str
    title_en: str
    description_ko: str | None = None
    description_en: str | None = None
    category: Category
    audience: Audience
    fee_note: str | None = None
    capacity: int
    companions: int = 0
    selection: Selection
    application_opens: InstantOut
    application_closes: InstantOut
    sessions: list[SessionOut] = []
    first_session_start: InstantOut | None = None
    next_session_start: InstantOut | None = Field(None, description="the first session still to come")
    last_session_end: InstantOut | None = None
    session_count: int | None = None
    accepted_count: int = 0
    places_left: int = 0
    waitlist_count: int = 0
    pending_count: int = 0
    open_for_applications: bool = False
    space: ProgramSpace | None = None
    lottery: LotteryOut | None = None
    created_at: InstantOut | None = None
    updated_at: InstantOut | None = None
    published_at: InstantOut | None = None

    @model_validator(mode="before")
    @classmethod
    def _district_of_the_space(cls, data):
        """The API names ``district`` on the program itself; the service keeps it with the space."""
        if isinstance(data, dict) and data.get("district") is None and isinstance(data.get("space"), dict):
            return {**data, "district": data["space"].get("district")}
        return data


class ApplicationCounts(Output):
    pending: int = 0
    accepted: int = 0
    waitlisted: int = 0
    rejected: int = 0
    withdrawn: int = 0
    cancelled: int = 0


class ProgramAdmin(ProgramPublic):
    """A program in any status, as its operators and administrators see it."""

    counts: ApplicationCounts = ApplicationCounts()
    created_by: UUID | None = None
    block_id: UUID | None = None
    step: dict | None = Field(None, description="an unfinished step between the services, or null")


class ProgramPage(Output):
    items: list[ProgramPublic]
    total: int
    page: int
    page_size: int


class ProgramAdminPage(Output):
    items: list[ProgramAdmin]
    total: int
    page: int
    page_size: int


class ApplicationProgram(Output):
    id: UUID
    title_ko: str
    title_en: str
    space_id: UUID
    first_session_start: InstantOut | None = None
    status: ProgramStatus


class ApplicationOut(Output):
    id: UUID
    program_id: UUID
    status: ApplicationStatus
    waitlist_position: int | None = None
    party_size: int = 1
    note: str | None = None
    status_reason: str | None = None
    created_at: InstantOut | None = None
    decided_at: InstantOut | None = None
    program: ApplicationProgram | None = None


class ApplicationPage(Output):
    items: list[ApplicationOut]
    total: int
    page: int
    page_size: int


class ApplicationAdmin(ApplicationOut):
    """As the program's operators and administrators see it."""

    citizen_id: UUID | None = None


class Applicant(ApplicationAdmin):
    """An application with the applicant's attendance and contact details (null when the account is gone)."""

    attendance: list[int] = Field([], description="the numbers of the sessions attended")
    name: str | None = None
    email: EmailOut | None = None
    phone: str | None = None


class ApplicantPage(Output):
    items: list[Applicant]
    total: int
    page: int
    page_size: int
    counts: ApplicationCounts = ApplicationCounts()


class AttendanceOut(Output):
    program_id: UUID
    session: int
    present: list[UUID]
