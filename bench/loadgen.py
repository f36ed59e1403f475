"""An open-loop load generator: requests leave on a fixed schedule, whatever the answers do.

A closed loop (N clients, each waiting for its answer) slows its offered rate down
when the server slows, and so hides queueing. Here request i is due at
``start + i / rate``; its latency is measured from that due time, so time spent
waiting for a free worker counts too.
"""
import queue
import threading
import time
from dataclasses import dataclass, field

import urllib3


@dataclass
class Run:
    offered_rate: float
    duration: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def sent(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def achieved_rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def server_errors(self) -> int:
        return self.errors + sum(n for status, n in self.statuses.items() if status >= 500)

    def sustained(self, p99_limit: float) -> bool:
        """Every request answered without a 5xx, at the offered rate, with p99 under the limit."""
        return (
            self.server_errors == 0
            and self.achieved_rate >= 0.97 * self.offered_rate
            and self.percentile(99) <= p99_limit
        )


def open_loop(request, rate: float, duration: float, workers: int = 64) -> Run:
    """Call ``request(http, i)`` ``rate`` times a second; it answers a status code.

    ``http`` is a urllib3 pool of the worker's own: lighter than requests, so the
    generator takes less of the CPU it shares with the platform it measures.
    """
    run = Run(rate, duration)
    due: queue.Queue = queue.Queue()
    lock = threading.Lock()
    total = int(rate * duration)
    start = time.perf_counter() + 0.2

    def work():
        with urllib3.PoolManager(maxsize=1, retries=False, timeout=10) as http:
            while (item := due.get()) is not None:
                i, at = item
                if (wait := at - time.perf_counter()) > 0:
                    time.sleep(wait)
                try:
                    status = request(http, i)
                except urllib3.exceptions.HTTPError:
                    with lock:
                        run.errors += 1
                    continue
                latency = time.perf_counter() - at
                with lock:
                    run.latencies.append(latency)
                    run.statuses[status] = run.statuses.get(status, 0) + 1

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for i in range(total):
        due.put((i, start + i / rate))
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    run.elapsed = time.perf_counter() - start
    return run


def find_highest_sustained(request, rates, duration: float, p99_limit: float) -> list[Run]:
    """Step through ``rates`` until one is not sustained; answer every run made."""
    runs = []
    for rate in rates:
        runs.append(open_loop(request, rate, duration))
        if not runs[-1].sustained(p99_limit):
            break
    return runs
