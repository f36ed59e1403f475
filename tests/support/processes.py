"""Start the platform's real processes for a test: nameko services, the gateway and the web client."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from chassis.probe import healthy

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOGS = ROOT / "var" / "test-logs"


class Process:
    def __init__(self, name: str, argv: list[str], env: dict | None = None):
        LOGS.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log_path = LOGS / f"{name}-{os.getpid()}.log"
        self._log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self, sig: int = signal.SIGTERM, wait: float = 10) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(wait)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self._log.close()


def start_service(name: str, module: str, config: str, env: dict | None = None, pythonpath: str = "") -> Process:
    env = dict(env or {})
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, os.environ.get("PYTHONPATH")]))
    process = Process(name, [str(BIN / "nameko"), "run", "--config", config, module], env)
    _wait_or_kill(process, lambda: healthy([name], env.get("CS_AMQP_URI"))[name] == "ok", f"{name} to answer health")
    return process


def start_gateway(port: int, env: dict | None = None) -> Process:
    env = {"CS_GATEWAY_BIND": f"127.0.0.1:{port}", **(env or {})}
    process = Process("gateway", [sys.executable, "-m", "gateway.serve"], env)

    def answers() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
        except requests.RequestException:  # not listening yet, or still starting its workers
            return False

    _wait_or_kill(process, answers, "the gateway to answer /healthz")
    return process


def start_web(port: int, env: dict | None = None) -> Process:
    """The web client under granian on ``port``; ``env`` names its gateway (``CS_WEB_GATEWAY_URL``)."""
    env = {"CS_WEB_BIND": f"127.0.0.1:{port}", **(env or {})}
    process = Process("web", [sys.executable, "-m", "web.serve"], env)

    def answers() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{port}/manifest.webmanifest", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    _wait_or_kill(process, answers, "the web client to answer")
    return process


def _wait_or_kill(process: Process, condition, what: str) -> None:
    """Wait for a process to be ready; one that never is must not outlive the caller."""
    try:
        wait_until(condition, process, what)
    except BaseException:
        process.kill()
        raise


def wait_until(condition, process: Process | None = None, what: str = "a condition", timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited while waiting for {what}:\n{process.log()}")
        time.sleep(0.1)
    raise TimeoutError(f"waited {timeout}s for {what}" + (f":\n{process.log()}" if process else ""))
