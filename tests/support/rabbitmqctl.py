"""``rabbitmqctl`` for what only the node's own tool shows live: queue listings with message
counts (the management API's are sampled every few seconds), and a test-owned node's state."""

import os
import subprocess


def rabbitmqctl(*args: str, node: str | None = None, env: dict | None = None, executable: str = "rabbitmqctl") -> str:
    """Run ``rabbitmqctl -q ARGS`` against ``node`` (this machine's broker by default); its output."""
    argv = [executable, "-q", *(["-n", node] if node else []), *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout
