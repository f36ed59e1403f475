"""Installable on a phone: the web app manifest, the service worker and its offline page.

The service worker is served from the site's root (``/sw.js``) so that its scope is the
whole site; it is revalidated on every check (``no-cache``) so a new version takes over
as soon as it is deployed. The manifest speaks the request's language.
"""

import json
from pathlib import Path

from flask import Blueprint, Response, render_template, url_for
from flask_babel import gettext as _

from web.i18n import language

STATIC = Path(__file__).resolve().parent.parent / "static"
THEME_COLOUR = "#256ef4"  # KRDS primary, as the page's <meta name="theme-color">
BACKGROUND_COLOUR = "#ffffff"

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.webmanifest")
def manifest():
    document = {
        "id": "/",
        "name": _("Community Space"),
        "short_name": _("Community Space"),
        "description": _("Find, book and use the community spaces of your neighbourhood."),
        "lang": language(),
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": url_for("static", filename="icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url_for("static", filename="icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": url_for("static", filename="icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": url_for("static", filename="icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "shortcuts": [
            {"name": _("My reservations"), "url": url_for("me.reservations")},
            {"name": _("Spaces"), "url": url_for("search.results")},
        ],
    }
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.vary.update(("Accept-Language", "Cookie"))
    return response


@bp.get("/sw.js")
def service_worker():
    response = Response((STATIC / "sw.js").read_bytes(), mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    """What the service worker shows for a page it cannot fetch (it keeps a copy of this one)."""
    return render_template("pwa/offline.html")
