"""RabbitMQ set-up as code: the platform's vhost, its policies and the dead-letter queue.

The vhost is created with default queue type ``quorum``, so the durable queues
nameko declares (``rpc-<service>``, ``evt-...``) are quorum queues. A policy on
the event queues gives each message ``DELIVERY_LIMIT`` redeliveries and then
dead-letters it to the ``dead-letters`` queue, so an event handler that keeps
failing neither loops nor loses the event. RPC queues are classic queues
(``chassis/rpc.py``): a request that expired unanswered is simply dropped.

``python -m chassis.broker setup`` loads this, as a definitions document, into the broker
and vhost that ``CS_AMQP_URI`` names, through that broker's HTTP management API (the
``rabbitmq_management`` plugin; on port 15672 of the broker's host, as the URI's user,
unless ``CS_RABBITMQ_MANAGEMENT_URL`` says where it answers and as whom). So it configures
exactly the broker the platform will use, never whichever node a local ``rabbitmqctl``
happens to reach. ``python -m chassis.broker definitions`` prints the same set-up as a
definitions file for a broker that loads one at boot (``deploy/rabbitmq/definitions.json``,
used by docker-compose).

``permissions(component)`` is what a component's own broker user needs and no more.
``python -m chassis.broker permissions`` prints, as the ``permissions`` of a definitions
file, what each component's user ``cs_<component>`` (``user_of``) is granted
(``deploy/rabbitmq/permissions.json``: docker-compose runs every component as its own
user). The end-to-end tests run each component as such a user too.
"""

import json
import os
import re
import sys
from urllib.parse import quote, unquote, urlsplit

import requests

from chassis.settings import COMPONENTS, common

DEAD_LETTER_EXCHANGE = "dead-letters"
DEAD_LETTER_QUEUE = "dead-letters"
DELIVERY_LIMIT = 5
MANAGEMENT_PORT = 15672
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


def management_api(amqp_uri: str) -> tuple[str, tuple[str, str]]:
    """The management API of the broker in ``amqp_uri`` and the credentials to use there."""
    amqp = urlsplit(amqp_uri)
    url = urlsplit(os.environ.get("CS_RABBITMQ_MANAGEMENT_URL") or f"http://{amqp.hostname}:{MANAGEMENT_PORT}")
    named = url if url.username else amqp
    auth = (unquote(named.username or "guest"), unquote(named.password or "guest"))
    if not url.hostname:
        raise BrokerSetupError("CS_RABBITMQ_MANAGEMENT_URL names no host (it needs a scheme: http://host:port)")
    address = url.hostname + (f":{url.port}" if url.port else "")
    return f"{url.scheme}://{address}{url.path.rstrip('/')}/api", auth


def _call(amqp_uri: str, method: str, path: str, document: dict | None = None) -> None:
    api, auth = management_api(amqp_uri)
    try:
        answer = requests.request(method, api + path, json=document, auth=auth, timeout=60)
    except requests.RequestException as exc:
        raise BrokerSetupError(
            f"RabbitMQ's management API does not answer at {api} ({exc}). Enable it on the broker "
            "(rabbitmq-plugins enable rabbitmq_management) or set CS_RABBITMQ_MANAGEMENT_URL."
        ) from exc
    if not answer.ok and not (method == "DELETE" and answer.status_code == 404):
        raise BrokerSetupError(f"{method} {api}{path} answered {answer.status_code}: {answer.text.strip()}")


def setup(amqp_uri: str | None = None) -> None:
    """Create the vhost (quorum by default), grant the user, set policies, declare dead-letters:
    one definitions import, which leaves what already exists as it is."""
    amqp_uri = amqp_uri or common().amqp_uri
    vhost, user = vhost_of(amqp_uri)
    document = definitions(vhost)
    document["permissions"] = [{"user": user, "vhost": vhost, "configure": ".*", "write": ".*", "read": ".*"}]
    _call(amqp_uri, "POST", "/definitions", document)


def teardown(amqp_uri: str) -> None:
    vhost, _ = vhost_of(amqp_uri)
    _call(amqp_uri, "DELETE", f"/vhosts/{quote(vhost, safe='')}")


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
