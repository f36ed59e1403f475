"""The WSGI application granian serves (``web.serve``)."""

from web.app import create_app

app = create_app()
