"""Demo data: ``python -m gateway seed [--spaces N]``.

- ``generator``: the demo spaces, deterministic and pure (no I/O);
- ``places``: the neighbourhoods, roads and words they are made of;
- ``catalogue``: reads the spaces service's catalogues;
- ``accounts``: the demo administrator, operators and citizens in the gateway database;
- ``programs``: the demo programs (their catalogue), published at the demo spaces as their operators,
  with the demo citizens' applications;
- ``command``: the command itself (accounts, the import of spaces, then the programs, over RPC).
"""
