"""The gateway's settings: the common ``CS_`` variables plus its own.

The first administrator is bootstrapped from ``ADMIN_EMAIL`` / ``ADMIN_PASSWORD``
(no ``CS_`` prefix, as container images usually name them). The development
password is refused in production; an empty ``ADMIN_PASSWORD`` disables the
bootstrap (create administrators with ``python -m gateway create-admin``).

``/metrics`` answers only a scraper that sends ``CS_METRICS_TOKEN`` as a bearer
token. Production refuses the development token as it refuses the development
secret key; an empty token turns ``/metrics`` off (404) for a team that does not
scrape the gateway.
"""

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from chassis.settings import CommonSettings, InsecureConfiguration

DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production-0123456789"
DEVELOPMENT_ADMIN_EMAIL = "admin@community-space.local"
DEVELOPMENT_ADMIN_PASSWORD = "development-admin-password"
DEVELOPMENT_METRICS_TOKEN = "development-only-metrics-token"


class GatewaySettings(CommonSettings):
    model_config = SettingsConfigDict(env_prefix="CS_", extra="ignore")

    secret_key: str = DEVELOPMENT_SECRET  # signs access tokens
    gateway_database_url: str | None = None  # CS_GATEWAY_DATABASE_URL; default from CS_PG_URL
    rpc_timeout: float = 5.0
    gateway_threads: int = 16  # request threads per worker; each keeps a database connection and an RPC lease
    readiness_timeout: float = 2.0
    statement_timeout_ms: int = 5000
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    jwt_issuer: str = "community-space"
    jwt_audience: str = "community-space-api"
    cors_origins: Annotated[list[str], NoDecode] = []
    rate_limit_auth: str = "20/minute"
    rate_limit_default: str = "600/minute"
    rate_limit_storage: str = "memory://"
    search_cache_url: str | None = None  # redis://…; unset: every search reads the spaces service
    search_cache_seconds: int = 300
    # places left change with every application (made here: they drop the stored answers at once) and with
    # the draws, finishes and cancellations the services make on their own, which only this bounds
    program_search_cache_seconds: int = 5
    trusted_proxies: int = 0  # how many reverse proxies set X-Forwarded-For in front of us
    max_body_bytes: int = 1024 * 1024
    metrics_token: str = DEVELOPMENT_METRICS_TOKEN  # the bearer token /metrics asks for; empty: no /metrics
    argon2_profile: Literal["default", "fast"] = "default"
    admin_email: str = Field(DEVELOPMENT_ADMIN_EMAIL, validation_alias=AliasChoices("ADMIN_EMAIL", "admin_email"))
    admin_password: str = Field(
        DEVELOPMENT_ADMIN_PASSWORD, validation_alias=AliasChoices("ADMIN_PASSWORD", "admin_password")
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value):
        """Accept ``CS_CORS_ORIGINS=https://a.example,https://b.example`` as well as a list."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    def db_url(self) -> str:
        return self.gateway_database_url or self.database_url("gateway")

    def check_safe(self) -> None:
        """Also refuse the development secret key, cheap password hashing, the development
        admin password and the development metrics token in production."""
        super().check_safe()
        if self.env != "production":
            return
        if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32:
            raise InsecureConfiguration(
                "CS_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if self.argon2_profile != "default":
            raise InsecureConfiguration("CS_ARGON2_PROFILE=fast is for tests only")
        if self.admin_password == DEVELOPMENT_ADMIN_PASSWORD:
            raise InsecureConfiguration(
                "ADMIN_PASSWORD must be set in production (or set to an empty value to skip the bootstrap)"
            )
        if self.metrics_token and (self.metrics_token == DEVELOPMENT_METRICS_TOKEN or len(self.metrics_token) < 32):
            raise InsecureConfiguration(
                "CS_METRICS_TOKEN must be set to a random value of at least 32 characters in production "
                "(Prometheus sends it as a bearer token), or to an empty value to turn /metrics off"
            )


@lru_cache
def gateway_settings() -> GatewaySettings:
    settings = GatewaySettings()
    settings.check_safe()
    return settings
