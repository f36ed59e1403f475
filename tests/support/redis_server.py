"""A Redis server of a test's own on a free port of 127.0.0.1, keeping nothing on disk.
A context manager: the server is killed at the end, whatever happened."""

import shutil
import signal
import tempfile

import redis

from tests.support.processes import Process, wait_until
from tests.support.tcp_proxy import free_port


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="cs-redis-")
        self.process: Process | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis.from_url(self.url(db), socket_timeout=2)

    def _answers(self) -> bool:
        try:
            with self.client() as client:
                return client.ping()
        except redis.RedisError:
            return False

    def __enter__(self) -> "RedisServer":
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir]
        self.process = Process(f"redis-{self.port}", [*argv, "--save", "", "--appendonly", "no"])
        try:
            wait_until(self._answers, self.process, f"Redis on port {self.port}", timeout=10)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.kill(signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)
