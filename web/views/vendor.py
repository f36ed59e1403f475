"""The front-end packages, served from this origin out of ``web/node_modules``.

``npm ci`` in ``web/`` (``make install``) puts them there from ``package-lock.json``;
nothing is copied into the repository and nothing loads from a CDN. Only the folders
named here are served.
"""

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
PACKAGES = {
    "krds": NODE_MODULES / "krds-uiux" / "resources",
    "htmx": NODE_MODULES / "htmx.org" / "dist",
    "leaflet": NODE_MODULES / "leaflet" / "dist",
}
MAX_AGE = 24 * 3600

bp = Blueprint("vendor", __name__)


@bp.get("/vendor/<package>/<path:filename>")
def asset(package: str, filename: str):
    root = PACKAGES.get(package)
    if root is None:
        abort(404)
    return send_from_directory(root, filename, max_age=MAX_AGE)
