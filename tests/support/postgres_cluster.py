"""A PostgreSQL cluster of a test's own: ``initdb`` in a temporary directory, served by
``pg_ctl`` on a free port of 127.0.0.1, trusting local connections as ``postgres``.

initdb refuses to run as root, so as root the cluster runs as the ``postgres`` user, which
owns its directory. A context manager: the server is stopped and its files removed at the
end, whatever happened.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.tcp_proxy import free_port


def _bin(name: str) -> str:
    """The newest installed server's tool (Debian keeps them out of PATH)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(path.split("/")[4]))
    return found[-1] if found else shutil.which(name) or name


class PostgresCluster:
    def __init__(self):
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="cs-postgres-"))
        self.data = self.base / "data"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.base, self.user, self.user)

    @property
    def url(self) -> str:
        """As ``CS_PG_URL`` takes it."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def _run(self, *argv: str) -> None:
        done = subprocess.run(argv, user=self.user, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        if not self.data.exists():
            self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _bin("pg_ctl"), "-D", str(self.data), "-l", str(self.base / "server.log"), "-o", options, "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def __enter__(self) -> "PostgresCluster":
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
