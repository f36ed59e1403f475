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

from kombu import Queue
from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY,
    AMQP_URI_CONFIG_KEY,
    DEFAULT_SERIALIZER,
    LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY,
)
from nameko.rpc import (
    RPC_QUEUE_TEMPLATE,
    Responder,
    Rpc,
    RpcConsumer,
    get_rpc_exchange,
)

from chassis.db import DATABASE_OUTAGES
from chassis.errors import Unavailable
from chassis.handlers import survive_broker_loss
from chassis.inputs import check_rpc_arguments

log = logging.getLogger(__name__)
DATABASE_RETRY_SECONDS = 5

CLASSIC = {"x-queue-type": "classic"}


class ReplyPublisher(Publisher):
    use_confirms = False
    delivery_mode = 1  # transient


class ReplyResponder(Responder):
    publisher_cls = ReplyPublisher


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

    def handle_result(self, message, result, exc_info):
        if exc_info is not None and isinstance(exc_info[1], DATABASE_OUTAGES):
            exc_info = _database_unavailable(self.container.service_name, exc_info[1])
        config = self.container.config
        responder = ReplyResponder(
            config[AMQP_URI_CONFIG_KEY],
            get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER),
            message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY),
            login_method=config.get(LOGIN_METHOD_CONFIG_KEY),
        )
        try:
            result, exc_info = responder.send_response(result, exc_info)
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
