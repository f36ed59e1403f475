"""The web client's settings, from ``CS_WEB_*`` variables (and ``CS_ENV``).

The web client is a client of the gateway like any mobile app: it knows the gateway's
URL and nothing of the services, the broker or their databases. Sessions live in Redis
(``CS_WEB_SESSION_URL``); the browser's cookie only names one.
"""

from functools import lru_cache
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from chassis.settings import InsecureConfiguration

DEVELOPMENT_SECRET = "development-only-web-secret-do-not-use-in-production-0123456789"


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CS_WEB_", extra="ignore")

    env: Literal["development", "test", "production"] = Field(
        "development", validation_alias=AliasChoices("CS_ENV", "env")
    )
    gateway_url: str = "http://127.0.0.1:8000"  # the public API, as a phone would reach it
    gateway_timeout: float = 10.0  # seconds; the gateway answers 504 itself after CS_RPC_TIMEOUT
    secret_key: str = DEVELOPMENT_SECRET  # signs CSRF tokens
    session_url: str = "redis://127.0.0.1:6379/2"  # where sessions (and so the tokens) are kept
    session_days: int = 30  # as long as the gateway's refresh token lives
    # A tile server for the maps, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png; empty: markers
    # on a plain background (no outside server is reachable here, nor in the tests).
    tile_url: str = ""
    tile_attribution: str = "&copy; OpenStreetMap contributors"
    trusted_proxies: int = 0  # reverse proxies in front (the ingress): they say the scheme and the client
    catalogue_seconds: int = 600  # districts, space types and amenities are read again after this

    @property
    def production(self) -> bool:
        return self.env == "production"

    def check_safe(self) -> None:
        if self.production and (self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32):
            raise InsecureConfiguration("CS_WEB_SECRET_KEY must be set to a random value of at least 32 characters")


@lru_cache
def web_settings() -> WebSettings:
    settings = WebSettings()
    settings.check_safe()
    return settings
