from chassis.messaging import metadata
from chassis.migrations import run_env

run_env(metadata)
