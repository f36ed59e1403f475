"""The web client: pages for residents, rendered on the server, a client of the gateway's public API."""
