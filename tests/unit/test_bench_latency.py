"""The latency benchmark's verdicts: each ratio of issue 16 is the right p50s divided, judged against its target."""

import pytest

from bench.latency import CREATE, ECHO, HEALTH, INSERT, PAGE, RATIOS, WARM_UP, ratios, timed


def p50s(**overrides) -> dict[str, float]:
    """Every line's p50 in seconds: echo 2 ms, insert 0.5 ms, everything else 1 ms unless given."""
    lines = {ECHO: 0.002, INSERT: 0.0005, PAGE: 0.001, CREATE: 0.001, **dict.fromkeys(HEALTH, 0.001)}
    return {**lines, **overrides}


def verdicts(p50: dict[str, float]) -> dict[str, tuple[float, float, bool]]:
    return {what: (ratio, target, met) for what, ratio, target, met in ratios(p50)}


def test_the_create_is_divided_by_echo_and_insert_together():
    ratio, target, met = verdicts(p50s(**{CREATE: 0.0075}))["create through the gateway ÷ (echo + insert)"]

    assert ratio == pytest.approx(3.0)
    assert target == 2.0
    assert not met


def test_a_ratio_exactly_at_its_target_is_met_and_one_past_it_is_missed():
    at = verdicts(p50s(**{PAGE: 0.005}))["space page through the gateway ÷ echo"]
    past = verdicts(p50s(**{PAGE: 0.00501}))["space page through the gateway ÷ echo"]

    assert at == (pytest.approx(2.5), 2.5, True)
    assert past[2] is False


def test_each_health_rpc_is_judged_against_the_echo_floor():
    judged = verdicts(p50s(**{HEALTH[0]: 0.0026, HEALTH[1]: 0.0027}))

    assert judged[f"{HEALTH[0]} ÷ echo"] == (pytest.approx(1.3), 1.3, True)
    assert judged[f"{HEALTH[1]} ÷ echo"][2] is False
    assert len(judged) == len(RATIOS)


def test_timed_warms_up_first_then_times_the_calls_sorted():
    seen = []

    latencies = timed(seen.append, 7)

    assert seen == list(range(WARM_UP + 7))
    assert len(latencies) == 7 and latencies == sorted(latencies)
