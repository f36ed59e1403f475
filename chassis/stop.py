"""A service stops by a deadline after SIGTERM, even while its broker is gone.

On SIGTERM nameko stops the service's consumers first, and a consumer that is
reconnecting to a broker that went away never stops, so the process lives on until
something kills it. ``StopDeadline`` sets an alarm when SIGTERM arrives: if the service
has not stopped ``STOP_SECONDS`` later (config, 20 by default), the process exits with
status 1, as an orchestrator would kill it at the end of its grace period. A service
whose broker is there stops well before (its workers finish first).
"""

import os
import signal

from nameko.extensions import DependencyProvider

STOP_SECONDS = 20


class StopDeadline(DependencyProvider):
    def start(self):
        seconds = int(self.container.config.get("STOP_SECONDS", STOP_SECONDS))
        stop = signal.getsignal(signal.SIGTERM)  # nameko's, set before the service starts

        def stop_by_the_deadline(signum, frame):
            signal.signal(signal.SIGALRM, _exit_now)
            signal.alarm(seconds)
            if callable(stop):
                stop(signum, frame)

        signal.signal(signal.SIGTERM, stop_by_the_deadline)


def _exit_now(signum, frame):
    os._exit(1)
