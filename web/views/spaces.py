"""A space's page and booking (stub)."""

from flask import Blueprint

bp = Blueprint("spaces", __name__)
