"""Demo data: ``python -m gateway seed [--spaces N]``.

- ``generator``: the demo spaces, deterministic and pure (no I/O);
- ``places``: the neighbourhoods, roads and words they are made of;
- ``catalogue``: reads the spaces service's catalogues;
- ``accounts``: the demo administrator, operators and citizens in the gateway database;
- ``command``: the command itself (accounts, then the import over RPC).
"""
