from chassis.migrations import run_env
from gateway.db import metadata

run_env(metadata)
