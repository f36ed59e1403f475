"""RPC over classic queues: requests and replies are transient, events are not.

The platform's vhost makes every durable queue a quorum queue, which is right
for events (they must survive a broker failure) and wasteful for RPC: a request
whose caller has given up is worth nothing, yet a quorum queue writes it to a
replicated log before delivering it. Measured here, that doubled the broker's
CPU per search. So a service's ``rpc-<service>`` queue is declared classic, the
gateway publishes requests as transient messages that expire with its timeout,
its reply queues are exclusive (classic, gone with their connection), and a
service publishes its replies transient and without waiting for a publisher
confirm: a lost reply is a timeout either way.

A reply or an acknowledgement that cannot be sent because the broker is away is
logged and dropped: nameko would otherwise end the whole service when a worker
raises after its method ran. The caller times out, and an unacknowledged request
goes back to the queue when the consumer's connection closes. A database that cannot
be reached is answered as ``Unavailable`` (the gateway's 503 with ``Retry-After``).

Services use ``from chassis.rpc import rpc`` instead of ``nameko.rpc.rpc``; it also refuses
arguments that ``chassis.inputs`` says no component takes in.
"""

import logging
import sys

import kombu.serialization
from eventlet.semaphore import Semaphore
from kombu import Connection, Queue
from nameko.constants import AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, LOGIN_METHOD_CONFIG_KEY
from nameko.exceptions import UnserializableValueError, serialize
from nameko.rpc import RPC_QUEUE_TEMPLATE, Rpc, RpcConsumer, get_rpc_exchange

from chassis.db import DATABASE_OUTAGES
from chassis.errors import Unavailable
from chassis.handlers import survive_broker_loss
from chassis.inputs import check_rpc_arguments

log = logging.getLogger(__name__)
DATABASE_RETRY_SECONDS = 5

CLASSIC = {"x-queue-type": "classic"}
TRANSIENT = 1  # AMQP delivery mode: a reply is not worth a disk write


class Replies:
    """One broker connection and channel for a service's replies, used by one worker at a time.

    nameko's ``Responder`` built a kombu ``Connection`` for every reply, took a producer
    from a pool, published through kombu's retrying ``ensure`` and serialised the result
    twice (once to check that it can be): a fifth of a ``health`` call's CPU. Here a reply
    is serialised once and published on a channel kept open. A publish that fails is tried
    once more on a new connection (the broker may have restarted since the last reply);
    a second failure is the caller's timeout.
    """

    def __init__(self, exchange: str, amqp_uri: str, ssl=None, login_method=None):
        self._exchange = exchange
        self._connect = lambda: Connection(amqp_uri, ssl=ssl, login_method=login_method)
        self._lock = Semaphore()
        self._connection: Connection | None = None
        self._channel = None

    def send(self, message, result, exc_info):
        """Publish ``{"result", "error"}`` to the request's ``reply_to``; answers (result, exc_info)
        as nameko's ``Responder.send_response`` does (an unserialisable result becomes an error)."""
        error = serialize(exc_info[1]) if exc_info is not None else None
        serializer = kombu.serialization.registry.type_to_name[message.properties["content_type"]]
        try:
            content_type, encoding, body = kombu.serialization.dumps({"result": result, "error": error}, serializer)
        except Exception:
            unserializable = {"result": None, "error": serialize(UnserializableValueError(result))}
            exc_info, result = sys.exc_info(), None
            content_type, encoding, body = kombu.serialization.dumps(unserializable, serializer)
        properties = {"correlation_id": message.properties.get("correlation_id"), "delivery_mode": TRANSIENT}
        with self._lock:
            for attempt in (1, 2):
                try:
                    channel = self._open_channel()
                    reply = channel.prepare_message(body, None, content_type, encoding, {}, properties)
                    channel.basic_publish(reply, exchange=self._exchange, routing_key=message.properties["reply_to"])
                    break
                except Exception:
                    self.close()
                    if attempt == 2:
                        raise
        return result, exc_info

    def _open_channel(self):
        if self._channel is None:
            self._connection = self._connect()
            self._channel = self._connection.channel()
        return self._channel

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken; nothing to tidy
                log.debug("closing the reply connection", exc_info=True)


class ClassicRpcConsumer(RpcConsumer):
    queue: Queue | None  # nameko's, None until set up

    def setup(self):
        if self.queue is None:
            service_name = self.container.service_name
            self.queue = Queue(
                RPC_QUEUE_TEMPLATE.format(service_name),
                exchange=get_rpc_exchange(self.container.config),
                routing_key=f"{service_name}.*",
                durable=True,
                queue_arguments=CLASSIC,
            )
            self.queue_consumer.register_provider(self)
            self._registered = True
            config = self.container.config
            self.replies = Replies(
                get_rpc_exchange(config).name,
                config[AMQP_URI_CONFIG_KEY],
                config.get(AMQP_SSL_CONFIG_KEY),
                config.get(LOGIN_METHOD_CONFIG_KEY),
            )

    def stop(self):
        super().stop()
        self.replies.close()

    def handle_result(self, message, result, exc_info):
        if exc_info is not None and isinstance(exc_info[1], DATABASE_OUTAGES):
            exc_info = _database_unavailable(self.container.service_name, exc_info[1])
        try:
            result, exc_info = self.replies.send(message, result, exc_info)
        except Exception as exc:  # the broker is away: the caller times out, the service must live on
            log.warning("could not send the reply to %s: %r", message.properties.get("reply_to"), exc)
        survive_broker_loss(self.queue_consumer.ack_message, message)
        return result, exc_info


def _database_unavailable(service: str, error: Exception):
    """A database outage as ``Unavailable`` (a 503 with Retry-After at the gateway), not an unknown error (a 500)."""
    log.warning("%s: the database is unavailable: %s", service, str(error).splitlines()[0])
    try:
        raise Unavailable(
            f"The {service} service cannot reach its database; please try again shortly.",
            {"service": service, "retry_after": DATABASE_RETRY_SECONDS},
        ) from None
    except Unavailable:
        return sys.exc_info()


class ClassicRpc(Rpc):
    rpc_consumer = ClassicRpcConsumer()

    def handle_message(self, body, message):
        """Text no database can store, or nesting past ``MAX_DEPTH``, is an ``Invalid`` reply before any worker."""
        check_rpc_arguments(body.get("args", ()), body.get("kwargs", {}))
        super().handle_message(body, message)


rpc = ClassicRpc.decorator
