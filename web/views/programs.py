"""Programs (stub)."""

from flask import Blueprint, render_template

bp = Blueprint("programs", __name__)


@bp.get("/programs")
def index():
    return render_template("search/home.html")
