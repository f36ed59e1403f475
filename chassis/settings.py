"""Settings from environment variables, with defaults that work on a developer's machine.

Every variable is prefixed ``CS_``. A production start (``CS_ENV=production``) with
the development secret refuses to run.
"""
from functools import lru_cache
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production-0123456789"
SERVICES = ("spaces", "reservations", "programs", "notifications")


class InsecureConfiguration(RuntimeError):
    pass


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CS_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    secret_key: str = DEVELOPMENT_SECRET
    amqp_uri: str = "amqp://guest:guest@127.0.0.1:5672/community_space"
    pg_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432"
    db_prefix: str = "cs"

    def database_url(self, component: str) -> str:
        """The database of ``component`` (a service name or ``gateway``).

        ``CS_<COMPONENT>_DATABASE_URL`` overrides it, for a service deployed alone.
        """
        import os

        override = os.environ.get(f"CS_{component.upper()}_DATABASE_URL")
        return override or f"{self.pg_url.rstrip('/')}/{self.db_prefix}_{component}"

    def check_safe(self) -> None:
        """Refuse a production start that still uses a development default."""
        if self.env != "production":
            return
        if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32:
            raise InsecureConfiguration(
                "CS_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if "guest:guest@" in self.amqp_uri:
            raise InsecureConfiguration("CS_AMQP_URI must not use the guest account in production")


@lru_cache
def common() -> CommonSettings:
    settings = CommonSettings()
    settings.check_safe()
    return settings
