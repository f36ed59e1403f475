"""What no component takes in (``chassis.inputs``), named by field as the gateway names fields."""

from datetime import datetime

import pytest

from chassis.errors import Invalid
from chassis.inputs import MAX_DEPTH, check_rpc_arguments, in_range, unstorable


def fields(value) -> set[str]:
    return {error["field"] for error in unstorable(value)}


def test_nul_and_lone_surrogates_are_found_anywhere_and_named():
    body = {"name": "ok", "opening_hours": [{"opens": "09:00"}, {"closes": "1\x00"}], "phone": "\udc00", "q": "\ud83d"}
    assert fields(body) == {"opening_hours[1].closes", "phone", "q"}
    assert fields({"a\x00": 1}) == {"body"}
    assert fields("\x00") == {"body"}


def test_text_postgresql_stores_is_left_alone():
    assert fields({"name": "망원 작은도서관 😀", "note": "tab\tnewline\n", "n": 3, "ok": None}) == set()


def test_nesting_deeper_than_the_bound_is_named_once():
    deep = "x"
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    errors = list(unstorable({"types": deep}))
    assert len(errors) == 1 and errors[0]["field"].startswith("types[0]")
    shallow = "x"
    for _ in range(MAX_DEPTH - 1):
        shallow = [shallow]
    assert fields({"types": shallow}) == set()


@pytest.mark.parametrize(
    ("instant", "taken"),
    [
        ("0001-01-01T00:00:00+14:00", False),
        ("9999-12-31T23:59:59-14:00", False),
        ("1999-12-31T23:59:59+00:00", False),
        ("2000-01-01T08:59:59+09:00", False),
        ("2000-01-01T09:00:00+09:00", True),
        ("2026-05-04T10:00:00+09:00", True),
        ("2100-01-01T00:00:00+00:00", True),
        ("2100-01-01T00:00:01+00:00", False),
    ],
)
def test_instants_are_taken_from_2000_to_2100(instant, taken):
    assert in_range(datetime.fromisoformat(instant)) is taken


def test_rpc_arguments_name_a_dict_argument_s_fields_and_a_plain_argument_s_position():
    actor = {"id": "1", "role": "citizen"}
    check_rpc_arguments([actor, {"q": "fine"}, "fine"], {"page": 1})
    with pytest.raises(Invalid) as refusal:
        check_rpc_arguments([actor, {"status": "x\x00"}, "\ud800"], {"reason": "\x00"})
    assert {e["field"] for e in refusal.value.extra["errors"]} == {"status", "argument 3", "reason"}
