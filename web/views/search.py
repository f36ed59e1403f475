"""Home and search (stub; the search helper builds it)."""

from flask import Blueprint, render_template

bp = Blueprint("search", __name__)


@bp.get("/")
def home():
    return render_template("search/home.html")


@bp.get("/spaces")
def results():
    return render_template("search/home.html")
