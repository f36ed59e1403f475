"""Event handlers that live through a broker outage.

nameko ends the whole service when anything a worker does after the handler ran
raises, and acknowledging or requeueing a message whose connection has just gone
raises kombu's and amqp's own connection errors, which nameko catches only in part.
Such a message needs nothing more from us: the broker hands an unacknowledged
delivery out again once the consumer's connection is gone. So the acknowledgement
is tried, and a failure is logged and survived.

Services use ``from chassis.handlers import event_handler`` instead of
``nameko.events.event_handler``.
"""

import logging

from nameko.events import EventHandler

log = logging.getLogger(__name__)


def survive_broker_loss(settle, message) -> None:
    """``settle(message)`` (ack or requeue), logging instead of raising when the broker is away."""
    try:
        settle(message)
    except Exception as exc:
        log.warning("could not settle message %s, it will be delivered again: %r", message.delivery_tag, exc)


class SurvivingEventHandler(EventHandler):
    def handle_message_processed(self, message, result=None, exc_info=None):
        requeue = exc_info is not None and self.requeue_on_error
        consumer = self.queue_consumer
        survive_broker_loss(consumer.requeue_message if requeue else consumer.ack_message, message)


event_handler = SurvivingEventHandler.decorator
