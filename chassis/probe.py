"""``python -m chassis.probe SERVICE [SERVICE ...]``: exit 0 when each service answers ``health``.

Used by container health checks and by the local start command while it waits.
"""
import sys

from nameko.standalone.rpc import ClusterRpcProxy

from chassis.settings import common

TIMEOUT = 3


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
        answers = {service: f"broker: {type(exc).__name__}" for service in services}
    return answers


def main() -> int:
    answers = healthy(sys.argv[1:])
    for service, status in answers.items():
        print(f"{service}: {status}")
    return 0 if all(status == "ok" for status in answers.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
