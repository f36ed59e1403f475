"""``python -m gateway create-admin --email E [--password P]``: create or promote an administrator.

Without ``--password`` the password is read from ``ADMIN_PASSWORD`` or asked for,
so it need not appear in the process list or shell history.
"""
import argparse
import getpass
import os
import sys

from gateway.accounts import create_admin
from gateway.db import make_engine
from gateway.settings import gateway_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create an administrator, or promote an account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password")
    admin.add_argument("--name", default="Administrator")
    args = parser.parse_args(argv)

    password = args.password or os.environ.get("ADMIN_PASSWORD") or getpass.getpass("Password: ")
    settings = gateway_settings()
    engine = make_engine(settings.db_url(), settings.statement_timeout_ms)
    try:
        user_id = create_admin(engine, args.email, password, settings.argon2_profile, args.name)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"administrator {args.email.strip().lower()} ({user_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
