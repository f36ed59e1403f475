"""The demo accounts: the administrator, five operators and five citizens.

Idempotent: an account that already exists is left exactly as it is (its name, role
and password are not touched), and is only reported, with whether the demo password
still signs it in.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from gateway import auth, db
from gateway.accounts import create_admin

DEMO_DOMAIN = "demo.community-space.kr"

OPERATOR_NAMES = [
    "김민준 (마포 작은도서관 운영)",
    "이서연 (성북 마을카페 운영)",
    "박지훈 (관악 청소년 공간 운영)",
    "최수아 (송파 공유부엌 운영)",
    "정예준 (은평 마을활력소 운영)",
]
CITIZEN_NAMES = [("강하은", "ko"), ("조도윤", "ko"), ("윤지유", "ko"), ("장현우", "ko"), ("Emily Carter", "en")]


class SeedError(Exception):
    """Something the person running the seed must fix; the message is one line."""


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    name: str
    locale: str = "ko"


@dataclass(frozen=True)
class AccountResult:
    account: DemoAccount
    id: str
    created: bool
    password_works: bool  # False when an existing account has another password


def demo_accounts(domain: str = DEMO_DOMAIN) -> list[DemoAccount]:
    """The operators and citizens (the administrator comes from ADMIN_EMAIL / ADMIN_PASSWORD)."""
    operators = [
        DemoAccount("operator", f"operator{n}@{domain}", f"demo-operator-{n}", name)
        for n, name in enumerate(OPERATOR_NAMES, start=1)
    ]
    citizens = [
        DemoAccount("citizen", f"citizen{n}@{domain}", f"demo-citizen-{n}", name, locale)
        for n, (name, locale) in enumerate(CITIZEN_NAMES, start=1)
    ]
    return operators + citizens


def ensure_admin(engine: sa.Engine, email: str, password: str, profile: str) -> AccountResult:
    """The administrator ``email``: created with ``create_admin`` if missing, else left as it is."""
    account = DemoAccount("admin", email.strip().lower(), password, "Administrator")
    existing = _find(engine, account.email)
    if existing is None:
        try:
            user_id = create_admin(engine, account.email, password, profile)
        except ValueError as exc:
            raise SeedError(f"ADMIN_PASSWORD: {exc}") from None
        return AccountResult(account, user_id, created=True, password_works=True)
    if existing.role != "admin":
        raise SeedError(
            f"{account.email} (ADMIN_EMAIL) exists but is not an administrator; promote it with "
            f"`python -m gateway create-admin --email {account.email}` or set another ADMIN_EMAIL."
        )
    return AccountResult(
        account,
        str(existing.id),
        created=False,
        password_works=auth.verify_password(existing.password_hash, password, profile),
    )


def ensure_accounts(engine: sa.Engine, accounts: list[DemoAccount], profile: str) -> list[AccountResult]:
    """Create each account that does not exist yet; leave the others alone."""
    results = []
    for account in accounts:
        existing = _find(engine, account.email)
        if existing is None:
            with engine.begin() as conn:
                user_id = conn.scalar(
                    pg_insert(db.users)
                    .values(
                        email=account.email,
                        name=account.name,
                        role=account.role,
                        locale=account.locale,
                        password_hash=auth.hash_password(account.password, profile),
                    )
                    .on_conflict_do_nothing(index_elements=["email"])
                    .returning(db.users.c.id)
                )
            if user_id is not None:
                results.append(AccountResult(account, str(user_id), created=True, password_works=True))
                continue
            existing = _find(engine, account.email)  # created meanwhile by someone else
        results.append(
            AccountResult(
                account,
                str(existing.id),
                created=False,
                password_works=auth.verify_password(existing.password_hash, account.password, profile),
            )
        )
    return results


def _find(engine: sa.Engine, email: str):
    with engine.connect() as conn:
        return conn.execute(
            sa.select(db.users.c.id, db.users.c.role, db.users.c.password_hash).where(db.users.c.email == email)
        ).one_or_none()
