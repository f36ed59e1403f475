"""A RabbitMQ node of a test's own, beside this machine's broker: its own node name, AMQP,
distribution and management ports, data and log directories, and no config but its own.

It starts, stops (SIGTERM, as an orderly shutdown), dies (``kill()``: SIGKILL to the whole
node) and starts again on the same data directory, so a test can crash a broker that no one
else uses. The management plugin is on, for ``python -m chassis.broker setup``. Use it as a
context manager: whatever happens in the test, the node is killed at the end.
"""

import secrets
import shutil
import signal
import socket
import tempfile
from pathlib import Path

import requests

from tests.support.processes import Process, wait_until
from tests.support.tcp_proxy import free_port

# Debian's /usr/sbin scripts switch to the rabbitmq user; these run as whoever calls them
SCRIPTS = Path("/usr/lib/rabbitmq/bin")


def _script(name: str) -> str:
    return str(SCRIPTS / name) if (SCRIPTS / name).exists() else shutil.which(name) or name


class RabbitMQNode:
    def __init__(self):
        self.name = f"cs-test-{secrets.token_hex(4)}@localhost"
        self.port, self.dist_port, self.management_port = free_port(), free_port(), free_port()
        self.base = Path(tempfile.mkdtemp(prefix="cs-rabbitmq-"))
        (self.base / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{self.port}\n"
            f"management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = {self.management_port}\n"
        )
        (self.base / "enabled_plugins").write_text("[rabbitmq_management].\n")
        (self.base / "rabbitmq-env.conf").write_text("")  # not this machine's: its node name and ports
        self.process: Process | None = None

    @property
    def management_url(self) -> str:
        return f"http://127.0.0.1:{self.management_port}"

    def amqp_uri(self, vhost: str = "") -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{vhost}"

    def env(self) -> dict:
        return {
            "HOME": str(self.base),  # the node's Erlang cookie, shared with ctl()
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.base / "log"),
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(self.base / "rabbitmq-env.conf"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def start(self, timeout: float = 60) -> None:
        """Boot the node (on its existing data, if it ran before) and wait until it serves."""
        self.process = Process(f"rabbitmq-{self.name.split('@')[0]}", [_script("rabbitmq-server")], self.env())
        wait_until(self._serves, self.process, f"RabbitMQ node {self.name}", timeout)

    def stop(self) -> None:
        """An orderly shutdown, as ``rabbitmqctl stop`` or a service manager would do it."""
        if self.process is not None:
            self.process.kill(signal.SIGTERM, wait=60)

    def kill(self) -> None:
        """A crash: SIGKILL to the node and every process of its own."""
        if self.process is not None:
            self.process.kill(signal.SIGKILL)

    def ctl(self, *args: str) -> str:
        """``rabbitmqctl ARGS`` against this node."""
        from tests.support.rabbitmqctl import rabbitmqctl

        return rabbitmqctl(*args, node=self.name, env=self.env(), executable=_script("rabbitmqctl"))

    def _serves(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
            return requests.get(f"{self.management_url}/api/overview", auth=("guest", "guest"), timeout=2).ok
        except (OSError, requests.RequestException):
            return False

    def __enter__(self) -> "RabbitMQNode":
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.kill()
        shutil.rmtree(self.base, ignore_errors=True)
