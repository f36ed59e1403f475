"""``python -m gateway seed [--spaces N]``: demo accounts, then N published demo spaces.

1. The administrator (ADMIN_EMAIL / ADMIN_PASSWORD), five operators and five
   citizens in the gateway database; an existing account is left as it is.
2. N spaces from ``generator`` (deterministic), imported through the spaces
   service's ``import_published`` in batches of 1,000, as the administrator. The
   service skips external refs it already has, so a second run imports nothing.
3. Published demo programs at those spaces, as their operators, with the demo citizens'
   applications (``programs``); programs an operator already has are skipped.

Refused in production: the demo passwords are printed and known to all.
"""

import argparse
import itertools
import logging
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

import sqlalchemy as sa
from nameko.exceptions import RemoteError
from tqdm import tqdm

from chassis.errors import DomainError
from gateway.db import make_engine
from gateway.rpc import RpcClient, ServiceTimeout, ServiceUnavailable
from gateway.search_cache import SearchCache
from gateway.seed.accounts import AccountResult, DemoAccount, SeedError, demo_accounts, ensure_accounts, ensure_admin
from gateway.seed.catalogue import load_catalogue
from gateway.seed.generator import MAX_SPACES, generate_spaces
from gateway.seed.programs import ProgramsResult, seed_programs
from gateway.settings import DEVELOPMENT_ADMIN_PASSWORD, GatewaySettings

DEFAULT_SPACES = 600
BATCH_SIZE = 1000
DEFAULT_TIMEOUT = 120.0  # seconds for one batch of 1,000


def add_parser(commands) -> None:
    seed = commands.add_parser("seed", help="create demo accounts and import demo spaces (not in production)")
    seed.add_argument(
        "--spaces",
        type=_space_count,
        default=DEFAULT_SPACES,
        metavar="N",
        help=f"how many demo spaces (0 to {MAX_SPACES:,}; default {DEFAULT_SPACES})",
    )
    seed.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for the spaces service per batch (default {DEFAULT_TIMEOUT:g})",
    )
    seed.add_argument(
        "--no-programs",
        dest="programs",
        action="store_false",
        help="leave out the demo programs (for a platform run without the programs service, as benchmarks do)",
    )


def _space_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= MAX_SPACES:
        raise argparse.ArgumentTypeError(f"must be 0 to {MAX_SPACES}")
    return value


def main(args: argparse.Namespace, settings: GatewaySettings) -> int:
    # The RPC client logs a broken broker connection as a warning; the seed says it in its own line.
    logging.getLogger("gateway.rpc").setLevel(logging.ERROR)
    rpc = RpcClient(settings.amqp_uri, timeout=args.timeout)
    try:
        return seed(settings, args.spaces, rpc, with_programs=args.programs)
    finally:
        rpc.close()


def seed(
    settings: GatewaySettings,
    count: int,
    rpc,
    *,
    accounts: list[DemoAccount] | None = None,
    with_programs: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the seed; answers the exit status. ``rpc`` is anything with ``call(service, method, *args)``."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        if settings.env == "production":
            raise SeedError("refusing to seed demo accounts with published passwords in production (CS_ENV).")
        try:
            catalogue = load_catalogue()
        except (OSError, ValueError) as exc:
            raise SeedError(f"cannot read the spaces catalogues: {_first_line(exc)}") from None
        admin, people = _ensure_accounts(settings, demo_accounts() if accounts is None else accounts)
        operators = [r.id for r in people if r.account.role == "operator"] or [admin.id]
        try:
            spaces = generate_spaces(count, operators, catalogue)
        except ValueError as exc:
            raise SeedError(str(exc)) from None
        result = import_spaces(rpc, {"id": admin.id, "role": "admin"}, spaces, count, progress=err)
        if settings.search_cache_url:
            SearchCache(
                settings.search_cache_url, settings.search_cache_seconds, namespace=settings.db_prefix
            ).changed()
        citizens = [r.id for r in people if r.account.role == "citizen"]
        programs = _programs(rpc, operators, citizens) if count and with_programs else None
    except SeedError as exc:
        print(f"seed: {exc}", file=err)
        return 1
    print(_spaces_summary(count, result), file=out)
    print(_programs_summary(programs) if with_programs else "Programs: left out (--no-programs).", file=out)
    print(_accounts_table([admin, *people], settings), file=out)
    return 0


def _ensure_accounts(settings: GatewaySettings, accounts: list[DemoAccount]):
    engine = make_engine(settings.db_url(), settings.statement_timeout_ms)
    try:
        admin = ensure_admin(engine, settings.admin_email, settings.admin_password, settings.argon2_profile)
        return admin, ensure_accounts(engine, accounts, settings.argon2_profile)
    except sa.exc.OperationalError as exc:
        raise SeedError(f"cannot reach the gateway database: {_first_line(exc.orig or exc)}") from None
    finally:
        engine.dispose()


def import_spaces(
    rpc,
    actor: dict,
    spaces: Iterable[dict],
    total: int,
    *,
    batch_size: int = BATCH_SIZE,
    progress: TextIO | None = None,
) -> dict:
    """Send ``spaces`` to ``import_published`` in batches; answers the summed ``{imported, skipped}``.

    The progress bar goes to ``progress`` (standard error) and only when that is a terminal.
    Raises ``SeedError`` when the spaces service cannot be reached or refuses a batch.
    """
    progress = progress or sys.stderr
    result = {"imported": 0, "skipped": 0}
    sent = 0
    spaces = iter(spaces)
    with tqdm(
        total=total, unit="space", desc="Importing spaces", file=progress, disable=not _is_terminal(progress)
    ) as bar:
        while batch := list(itertools.islice(spaces, batch_size)):
            try:
                answer = rpc.call("spaces", "import_published", actor, batch)
            except (ServiceUnavailable, ServiceTimeout) as exc:
                done = f" {sent:,} of {total:,} were imported or already there." if sent else ""
                raise SeedError(
                    f"{exc}{done} Check the spaces service and run the seed again "
                    "(spaces already imported are skipped)."
                ) from None
            except DomainError as exc:
                raise SeedError(
                    f"the spaces service refused the batch from {batch[0]['external_ref']}: {_first_line(exc.detail)}"
                ) from None
            except RemoteError as exc:
                raise SeedError(
                    f"the spaces service failed on the batch from {batch[0]['external_ref']}: "
                    f"{exc.exc_type}: {_first_line(exc.value)}"
                ) from None
            result["imported"] += answer["imported"]
            result["skipped"] += answer["skipped"]
            sent += len(batch)
            bar.update(len(batch))
    return result


def _spaces_summary(count: int, result: dict) -> str:
    if count == 0:
        return "Spaces: none asked for (--spaces 0)."
    if result["imported"] == 0:
        return f"Spaces: nothing new to import; all {count:,} demo spaces were already there."
    already = f", {result['skipped']:,} were already there" if result["skipped"] else ""
    return f"Spaces: imported {result['imported']:,} published demo spaces (seed-1 … seed-{count}){already}."


def _programs(rpc, operators: list[str], citizens: list[str]) -> ProgramsResult:
    """The demo programs; a service that cannot be reached or refuses is one line (``SeedError``)."""
    try:
        return seed_programs(rpc, operators, citizens)
    except (ServiceUnavailable, ServiceTimeout, DomainError, RemoteError) as exc:
        what = exc.detail if isinstance(exc, DomainError) else exc
        what = f"{exc.exc_type}: {exc.value}" if isinstance(exc, RemoteError) else what
        raise SeedError(
            f"demo programs: {_first_line(what)} Check the programs and reservations services and run the seed "
            "again (programs already published are skipped)."
        ) from None


def _programs_summary(result: ProgramsResult | None) -> str:
    if result is None:
        return "Programs: none (no demo spaces to hold them)."
    lines = []
    if result.published:
        made = result.published
        districts = len({p["space"]["district"] for p in made})
        full = sum(1 for p in made if p["places_left"] == 0)
        waiting = sum(1 for p in made if p["waitlist_count"] > 0)
        lines.append(
            f"Programs: published {_n(len(made), 'demo program')} in {_n(districts, 'district')} as their spaces' "
            f"operators; {_n(result.applications, 'application')} by the demo citizens, {full} full, {waiting} "
            "with a waiting list" + (f"; {result.already} were already there." if result.already else ".")
        )
    elif result.already:
        lines.append(f"Programs: nothing new to publish; all {result.already} demo programs were already there.")
    for lottery in (p for p in result.published if p["selection"] == "lottery"):
        closes = datetime.fromisoformat(lottery["application_closes"]).astimezone()
        lines.append(
            f'  Lottery "{lottery["title_ko"]} / {lottery["title_en"]}": applications until {closes:%H:%M:%S}; '
            "the programs service then draws it by itself, so it shows drawn within a minute."
        )
    if result.skipped:
        lines.append(f"  Skipped {len(result.skipped)}: " + "; ".join(result.skipped))
    return "\n".join(lines) or "Programs: none published (the demo operators have no published spaces)."


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _accounts_table(results: list[AccountResult], settings: GatewaySettings) -> str:
    rows = [("role", "email", "password", "status", "name")]
    for r in results:
        password = r.account.password
        if r.account.role == "admin" and password != DEVELOPMENT_ADMIN_PASSWORD:
            password = "(ADMIN_PASSWORD)"  # a real secret: not echoed to the terminal or a log
        status = "created" if r.created else ("existed" if r.password_works else "existed, other password")
        rows.append((r.account.role, r.account.email, password, status, r.account.name))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["", "Demo accounts:"]
    for row in rows:  # the name last: Korean characters are twice as wide in a terminal
        lines.append(
            "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4]
        )
    return "\n".join(line.rstrip() for line in lines)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _first_line(value) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else type(value).__name__
