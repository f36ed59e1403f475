"""A tiny route registry: every JSON route declares its pydantic models.

``endpoint`` registers a view on a blueprint and records its body, query and
response models; the view gets ``body=`` and ``query=`` as validated model
instances, and what it returns is copied through the response model (an
allow-list: fields the model does not name are dropped). ``gateway.openapi``
builds the OpenAPI 3.1 document from the same records, so the document cannot
drift from the code.

Order of work in a request: check access (401/403), then parse (400/415/422), then
the view, as Indico does, so nobody can forget the middle step. Parsing refuses, for
every route, what no model should have to think of: a body that is not JSON, numbers
that are not finite, and (``chassis.inputs``) text PostgreSQL cannot store and nesting
past a bound, each named by its field.
"""

import json
import math
import re
import types
import typing
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, wraps
from typing import Annotated

from flask import Blueprint, Response, jsonify, request
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    create_model,
    model_validator,
)
from pydantic.fields import FieldInfo
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from chassis.errors import Invalid
from chassis.inputs import RANGE_MESSAGE, in_range, refuse, unstorable
from gateway.auth import require_user

ANYONE = ("citizen", "operator", "admin")
REF = "#/components/schemas/{model}"
MAX_PAGE = 10_000  # the services' limit (``MAX_PAGE`` in spaces and reservations)
INSTANT_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}")
INSTANT_TEXT = "an ISO 8601 date-time with an offset, such as 2026-05-04T10:00:00+09:00"


class Input(BaseModel):
    """Base of every body and query model: unknown fields are an error.

    A body is strict: a JSON number is no string, ``false`` is no 0, as the document says.
    A query is text, so its values are converted (``page=2``).
    """

    model_config = ConfigDict(extra="forbid", strict=True)


def update_model(name: str, create: type[BaseModel], base: type[BaseModel], doc: str, leave_out=()) -> typing.Any:
    """The model of a ``PATCH``: every field of ``create`` but ``leave_out``, optional (one left out is
    not changed; ``null`` only where ``create`` takes it), at least one given, with ``base``'s rules."""

    class AtLeastOneField(base):  # type: ignore[valid-type,misc]
        @model_validator(mode="after")
        def _not_empty(self):
            if not self.model_fields_set:
                raise ValueError("give at least one field to change")
            return self

    def optional(field: FieldInfo) -> FieldInfo:
        changed = copy(field)
        changed.default, changed.default_factory = None, None
        return changed

    fields = {key: (f.annotation, optional(f)) for key, f in create.model_fields.items() if key not in leave_out}
    return create_model(name, __base__=AtLeastOneField, __doc__=doc, **fields)  # type: ignore[call-overload]


class Paging(Input):
    """``page`` from 1 and ``page_size`` up to 100, as every list in the API takes them."""

    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)


def _instant_text(value):
    if not isinstance(value, str) or not INSTANT_SHAPE.match(value):
        raise ValueError(f"must be {INSTANT_TEXT}")
    return value


def _instant_in_range(value: datetime) -> datetime:
    if not in_range(value):
        raise ValueError(RANGE_MESSAGE)
    return value


# Every instant the API takes: text with a date, a time and an offset, within ``chassis.inputs``' range.
Instant = Annotated[
    AwareDatetime,
    Strict(False),  # parsed from text (the before-validator takes text only), in strict bodies too
    BeforeValidator(_instant_text),
    AfterValidator(_instant_in_range),
    PlainSerializer(datetime.isoformat, return_type=str, when_used="json"),
    Field(description=f"{INSTANT_TEXT}; {RANGE_MESSAGE}"),
]
# Every instant the API answers (as the service gave it: ISO 8601, UTC).
InstantOut = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
# An email address as the API answers it (already checked when it was taken in).
EmailOut = Annotated[str, WithJsonSchema({"type": "string", "format": "email"})]
# A reason, a purpose: text with something in it besides blanks.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=r"\S")]


class ReasonIn(Input):
    """The reason a person gives for a decision: returned, suspended, rejected, cancelled."""

    reason: Reason


class Output(BaseModel):
    """Base of every response model: only the fields it names go out."""

    model_config = ConfigDict(extra="ignore", from_attributes=True)


class FieldError(Output):
    field: str = Field(description="as in the request: opening_hours[2].closes, a query parameter, a header")
    message: str


class Problem(Output):
    """RFC 9457; other members may follow (``service``, ``checks``, a rule's details)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(None, description="each field that is wrong, and why")


@dataclass
class Route:
    blueprint: Blueprint
    method: str
    rule: str
    view: typing.Callable
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    roles: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    errors: tuple[int, ...] = field(default_factory=tuple)
    headers: tuple[str, ...] = ()  # required request headers, for the document (the view checks them)
    response_headers: dict[str, str] = field(default_factory=dict)  # name: what it says, on success

    @property
    def endpoint(self) -> str:
        return f"{self.blueprint.name}.{self.view.__name__}"


ROUTES: list[Route] = []


def endpoint(
    blueprint: Blueprint,
    method: str,
    rule: str,
    *,
    body=None,
    query=None,
    response=None,
    status: int = 200,
    roles: tuple[str, ...] | None = None,
    tags=(),
    errors=(),
    headers=(),
    response_headers: dict[str, str] | None = None,
):
    """Register a JSON route. ``roles=None`` is public, ``roles=ANYONE`` any signed-in user."""

    def decorate(view):
        route = Route(
            blueprint,
            method.upper(),
            rule,
            view,
            body,
            query,
            response,
            status,
            roles,
            tuple(tags),
            tuple(errors),
            tuple(headers),
            dict(response_headers or {}),
        )

        @wraps(view)
        def handle(**path):
            if roles is not None:
                require_user(*roles)
            if body is not None:
                path["body"] = _validate(lambda: body.model_validate_json(_json_body()))
            if query is not None:
                path["query"] = _validate(lambda: query.model_validate(_query_args(query), strict=False))
            return _respond(route, view(**path))

        blueprint.add_url_rule(rule, view.__name__, handle, methods=[route.method])
        ROUTES.append(route)
        return view

    return decorate


def _json_body() -> bytes:
    """The body, once it is known to be a JSON object pydantic can take as it is."""
    raw = request.get_data(cache=True)
    if raw and request.mimetype != "application/json":  # a plain HTML form cannot send application/json
        raise UnsupportedMediaType("The request body must be application/json.")
    try:
        data = json.loads(raw or b"null", parse_constant=_not_finite, parse_float=_finite)
    except RecursionError:
        raise BadRequest("The request body is nested too deeply.") from None
    except NotFinite as exc:
        raise BadRequest(f"The request body has a number that is not finite: {exc}.") from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    refuse(list(unstorable(data)))
    return raw


class NotFinite(ValueError):
    """NaN, Infinity or a number too large for a float (1e999): JSON has no such numbers."""


def _not_finite(constant: str):
    raise NotFinite(constant)


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise NotFinite(text)
    return number


def _query_args(model: type[BaseModel]) -> dict:
    """Query parameters as a dict; a parameter whose field is a list keeps every value."""
    lists = _list_fields(model)
    args = {key: request.args.getlist(key) if key in lists else request.args[key] for key in request.args}
    refuse(list(unstorable(args)))
    return args


@cache
def _list_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(f.alias or name for name, f in model.model_fields.items() if _is_list(f.annotation))


def _is_list(annotation) -> bool:
    if typing.get_origin(annotation) in (list, tuple, set, frozenset):
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return False


def _validate(parse: typing.Callable[[], BaseModel]) -> BaseModel:
    try:
        return parse()
    except ValidationError as exc:
        errors = [
            {"field": field_name(err["loc"]), "message": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        fields = ", ".join(sorted({e["field"] for e in errors}))
        raise Invalid(f"Invalid input: {fields}", {"errors": errors}) from None


def field_name(loc: tuple) -> str:
    """``("opening_hours", 2, "closes")`` → ``opening_hours[2].closes``, as the services name fields."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def _respond(route: Route, result) -> Response:
    if isinstance(result, Response):
        return result
    if route.status == 204 or result is None:
        return Response(status=route.status if route.status == 204 else 204)
    if route.response is not None:
        result = route.response.model_validate(result)
    if isinstance(result, BaseModel):  # serialised by pydantic's compiled serializer
        return Response(result.model_dump_json(), status=route.status, mimetype="application/json")
    response = jsonify(result)
    response.status_code = route.status
    return response
