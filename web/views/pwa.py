"""The web app manifest, the service worker and the offline page (stub)."""

from flask import Blueprint, jsonify

bp = Blueprint("pwa", __name__)


@bp.get("/manifest.webmanifest")
def manifest():
    return jsonify({})
