"""An open-loop load generator: requests leave on a fixed schedule, whatever the answers do.

A closed loop (N clients, each waiting for its answer) slows its offered rate down
when the server slows, and so hides queueing. Here request i is due at
``start + i / rate``; its latency is measured from that due time, so time spent
waiting for a free connection counts too.

One asyncio loop writes prepared HTTP/1.1 requests on kept-alive connections and reads
the answers. It shares the two cores with the platform it measures, and this costs it
about a third of the CPU that urllib3 in 64 threads did.
"""

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

REQUEST_TIMEOUT = 10.0


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

    def count(self, latency: float, status: int) -> None:
        self.latencies.append(latency)
        self.statuses[status] = self.statuses.get(status, 0) + 1


def http_request(url: str, method: str, path: str, headers: dict | None = None, body: bytes = b"") -> bytes:
    """One HTTP/1.1 request, as bytes to write on a connection to ``url``."""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {urlsplit(url).netloc}",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes):
    """Write one request on an open connection and read its answer: (status, headers by lower-case name, body)."""
    writer.write(request)
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
            body += (await reader.readexactly(size + 2))[:-2]
        await reader.readline()
    else:
        body = await reader.readexactly(int(headers.get("content-length", 0)))
    return status, headers, body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, dict]:
    """``answer`` without the body: (status, headers)."""
    status, headers, _ = await answer(reader, writer, request)
    return status, headers


async def open_connections(url: str, count: int) -> list:
    """``count`` connections, each with one ``/healthz`` answered on it, for a rush to send on at once."""
    ready = http_request(url, "GET", "/healthz")

    async def opened():
        reader, writer = await connect(url)
        await exchange(reader, writer, ready)
        return reader, writer

    return await asyncio.gather(*(opened() for _ in range(count)))


async def connect(url: str):
    parts = urlsplit(url)
    return await asyncio.open_connection(parts.hostname, parts.port)


def open_loop(url: str, make, rate: float, duration: float, connections: int = 64, seen=None) -> Run:
    """Send ``make(i)`` (bytes from ``http_request``) to ``url`` ``rate`` times a second for
    ``duration`` seconds, on at most ``connections`` connections; ``seen(status, headers)``
    hears every answer."""
    return asyncio.run(_open_loop(url, make, rate, duration, connections, seen))


async def _open_loop(url, make, rate, duration, connections, seen) -> Run:
    run = Run(rate, duration)
    idle: asyncio.Queue = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(None)  # a slot: None until its connection is opened
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2

    async def one(i: int, due: float) -> None:
        connection = await idle.get()
        try:
            connection = connection or await connect(url)
            status, headers = await asyncio.wait_for(exchange(*connection, make(i)), REQUEST_TIMEOUT)
        except (TimeoutError, OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            run.errors += 1
            if connection:
                connection[1].close()
            idle.put_nowait(None)
            return
        run.count(loop.time() - due, status)
        if seen is not None:
            seen(status, headers)
        idle.put_nowait(connection)

    tasks = []
    for i in range(int(rate * duration)):
        due = start + i / rate
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    run.elapsed = loop.time() - start
    while not idle.empty():
        if (connection := idle.get_nowait()) is not None:
            connection[1].close()
    return run


def find_highest_sustained(url: str, make, rates, duration: float, p99_limit: float) -> list[Run]:
    """Step through ``rates`` until one is not sustained; answer every run made."""
    runs = []
    for rate in rates:
        runs.append(open_loop(url, make, rate, duration))
        if not runs[-1].sustained(p99_limit):
            break
    return runs
