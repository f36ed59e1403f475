"""gunicorn settings for the gateway.

Threads, not processes: each request mostly waits on RPC or PostgreSQL. One
worker by default keeps Prometheus counters in one process; scale out with more
containers (and ``CS_RATE_LIMIT_STORAGE=redis://...`` so they share rate limits).
"""
import os

bind = os.environ.get("CS_GATEWAY_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("CS_GATEWAY_WORKERS", "1"))
threads = int(os.environ.get("CS_GATEWAY_THREADS", "16"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Each worker accepts on its own socket and the kernel spreads connections over them; with one
# shared socket, long-lived client connections pile up on whichever worker accepted first.
reuse_port = True
accesslog = os.environ.get("CS_GATEWAY_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("CS_FORWARDED_ALLOW_IPS", "127.0.0.1")
