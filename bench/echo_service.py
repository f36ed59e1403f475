"""``echo``: a nameko service with no dependencies whose one method answers its argument.

The floor of an RPC (``bench.latency``): the platform's RPC entrypoint (``chassis.rpc.rpc``,
so its queue and replies are those every service uses) and nothing behind it, no
database, no unit of work. A ``health`` RPC costs this plus one ``SELECT 1``.
"""

import chassis  # noqa: F401  (as every service: psycopg cooperative before it is imported)
from chassis.rpc import rpc


class EchoService:
    name = "echo"

    @rpc
    def echo(self, value):
        return value
