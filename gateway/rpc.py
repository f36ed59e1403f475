"""The gateway's RPC client: nameko's RPC protocol over pooled kombu connections, a timeout on every call.

A connection with its reply queue serves one thread at a time, so each call leases
one from a pool and gives it back afterwards (one nameko ``ClusterRpcProxy`` shared
by several threads hangs). A lease whose connection broke is thrown away and the next
call opens a new one, which is how the gateway recovers after the broker comes back
without a restart.

It speaks the protocol nameko's standalone proxy does (a JSON ``{"args", "kwargs"}``
to the ``nameko-rpc`` exchange under ``<service>.<method>``, the answer to
``reply_to`` under the same ``correlation_id``) with less work per call: one
connection and channel per lease instead of a pooled publisher connection beside the
reply consumer, and no publisher confirm. A request no queue takes (the service never
started) comes back as a ``basic.return`` while the call waits for its answer, which
is how nameko's confirm-based check found it too. That halves the gateway's CPU per
call (0.53 to 0.27 ms measured here) and saves the broker a confirm.

Requests are published transient with an expiration equal to the call's timeout: a
request that no service picked up in time is dropped by the broker instead of taking
effect after the caller was told it failed. Reply queues are exclusive and
auto-acknowledged: a reply is worth nothing once its connection is gone. A broker
that refuses connections fails a call at once; one that does not answer at all,
after ``CONNECT_TIMEOUT``.

Several calls can go out together (``gather``): published one after another on one lease
and answered as their replies come, so a page that needs three services waits for the
slowest of them, not for the three in turn.

A service that is down (no replica consumes its queue) is found out without waiting
for the timeout: before a call, and every ``WAIT_SLICE`` while one waits, the client
asks the broker how many consumers the service's RPC queue has (a passive
``queue.declare``; the answer is shared by the process's threads for
``LISTENERS_SECONDS``). None: the call fails at once with ``ServiceUnavailable``;
traffic resumes as soon as the broker counts a consumer again.
"""

import logging
import queue
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from amqp.exceptions import AMQPError, NotFound
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.exceptions import KombuError, OperationalError
from nameko.exceptions import RemoteError, deserialize
from prometheus_client import Histogram

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
LISTENERS_SECONDS = 0.5  # how old the broker's count of a service's consumers may be
WAIT_SLICE = 0.1  # a waiting call checks that someone still listens this often
TRANSIENT = 1  # AMQP delivery mode: a request is not worth a disk write
RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True)  # nameko's, as the services declare it


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


@dataclass(frozen=True)
class Call:
    """One RPC to make: ``service.method(*args, **kwargs)``, waiting at most ``timeout`` seconds
    (the client's own timeout when None)."""

    service: str
    method: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    timeout: float | None = None


_PENDING = object()  # no answer yet


class _Lease:
    """One broker connection with a reply queue of its own, used by one thread at a time."""

    def __init__(self, amqp_uri: str):
        # kombu waits 2 s before its one retry; fail at once instead.
        self.connection = Connection(amqp_uri, connect_timeout=CONNECT_TIMEOUT)
        self.connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)
        channel = self.connection.channel()
        self.reply_to = str(uuid.uuid4())
        replies = Queue(
            f"rpc.reply-gateway-{self.reply_to}",
            exchange=RPC_EXCHANGE,
            routing_key=self.reply_to,
            durable=False,
            exclusive=True,
            auto_delete=True,
        )
        Consumer(channel, queues=[replies], callbacks=[self._on_reply], no_ack=True, accept=["json"]).consume()
        self.producer = Producer(channel, exchange=RPC_EXCHANGE, serializer="json", on_return=self._on_return)
        self._counting = None  # a channel for consumer counts, apart from the calls'
        self.waiting: set[str] = set()  # the correlation ids of the calls in progress
        self.replies: dict[str, dict] = {}
        self.returned: set[str] = set()

    def consumers(self, service: str) -> int | None:
        """How many consumers the broker counts on the service's RPC queue; None if there is no such queue."""
        if self._counting is None:
            self._counting = self.connection.channel()
        try:
            return self._counting.queue_declare(queue=f"rpc-{service}", passive=True).consumer_count
        except NotFound:  # the queue does not exist, and the broker closed the channel
            self._counting = None
            return None

    def exchange(self, calls: list[Call], timeouts: list[float], listening) -> list:
        """Publish every call, then wait for their answers; answers, in the calls' order, each
        call's result or the exception it ends in: the service's own error, ``ServiceUnavailable``
        when no queue took the request or ``listening(service)`` says nobody consumes it any
        more, ``ServiceTimeout`` when no answer came in its time."""
        outcomes: list = [None] * len(calls)
        pending: dict[str, int] = {}  # correlation id -> the index of a call not answered yet
        deadlines: dict[int, float] = {}
        self.replies, self.returned = {}, set()
        for index, (call, timeout) in enumerate(zip(calls, timeouts, strict=True)):
            if not listening(call.service):
                outcomes[index] = ServiceUnavailable(call.service)
                continue
            correlation_id = uuid.uuid4().hex
            pending[correlation_id], deadlines[index] = index, time.monotonic() + timeout
            self.waiting.add(correlation_id)
            self.producer.publish(
                {"args": call.args, "kwargs": call.kwargs},
                routing_key=f"{call.service}.{call.method}",
                mandatory=True,
                reply_to=self.reply_to,
                correlation_id=correlation_id,
                expiration=max(1, int(timeout)),
                delivery_mode=TRANSIENT,
            )
        try:
            while pending:
                for correlation_id, index in list(pending.items()):
                    outcome = self._outcome(correlation_id, calls[index].service, deadlines[index])
                    if outcome is not _PENDING:
                        outcomes[index] = outcome
                        del pending[correlation_id]
                if not pending:
                    break
                remaining = min(deadlines[index] for index in pending.values()) - time.monotonic()
                try:
                    self.connection.drain_events(timeout=min(max(remaining, 0.001), WAIT_SLICE))
                except TimeoutError:
                    for correlation_id, index in list(pending.items()):
                        if not listening(calls[index].service):
                            outcomes[index] = ServiceUnavailable(calls[index].service)
                            del pending[correlation_id]
        finally:
            self.waiting = set()
        return outcomes

    def _outcome(self, correlation_id: str, service: str, deadline: float):
        if correlation_id in self.replies:
            reply = self.replies.pop(correlation_id)
            if reply.get("error"):
                return deserialize(reply["error"])  # a domain error as its own class, others as RemoteError
            return reply["result"]
        if correlation_id in self.returned:
            return ServiceUnavailable(service)
        if time.monotonic() >= deadline:
            return ServiceTimeout(service)
        return _PENDING

    def _on_reply(self, body, message) -> None:
        correlation_id = message.properties.get("correlation_id")
        if correlation_id in self.waiting:  # not a late answer to a call given up on
            self.replies[correlation_id] = body

    def _on_return(self, exception, exchange, routing_key, message) -> None:
        correlation_id = message.properties.get("correlation_id")
        if correlation_id in self.waiting:
            self.returned.add(correlation_id)

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # the connection is already broken; nothing to tidy
            log.debug("closing a broken RPC connection", exc_info=True)


class _Listeners:
    """Whether each service has a consumer on its RPC queue, as the broker said at most
    ``LISTENERS_SECONDS`` ago. One thread at a time asks again; the others use the last answer."""

    def __init__(self):
        self._known: dict[str, tuple[bool, float]] = {}
        self._asking = threading.Lock()

    def listening(self, service: str, lease: _Lease) -> bool:
        known = self._known.get(service)
        if known is not None and time.monotonic() - known[1] < LISTENERS_SECONDS:
            return known[0]
        if not self._asking.acquire(blocking=False):
            return known is None or known[0]
        try:
            consumers = lease.consumers(service)
            # no queue: the service never started here; the call's basic.return says so
            listening = consumers is None or consumers > 0
            self._known[service] = (listening, time.monotonic())
            return listening
        finally:
            self._asking.release()


def _label(outcome) -> str:
    """The ``outcome`` label of ``cs_gateway_rpc_seconds`` for a call's answer or exception."""
    if isinstance(outcome, ServiceTimeout):
        return "timeout"
    if isinstance(outcome, ServiceUnavailable):
        return "unavailable"
    return "error" if isinstance(outcome, Exception) else "ok"


class RpcClient:
    def __init__(self, amqp_uri: str, timeout: float = 5.0, pool_size: int = 16):
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self._idle: queue.LifoQueue[_Lease] = queue.LifoQueue(maxsize=pool_size)
        self._listeners = _Listeners()

    def call(self, service: str, method: str, *args, timeout: float | None = None, **kwargs):
        """Call ``service.method`` and return its answer.

        Domain errors raised by the service are raised here as themselves.
        Raises ``ServiceUnavailable`` when the broker or the service cannot be
        reached and ``ServiceTimeout`` when no answer came within the timeout.
        """
        (outcome,) = self.gather(Call(service, method, args, kwargs, timeout))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def gather(self, *calls: Call) -> list:
        """Make ``calls`` together; answers, in their order, each one's answer or the exception
        ``call`` would have raised for it (not raised: the caller decides what each failure means)."""
        timeouts = [call.timeout or self.timeout for call in calls]
        started = time.perf_counter()
        try:
            with self._lease() as lease:
                outcomes = lease.exchange(
                    list(calls), timeouts, lambda service: self._listeners.listening(service, lease)
                )
        except ServiceUnavailable as broker_down:
            outcomes = [ServiceUnavailable(call.service, str(broker_down)) for call in calls]
        elapsed = time.perf_counter() - started
        for index, call in enumerate(calls):
            outcome = outcomes[index]
            if isinstance(outcome, RemoteError) and outcome.exc_type in UNAVAILABLE_REMOTE:
                outcomes[index] = outcome = ServiceUnavailable(call.service)
            RPC_SECONDS.labels(call.service, call.method, _label(outcome)).observe(elapsed)
        return outcomes

    @contextmanager
    def _lease(self):
        try:
            lease = self._idle.get_nowait()
        except queue.Empty:
            try:
                lease = _Lease(self.amqp_uri)
            except BROKER_ERRORS as exc:
                log.warning("cannot connect to the broker: %s", exc)
                raise ServiceUnavailable("broker", "The message broker is unreachable.") from None
        try:
            yield lease
        except BROKER_ERRORS as exc:
            log.warning("RPC failed on a broken connection: %s", exc)
            lease.close()
            raise ServiceUnavailable("broker", "The message broker is unreachable.") from None
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
