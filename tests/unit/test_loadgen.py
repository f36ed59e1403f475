"""The benchmarks' load generator against a real HTTP server: what it reports is what happened."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.loadgen import http_request, open_loop


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the gateway answers

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/slow":
            time.sleep(0.2)
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"3\r\nabc\r\n0\r\n\r\n")
            return
        status = 201 if body == b'{"n": 1}' else 422
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Echo", self.path)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_request_is_sent_and_every_answer_counted_by_status(url):
    seen = []
    run = open_loop(
        url,
        lambda i: http_request(url, "POST", f"/{i % 3}", body=b'{"n": %d}' % (i % 2)),
        rate=100,
        duration=1,
        connections=4,
        seen=lambda status, headers: seen.append(headers["x-echo"]),
    )
    assert run.statuses == {201: 50, 422: 50}
    assert run.errors == 0 and len(run.latencies) == 100
    assert sorted(seen) == sorted(f"/{i % 3}" for i in range(100))
    assert run.achieved_rate > 80


def test_chunked_answers_are_read_to_their_end_and_the_connection_reused(url):
    run = open_loop(
        url,
        lambda i: http_request(url, "POST", "/chunked" if i % 2 else "/", body=b'{"n": 1}'),
        rate=50,
        duration=1,
        connections=1,
    )
    assert run.statuses == {200: 25, 201: 25}
    assert run.errors == 0


def test_waiting_for_a_free_connection_counts_in_the_latency(url):
    """Open loop: ten requests due within 0.1 s on one connection to a 0.2 s server queue
    behind each other, and the last is answered about two seconds after it was due."""
    run = open_loop(
        url, lambda i: http_request(url, "POST", "/slow", body=b'{"n": 1}'), rate=100, duration=0.1, connections=1
    )
    assert run.statuses == {201: 10}
    assert max(run.latencies) > 1.5
    assert not run.sustained(p99_limit=0.5)


def test_a_refused_connection_is_an_error_not_an_answer():
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    run = open_loop(dead, lambda i: http_request(dead, "GET", "/"), rate=20, duration=0.5, connections=2)
    assert run.errors == 10 and run.latencies == []
    assert run.server_errors == 10
