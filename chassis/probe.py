"""``python -m chassis.probe [--liveness] SERVICE [SERVICE ...]``: exit 0 when each service answers ``health``.

Used by container health checks and by the local start command while it waits.
With ``--liveness`` a broker that cannot be reached passes: the service is not at
fault, it reconnects by itself, and restarting every replica of every service
during a broker outage would only add a storm of restarts to it. A broker that
answers while the service does not still fails.
"""

import argparse
import sys

from nameko.standalone.rpc import ClusterRpcProxy

from chassis.settings import common

TIMEOUT = 3
BROKER_DOWN = "broker: "  # how ``healthy`` words a status when the broker could not be reached


def healthy(services, amqp_uri: str | None = None) -> dict[str, str]:
    config = {"AMQP_URI": amqp_uri or common().amqp_uri}
    answers = {}
    try:
        with ClusterRpcProxy(config, timeout=TIMEOUT) as cluster:
            for service in services:
                try:
                    answers[service] = getattr(cluster, service).health()["status"]
                except Exception as exc:  # any failure means "not healthy"; say which
                    answers[service] = type(exc).__name__
    except Exception as exc:
        answers = {service: f"{BROKER_DOWN}{type(exc).__name__}" for service in services}
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chassis.probe")
    parser.add_argument("--liveness", action="store_true", help="pass when the broker cannot be reached")
    parser.add_argument("services", nargs="+")
    args = parser.parse_args(argv)
    answers = healthy(args.services)
    for service, status in answers.items():
        print(f"{service}: {status}")
    passing = ("ok", BROKER_DOWN) if args.liveness else ("ok",)
    return 0 if all(status.startswith(passing) for status in answers.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
