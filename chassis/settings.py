"""Settings from environment variables, with defaults that work on a developer's machine.

Every variable is prefixed ``CS_``. A production start (``CS_ENV=production``) on the
broker's guest account refuses to run. Only the gateway signs anything, so only its
settings (``gateway/settings.py``) hold the secret key.
"""

from functools import lru_cache
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICES = ("spaces", "reservations", "programs", "notifications")
COMPONENTS = (*SERVICES, "gateway")


class InsecureConfiguration(RuntimeError):
    pass


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CS_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
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
        if "guest:guest@" in self.amqp_uri:
            raise InsecureConfiguration("CS_AMQP_URI must not use the guest account in production")


@lru_cache
def common() -> CommonSettings:
    settings = CommonSettings()
    settings.check_safe()
    return settings
