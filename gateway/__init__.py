"""The HTTP gateway: the one public door to Community Space.

It owns accounts (users, passwords, tokens) in its own database and turns every
other request into RPC calls to the nameko services. ``gateway.app.create_app``
builds the Flask application; ``gateway.wsgi:app`` is what granian serves (``python -m gateway.serve``).
"""
