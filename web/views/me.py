"""Mine (stub)."""

from flask import Blueprint, render_template

from web.account import signed_in

bp = Blueprint("me", __name__)


@bp.get("/me/reservations")
@signed_in
def reservations():
    return render_template("search/home.html")


@bp.get("/me/applications")
@signed_in
def applications():
    return render_template("search/home.html")
