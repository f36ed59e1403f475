"""Sign up, sign in, sign out: forms that post to the gateway's accounts routes.

The token pair the gateway answers stays in the server-side session. After signing in,
the resident goes back where they were (``next``, a path on this site only).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from web import account
from web.account import api
from web.gateway import Problem
from web.i18n import language
from web.pages import form_errors

bp = Blueprint("auth", __name__)

# what a sign-up field the gateway refused needs, in the page's language
FIELD_MESSAGES = {
    "email": _l("Enter an email address such as name@example.com."),
    "name": _l("Enter your name (up to 100 characters)."),
    "phone": _l("Enter a phone number such as 010-1234-5678."),
    "password": _l("Choose a password of 10 to 128 characters."),
}


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = account.safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", form={}, errors={}, next=target)
    form = {"email": request.form.get("email", "").strip()}
    try:
        pair = api("POST", "/api/v1/auth/login", json={**form, "password": request.form.get("password", "")})
        user = api("GET", "/api/v1/me", token=pair["access_token"])
    except Problem as problem:
        errors = form_errors(problem)
        if problem.status == 401:
            errors[""] = _("The email address or the password is not right.")
        return render_template("auth/login.html", form=form, errors=errors, next=target), _status(problem)
    account.sign_in(pair, user)
    flash(_("Welcome, %(name)s.", name=user["name"]), "success")
    return redirect(target)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    target = account.safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/signup.html", form={}, errors={}, next=target)
    form = {name: request.form.get(name, "").strip() for name in ("email", "name", "phone")}
    body = {key: value for key, value in form.items() if value}
    body.update(password=request.form.get("password", ""), locale=language())
    errors = {}
    if request.form.get("password") != request.form.get("password_again"):
        errors["password_again"] = _("The two passwords differ.")
    else:
        try:
            registered = api("POST", "/api/v1/auth/register", json=body)
        except Problem as problem:
            errors = form_errors(problem)
            for name in FIELD_MESSAGES.keys() & errors.keys():  # the gateway's words are English
                errors[name] = str(FIELD_MESSAGES[name])
            if problem.status == 409:
                errors["email"] = _("An account with this email address already exists.")
        else:
            pair = {**registered, "expires_in": registered.get("expires_in", 900)}
            account.sign_in(pair, registered["user"])
            flash(_("Your account is ready, %(name)s.", name=registered["user"]["name"]), "success")
            return redirect(target)
    errors.setdefault("", _("Please check the fields marked below."))
    return render_template("auth/signup.html", form=form, errors=errors, next=target), 422


@bp.post("/logout")
def logout():
    account.sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("search.home"))


def _status(problem: Problem) -> int:
    return problem.status if problem.status in (401, 422, 429, 503, 504) else 422
