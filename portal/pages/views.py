"""Start page, account home, cookies, accessibility, privacy, health check and quick exit."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from portal.auth.access import ANY_SIGNED_IN, public, role_required
from portal.auth.forms import LogoutForm
from portal.auth.services import set_language
from portal.auth.sessions import end_this_session
from portal.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_DAYS, LANGUAGES
from portal.pages.queries import database_answers
from portal.urls import safe_next

bp = Blueprint("pages", __name__)


@bp.route("/")
@public
def start():
    """The start page."""
    return render_template("pages/start.html")


@bp.route("/account")
@role_required(*ANY_SIGNED_IN)
def account():
    """The signed-in home page."""
    return render_template("pages/account.html", logout_form=LogoutForm())


@bp.route("/cookies")
@public
def cookies():
    """Which cookies the service sets."""
    return render_template("pages/cookies.html")


@bp.route("/accessibility")
@public
def accessibility():
    """The accessibility statement."""
    return render_template("pages/accessibility.html")


@bp.route("/privacy")
@public
def privacy():
    """The privacy notice."""
    return render_template("pages/privacy.html")


@bp.route("/exit")
@public
def exit_page():
    """Quick exit: forget the session and the chosen language here, then go to a neutral site.

    This is a GET on purpose: the Exit this page button is a link, and it must work without JavaScript. The
    language cookie goes too: it lasts a year, and a site in Polish or Arabic on a shared computer says who used it.
    """
    end_this_session("exited")
    logout_user()
    session.clear()
    response = redirect(current_app.config["EXIT_PAGE_URL"])
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    response.delete_cookie(LANGUAGE_COOKIE, httponly=True, samesite="Lax",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/health")
@public
def health():
    """Liveness and database check for load balancers."""
    if not database_answers():
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.route("/language", methods=["POST"])
@public
def change_language():
    """Switch the language and go back to the same page. Kept on the account, or in a cookie."""

    back = safe_next(request.form.get("next"), url_for("pages.start"))
    language = request.form.get("language", "")
    response = redirect(back)
    if language not in LANGUAGES:
        return response
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    if current_user.is_authenticated and not current_user.is_staff:
        set_language(current_user, language)
    return response


EASY_READ_PAGES = {"start": "pages/easy_read/start.html", "what-happens-next": "pages/easy_read/what_happens_next.html",
                   "rights": "pages/easy_read/rights.html"}


@bp.route("/easy-read/<page>")
@public
def easy_read(page: str):
    """Easy-read versions: short sentences, one idea a line, a plain layout."""
    if page not in EASY_READ_PAGES:
        abort(404)
    return render_template(EASY_READ_PAGES[page])
