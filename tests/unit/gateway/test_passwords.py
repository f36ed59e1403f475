"""Passwords are argon2id; the cheap profile is for tests only."""

import pytest

from chassis.settings import InsecureConfiguration
from gateway.auth import hash_password, hasher, needs_rehash, verify_password
from gateway.settings import DEVELOPMENT_SECRET, GatewaySettings


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password("correct horse battery", "fast")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery", "fast")
    assert not verify_password(hashed, "correct horse batterz", "fast")


def test_default_profile_uses_argon2_cffi_defaults():
    params = hasher("default")
    assert (params.memory_cost, params.time_cost, params.parallelism) == (65536, 3, 4)


def test_unknown_email_still_checks_a_dummy_hash_and_fails():
    assert not verify_password(None, "whatever-password", "fast")
    assert not verify_password("not-a-hash", "whatever-password", "fast")


def test_a_fast_hash_is_upgraded_under_the_default_profile():
    assert needs_rehash(hash_password("correct horse battery", "fast"), "default")


@pytest.mark.parametrize("overrides", [{"argon2_profile": "fast"}, {}])
def test_production_refuses_test_settings(overrides):
    settings = GatewaySettings(env="production", secret_key="s" * 48, amqp_uri="amqp://gw:pw@mq/cs", **overrides)
    with pytest.raises(InsecureConfiguration):
        settings.check_safe()


def test_production_refuses_the_development_secret_key():
    settings = GatewaySettings(
        env="production",
        secret_key=DEVELOPMENT_SECRET,
        amqp_uri="amqp://gw:pw@mq/cs",
        argon2_profile="default",
        admin_password="a-real-secret-password",
    )
    with pytest.raises(InsecureConfiguration, match="CS_SECRET_KEY"):
        settings.check_safe()


def test_production_accepts_real_settings():
    GatewaySettings(
        env="production",
        secret_key="s" * 48,
        amqp_uri="amqp://gw:pw@mq/cs",
        argon2_profile="default",
        admin_password="a-real-secret-password",
        metrics_token="m" * 48,
    ).check_safe()
