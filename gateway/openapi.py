"""The OpenAPI 3.1 document, built from the routes ``gateway.api.endpoint`` registered.

Each operation lists what it may answer: its own errors, and those every route of its kind
may give (400/415/422 for a body, 401/403 for a signed-in route, 429 and 503 for all). A
503 or 504 on a create that takes an ``Idempotency-Key`` says to try again with the same key.
"""

import re

from flask import Flask
from pydantic import BaseModel

from gateway.api import REF, ROUTES, Problem, Route

RETRY_HEADER = "Idempotency-Key"
DESCRIPTION = """Errors are RFC 9457 problem documents (`application/problem+json`); a field that is
refused is named in `errors`.

**Retrying.** A 503 or 504 says when to try again in `Retry-After`. A request that creates
something takes an `Idempotency-Key`: after a 503, a 504 or a lost connection, send it again
with the *same* key and the same body. The first attempt may have taken effect; the repeat then
answers what it did, and never does it twice. A 409 with `Retry-After` means that the first
attempt with that key is still running.
"""
RETRY_SAME_KEY = " Send the request again after Retry-After, with the same Idempotency-Key: it takes effect once."

PATH_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
ERROR_TEXT = {
    400: "Malformed request",
    401: "Not signed in",
    403: "Role not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Body too large",
    415: "Body is not application/json",
    422: "Invalid input",
    429: "Rate limited",
    503: "Service unavailable",
    504: "Service timeout",
}


RETRY_STATUSES = {409, 429, 503, 504}  # answers that may say when to try again (409: a request still in flight)
RETRY_AFTER = "Seconds to wait before trying again."


def openapi(app: Flask, title: str = "Community Space API", version: str = "1") -> dict:
    """The OpenAPI 3.1 document of every registered route that ``app`` serves."""
    schemas: dict = {}
    paths: dict = {}
    for route in ROUTES:
        if route.endpoint not in app.view_functions:
            continue
        path = PATH_PARAM.sub(r"{\2}", route.rule)
        paths.setdefault(path, {})[route.method.lower()] = _operation(route, schemas)
    _add_schema(Problem, schemas, "serialization")
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": DESCRIPTION},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _operation(route: Route, schemas: dict) -> dict:
    doc = (route.view.__doc__ or "").strip()
    op = {
        "operationId": route.view.__name__,
        "summary": doc.splitlines()[0] if doc else route.view.__name__,
        "tags": list(route.tags),
        "parameters": _path_parameters(route.rule),
    }
    for name in route.headers:
        op["parameters"].append(
            {
                "name": name,
                "in": "header",
                "required": True,
                "schema": {"type": "string", "minLength": 1, "maxLength": 200},
            }
        )
    if route.query is not None:
        query_schema = _add_schema(route.query, schemas, "validation", inline=True)
        required = set(query_schema.get("required", []))
        for name, prop in query_schema.get("properties", {}).items():
            op["parameters"].append(
                {"name": name, "in": "query", "required": name in required, "schema": _not_null(prop)}
            )
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _add_schema(route.body, schemas, "validation")}},
        }
    op["responses"] = {str(route.status): _success(route, schemas)}
    statuses = set(route.errors) | {429, 503}  # 503: a database or a service that is down
    if route.body is not None or route.query is not None:
        statuses |= {400, 422} if route.body is not None else {422}
    if route.body is not None:
        statuses |= {413, 415}
    if route.roles is not None:
        op["security"] = [{"bearer": []}]
        statuses |= {401, 403}
    for status in sorted(statuses):
        op["responses"][str(status)] = {
            "description": ERROR_TEXT.get(status, "Error"),
            "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}},
        }
        if status in RETRY_STATUSES:
            op["responses"][str(status)]["headers"] = _headers({"Retry-After": RETRY_AFTER})
        if status in (503, 504) and RETRY_HEADER in route.headers:
            op["responses"][str(status)]["description"] += "." + RETRY_SAME_KEY
    return op


def _not_null(schema: dict) -> dict:
    """A query parameter is left out, never null: ``anyOf [X, null]`` is documented as ``X``."""
    options = [option for option in schema.get("anyOf", ()) if option != {"type": "null"}]
    if len(options) != 1:
        return schema
    return {**options[0], **{k: v for k, v in schema.items() if k not in ("anyOf", "default")}}


def _success(route: Route, schemas: dict) -> dict:
    if route.status == 204 or route.response is None:
        answer = {"description": "No content" if route.status == 204 else "OK"}
    else:
        schema = _add_schema(route.response, schemas, "serialization")
        answer = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    if route.response_headers:
        answer["headers"] = _headers(route.response_headers)
    return answer


def _headers(described: dict[str, str]) -> dict:
    return {name: {"description": text, "schema": {"type": "string"}} for name, text in described.items()}


def _add_schema(model: type[BaseModel], schemas: dict, mode: str, inline: bool = False) -> dict:
    """Put ``model`` (and its ``$defs``) into components; answer a ``$ref`` (or the schema itself)."""
    schema = model.model_json_schema(ref_template=REF, mode=mode)
    schemas.update(schema.pop("$defs", {}))
    if inline:
        return schema
    schemas[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _path_parameters(rule: str) -> list[dict]:
    params = []
    for converter, name in PATH_PARAM.findall(rule):
        schema = (
            {"type": "string", "format": "uuid"}
            if converter == "uuid"
            else ({"type": "integer"} if converter == "int" else {"type": "string"})
        )
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params
