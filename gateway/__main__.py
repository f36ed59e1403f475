"""The gateway's commands.

``python -m gateway create-admin --email E [--password P]``: create or promote an administrator.
Without ``--password`` the password is read from ``ADMIN_PASSWORD`` or asked for,
so it need not appear in the process list or shell history.

``python -m gateway seed [--spaces N]``: demo accounts and N published demo spaces
(see ``gateway/seed``); needs the spaces service running.
"""

import argparse
import getpass
import os
import sys
import warnings

# nameko imports eventlet, which warns on import that it is in bugfix mode (see README);
# a command's output is no place for that.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

from gateway.accounts import create_admin  # noqa: E402
from gateway.db import make_engine  # noqa: E402
from gateway.seed import command as seed_command  # noqa: E402
from gateway.settings import gateway_settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create an administrator, or promote an account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password")
    admin.add_argument("--name", default="Administrator")
    seed_command.add_parser(commands)
    args = parser.parse_args(argv)

    if args.command == "seed":
        return seed_command.main(args, gateway_settings())
    return create_admin_command(args)


def create_admin_command(args: argparse.Namespace) -> int:
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
