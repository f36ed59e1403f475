"""The gateway's RPC client: pooled nameko standalone proxies, a timeout on every call.

One ``ClusterRpcProxy`` shared by several threads hangs, so each call leases a
proxy of its own from a pool and returns it afterwards. A proxy whose connection
broke is thrown away and the next call makes a new one, which is how the gateway
recovers after the broker comes back without a restart.

Requests are published with an expiration equal to the call's timeout: a request
that no service picked up in time is dropped by the broker instead of taking
effect after the caller was told it failed. A broker that refuses connections
fails a call at once; one that does not answer at all, after kombu's 5 s
connect timeout.
"""
import logging
import queue
import socket
import time
from contextlib import contextmanager

import kombu.pools
from amqp.exceptions import AMQPError
from kombu import Connection
from kombu.exceptions import KombuError, OperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService
from nameko.rpc import ServiceProxy
from nameko.standalone.rpc import ClusterProxy, ClusterRpcProxy
from prometheus_client import Histogram

from chassis.rpc import ExclusiveReplyListener

log = logging.getLogger(__name__)

RPC_SECONDS = Histogram(
    "cs_gateway_rpc_seconds",
    "Time of RPC calls from the gateway to the services",
    ["service", "method", "outcome"],
)
# Errors that mean the broker connection is unusable.
BROKER_ERRORS = (OSError, socket.error, AMQPError, KombuError, OperationalError, RuntimeError)
# A reply from a service that is shutting down: another replica (or a retry) may answer.
UNAVAILABLE_REMOTE = {"ContainerBeingKilled", "UnknownService", "MethodNotFound"}
CONNECT_TIMEOUT = 3
TRANSIENT = 1  # AMQP delivery mode: a request is not worth a disk write


def reach_broker(amqp_uri: str, timeout: float) -> None:
    """Open and close one connection; raises a broker error if that cannot be done."""
    with Connection(amqp_uri, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)


class ServiceUnavailable(Exception):
    def __init__(self, service: str, message: str | None = None):
        super().__init__(message or f"The {service} service is unavailable.")
        self.service = service


class ServiceTimeout(Exception):
    def __init__(self, service: str):
        super().__init__(f"The {service} service did not answer in time.")
        self.service = service


class _ExpiringClusterProxy(ClusterProxy):
    """A cluster proxy whose requests expire and whose publishes retry only briefly."""

    def __init__(self, worker_ctx, reply_listener, timeout: float):
        super().__init__(worker_ctx, reply_listener)
        self.timeout = timeout

    def __getattr__(self, name):
        if name.startswith("_") or name == "timeout":
            raise AttributeError(name)
        return ServiceProxy(
            self._worker_ctx,
            name,
            self._reply_listener,
            expiration=max(1, int(self.timeout)),
            delivery_mode=TRANSIENT,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
        )


class _Lease:
    """One started standalone proxy, used by one thread at a time."""

    def __init__(self, amqp_uri: str, timeout: float):
        # kombu waits 2 s before its one retry when nameko connects; fail at once instead.
        reach_broker(amqp_uri, timeout=CONNECT_TIMEOUT)
        self.standalone = ClusterRpcProxy(
            {"AMQP_URI": amqp_uri}, timeout=timeout, reply_listener_cls=ExclusiveReplyListener
        )
        self.standalone.start()
        self.cluster = _ExpiringClusterProxy(
            self.standalone._worker_ctx, self.standalone._reply_listener, timeout
        )

    def call(self, service: str, method: str, timeout: float, args, kwargs):
        self.standalone._reply_listener.queue_consumer.timeout = timeout
        self.cluster.timeout = timeout
        return getattr(getattr(self.cluster, service), method)(*args, **kwargs)

    def close(self) -> None:
        try:
            self.standalone.stop()
        except Exception:  # the connection is already broken; nothing to tidy
            log.debug("closing a broken RPC proxy", exc_info=True)


class RpcClient:
    def __init__(self, amqp_uri: str, timeout: float = 5.0, pool_size: int = 16):
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self._idle: queue.LifoQueue[_Lease] = queue.LifoQueue(maxsize=pool_size)
        kombu.pools.set_limit(max(kombu.pools.get_limit(), pool_size + 4))

    def call(self, service: str, method: str, *args, timeout: float | None = None, **kwargs):
        """Call ``service.method`` and return its answer.

        Domain errors raised by the service are raised here as themselves.
        Raises ``ServiceUnavailable`` when the broker or the service cannot be
        reached and ``ServiceTimeout`` when no answer came within the timeout.
        """
        timeout = timeout or self.timeout
        started = time.perf_counter()
        outcome = "ok"
        try:
            with self._lease(service) as lease:
                return lease.call(service, method, timeout, args, kwargs)
        except RpcTimeout:
            outcome = "timeout"
            raise ServiceTimeout(service) from None
        except UnknownService:
            outcome = "unavailable"
            raise ServiceUnavailable(service) from None
        except RemoteError as exc:
            outcome = "unavailable" if exc.exc_type in UNAVAILABLE_REMOTE else "error"
            if outcome == "unavailable":
                raise ServiceUnavailable(service) from None
            raise
        except ServiceUnavailable:
            outcome = "unavailable"
            raise
        except Exception:
            outcome = "error"
            raise
        finally:
            RPC_SECONDS.labels(service, method, outcome).observe(time.perf_counter() - started)

    @contextmanager
    def _lease(self, service: str):
        try:
            lease = self._idle.get_nowait()
        except queue.Empty:
            try:
                lease = _Lease(self.amqp_uri, self.timeout)
            except BROKER_ERRORS as exc:
                log.warning("cannot connect to the broker: %s", exc)
                raise ServiceUnavailable(service, "The message broker is unreachable.") from None
        try:
            yield lease
        except (RpcTimeout, RemoteError, UnknownService):
            self._give_back(lease)
            raise
        except BROKER_ERRORS as exc:
            log.warning("RPC to %s failed on a broken connection: %s", service, exc)
            lease.close()
            raise ServiceUnavailable(service, "The message broker is unreachable.") from None
        except BaseException:
            self._give_back(lease)
            raise
        else:
            self._give_back(lease)

    def _give_back(self, lease: _Lease) -> None:
        try:
            self._idle.put_nowait(lease)
        except queue.Full:
            lease.close()

    def broker_ok(self, timeout: float = 2.0) -> bool:
        try:
            reach_broker(self.amqp_uri, timeout)
            return True
        except BROKER_ERRORS:
            return False

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
