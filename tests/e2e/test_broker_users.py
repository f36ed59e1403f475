"""Each component runs as a broker user of its own (``chassis.broker.permissions``), and the
whole stack works that way; these tests show what such a user is refused."""

import amqp
import pytest
from amqp.exceptions import AccessRefused
from kombu import Connection

pytestmark = pytest.mark.e2e
UNBOUND = "permission.check"  # a routing key no queue binds: what is published here goes nowhere


def publish_confirmed(uri: str, exchange: str, declare: bool = False) -> None:
    with Connection(uri) as connection:
        channel = connection.channel()
        if declare:  # as the relay does before it publishes: the exchange may not exist yet
            channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
        # waits for the broker's answer: an ack, or the channel closed on a refusal
        channel.basic_publish_confirm(amqp.Message("{}"), exchange=exchange, routing_key=UNBOUND, timeout=5)


def test_a_component_publishes_its_own_events_but_not_another_ones(stack, broker_users):
    publish_confirmed(broker_users["reservations"], "reservations.events", declare=True)
    with pytest.raises(AccessRefused):
        publish_confirmed(broker_users["notifications"], "reservations.events")


def test_a_component_cannot_take_another_service_requests(stack, broker_users):
    for intruder in ("notifications", "gateway"):
        with Connection(broker_users[intruder]) as connection:
            channel = connection.channel()
            with pytest.raises(AccessRefused):
                channel.basic_consume("rpc-reservations", callback=lambda message: None)
