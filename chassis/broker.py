"""RabbitMQ set-up as code: the platform's vhost, its policies and the dead-letter queue.

The vhost is created with default queue type ``quorum``, so the durable queues
nameko declares (``rpc-<service>``, ``evt-...``) are quorum queues. A policy on
the event queues gives each message ``DELIVERY_LIMIT`` redeliveries and then
dead-letters it to the ``dead-letters`` queue, so an event handler that keeps
failing neither loops nor loses the event. RPC queues are classic queues
(``chassis/rpc.py``): a request that expired unanswered is simply dropped.

``python -m chassis.broker setup`` applies this to the vhost named in
``CS_AMQP_URI`` with ``rabbitmqctl``; ``python -m chassis.broker definitions``
prints the same set-up as a definitions file for a broker that loads one
(``deploy/rabbitmq/definitions.json``, used by docker-compose).

``permissions(component)`` is what a component's own broker user needs and no more.
``python -m chassis.broker permissions`` prints, as the ``permissions`` of a definitions
file, what each component's user ``cs_<component>`` (``user_of``) is granted
(``deploy/rabbitmq/permissions.json``: docker-compose runs every component as its own
user). The end-to-end tests run each component as such a user too.
"""

import json
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlsplit

from kombu import Connection, Exchange, Queue

from chassis.settings import COMPONENTS, common

DEAD_LETTER_EXCHANGE = "dead-letters"
DEAD_LETTER_QUEUE = "dead-letters"
DELIVERY_LIMIT = 5
POLICIES = {
    "event-retries": {
        "pattern": "^evt-",
        "definition": {"delivery-limit": DELIVERY_LIMIT, "dead-letter-exchange": DEAD_LETTER_EXCHANGE},
    },
}


class BrokerSetupError(RuntimeError):
    pass


def vhost_of(amqp_uri: str) -> tuple[str, str]:
    """The vhost and the user named in an AMQP URI."""
    parts = urlsplit(amqp_uri)
    vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    return vhost, unquote(parts.username or "guest")


def _rabbitmqctl(*args: str) -> str:
    if shutil.which("rabbitmqctl") is None:
        raise BrokerSetupError(
            "rabbitmqctl is not on PATH. Run this on the broker's host, or load "
            "deploy/rabbitmq/definitions.json into a broker you cannot reach with rabbitmqctl."
        )
    done = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise BrokerSetupError(f"rabbitmqctl {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def setup(amqp_uri: str | None = None) -> None:
    """Create the vhost (quorum by default), grant the user, set policies, declare dead-letters."""
    amqp_uri = amqp_uri or common().amqp_uri
    vhost, user = vhost_of(amqp_uri)
    existing = _rabbitmqctl("list_vhosts", "name").split()
    if vhost not in existing:
        _rabbitmqctl("add_vhost", vhost, "--default-queue-type", "quorum")
    _rabbitmqctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")
    for name, policy in POLICIES.items():
        _rabbitmqctl(
            "set_policy",
            "-p",
            vhost,
            "--apply-to",
            "queues",
            name,
            policy["pattern"],
            json.dumps(policy["definition"]),
        )
    declare_dead_letters(amqp_uri)


def declare_dead_letters(amqp_uri: str) -> None:
    exchange = Exchange(DEAD_LETTER_EXCHANGE, type="fanout", durable=True)
    queue = Queue(DEAD_LETTER_QUEUE, exchange, durable=True)
    with Connection(amqp_uri, connect_timeout=5) as conn:
        queue(conn.default_channel).declare()


def teardown(amqp_uri: str) -> None:
    vhost, _ = vhost_of(amqp_uri)
    if vhost in _rabbitmqctl("list_vhosts", "name").split():
        _rabbitmqctl("delete_vhost", vhost)


def permissions(component: str) -> dict[str, str]:
    """RabbitMQ's configure, write and read patterns for the broker user of ``component``.

    Its own names: the RPC queue ``rpc-<component>``, its reply queues
    (``rpc.reply-<component>-*``, and ``rpc.reply-standalone_rpc_proxy-*`` of the health
    probe that runs beside it), its event handlers' queues (``evt-*--<component>.*``) and
    its ``<component>.events`` exchange. Shared: ``nameko-rpc``, where every request and
    reply is published and every RPC queue bound, and the other ``*.events`` exchanges,
    which nameko declares (configure) and binds from (read) when a handler subscribes.
    So a component cannot consume another's requests, replies or events, nor publish
    another's events.
    """
    name = re.escape(component)
    own = [f"rpc-{name}", rf"rpc\.reply-({name}|standalone_rpc_proxy)-.*", rf"evt-.*--{name}\..*", rf"{name}\.events"]
    patterns = {
        "configure": [*own, "nameko-rpc", r".*\.events"],
        "write": [*own, "nameko-rpc"],
        "read": [*own, "nameko-rpc", r".*\.events"],
    }
    return {kind: "^(" + "|".join(names) + ")$" for kind, names in patterns.items()}


def user_of(component: str) -> str:
    """The broker user ``component`` connects as in the deployments: named as its database role."""
    return f"cs_{component}"


def user_permissions(vhost: str = "community_space") -> list[dict]:
    """What each component's user is granted, as a definitions document lists it. A broker
    refuses the permissions of a user it does not have, so these are loaded with the users
    (``deploy/rabbitmq/entrypoint.sh``), not with the topology."""
    return [{"user": user_of(name), "vhost": vhost, **permissions(name)} for name in COMPONENTS]


def definitions(vhost: str = "community_space") -> dict:
    """The same set-up as a RabbitMQ definitions document."""
    return {
        "vhosts": [{"name": vhost, "default_queue_type": "quorum", "metadata": {"default_queue_type": "quorum"}}],
        "policies": [
            {
                "vhost": vhost,
                "name": name,
                "pattern": policy["pattern"],
                "apply-to": "queues",
                "definition": policy["definition"],
                "priority": 0,
            }
            for name, policy in POLICIES.items()
        ],
        "exchanges": [
            {
                "vhost": vhost,
                "name": DEAD_LETTER_EXCHANGE,
                "type": "fanout",
                "durable": True,
                "auto_delete": False,
                "internal": False,
                "arguments": {},
            }
        ],
        "queues": [
            {
                "vhost": vhost,
                "name": DEAD_LETTER_QUEUE,
                "durable": True,
                "auto_delete": False,
                "arguments": {"x-queue-type": "quorum"},
            }
        ],
        "bindings": [
            {
                "vhost": vhost,
                "source": DEAD_LETTER_EXCHANGE,
                "destination": DEAD_LETTER_QUEUE,
                "destination_type": "queue",
                "routing_key": "",
                "arguments": {},
            }
        ],
    }


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "setup"
    try:
        if command == "setup":
            setup()
            print(f"broker ready: vhost {vhost_of(common().amqp_uri)[0]}")
        elif command == "teardown":
            teardown(common().amqp_uri)
        elif command == "definitions":
            print(json.dumps(definitions(), indent=2))
        elif command == "permissions":
            print(json.dumps(user_permissions(), indent=2))
        else:
            print("usage: python -m chassis.broker [setup|teardown|definitions|permissions]", file=sys.stderr)
            return 2
    except BrokerSetupError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
