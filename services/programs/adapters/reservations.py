"""The reservations service, as the programs service calls it: blocks of a space's time.

nameko's in-service RPC proxy has no timeout, so each call runs under one of ours. A call
that times out or cannot be sent raises ``NoAnswer``: the block may or may not have been
made, and the step that asked for it stays recorded for the resume timer to finish.
Domain errors of the reservations service (a taken slot, an unknown block) pass through.
"""

from chassis.calls import call_in_time

CALL_TIMEOUT_SECONDS = 3.0  # inside the gateway's own 5 s, so an absent reservations service is a 503 that says so


class NoAnswer(Exception):
    """The reservations service did not answer in time, or could not be reached."""


class Reservations:
    def __init__(self, proxy, timeout: float = CALL_TIMEOUT_SECONDS):
        self._proxy = proxy
        self._timeout = timeout

    def block(self, actor: dict, space_id: str, intervals: list[dict], program_ref: str) -> dict:
        return self._call("block", actor, space_id, intervals, program_ref)

    def unblock(self, actor: dict, block_id: str, reason: str | None) -> dict:
        return self._call("unblock", actor, block_id, reason)

    def _call(self, method: str, *args):
        return call_in_time(
            getattr(self._proxy, method), *args, timeout=self._timeout, failure=lambda: NoAnswer(method)
        )
