"""What every view shares: the current URL with some arguments changed, fragments for htmx,
paging, and a problem's messages for a form."""

from flask import render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from web.gateway import Problem

PAGE_SIZE = 20


def url_with(**changes) -> str:
    """This page's URL with ``changes`` applied to its query (``None`` removes an argument;
    changing anything but ``page`` goes back to the first page)."""
    args = MultiDict(request.args)
    if "page" not in changes:
        args.pop("page", None)
    for key, value in changes.items():
        args.pop(key, None)
        if value is None:
            continue
        for item in value if isinstance(value, list | tuple) else [value]:
            args.add(key, item)
    query = "&".join(f"{key}={value}" for key, value in _encoded(args))
    return f"{request.path}?{query}" if query else request.path


def _encoded(args: MultiDict):
    from urllib.parse import quote

    for key, value in args.items(multi=True):
        yield quote(str(key)), quote(str(value))


def fragment() -> bool:
    """The request came from htmx, which swaps a part of the page (not a history restore)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render(template: str, *, partial: str | None = None, **context):
    """The whole page, or only ``partial`` (a template the page includes) for htmx."""
    return render_template(partial if partial and fragment() else template, **context)


def pages(total: int, page: int, page_size: int = PAGE_SIZE, around: int = 2) -> dict:
    """What a pager shows: ``{page, last, numbers}``; ``None`` in ``numbers`` is a gap."""
    last = max(1, -(-total // page_size))
    shown = sorted({1, last, *range(max(1, page - around), min(last, page + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return {"page": page, "last": last, "numbers": numbers, "total": total}


def page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def form_errors(problem: Problem, fields: dict[str, str] | None = None) -> dict[str, str]:
    """A gateway problem as messages for a form: ``{field: message}``, and the form's own message
    under ``""`` (the problem's detail, or what it means for a 409, 429, 503 or 504).

    ``fields`` renames the gateway's field names to the form's (``{"start": "slot"}``).
    """
    fields = fields or {}
    errors = {fields.get(name, name): message for name, message in problem.field_errors().items()}
    errors[""] = problem_message(problem)
    return errors


def problem_message(problem: Problem) -> str:
    if problem.status == 429:
        return _("Too many requests. Please try again in %(seconds)s seconds.", seconds=problem.retry_after or 60)
    if problem.status in (502, 503, 504):
        return _(
            "The service is busy or unavailable. Please try again in %(seconds)s seconds.",
            seconds=problem.retry_after or 5,
        )
    if problem.status == 401:
        return _("Please sign in again.")
    if problem.status == 422 and problem.errors:
        return _("Please check the fields marked below.")
    return problem.detail or problem.title or _("The request could not be completed.")
