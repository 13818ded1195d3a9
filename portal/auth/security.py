"""Security headers, access-rule enforcement, idle time-out and caching rules."""

import logging

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from flask_talisman import Talisman

from portal.auth.access import access_rule_for
from portal.auth.sessions import end_this_session, is_idle_expired, touch
from portal.extensions import limiter

log = logging.getLogger(__name__)

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def limit_posts(setting: str):
    """Rate-limit a view's POSTs by the limit named in the configuration (so tests and deployments can tune it)."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


def _account_key() -> str:
    """The rate-limit key for the signed-in account (the address, for someone not signed in)."""
    return f"account:{current_user.get_id()}" if current_user.is_authenticated else get_remote_address()


def limit_code_redemption(methods: list[str]):
    """Limit redeeming one-time codes by JOIN_CODE_RATE_LIMIT, counted per address and per account, shared by
    every route that redeems a code (so switching between the form and the link gains nothing)."""
    limit = lambda: current_app.config["JOIN_CODE_RATE_LIMIT"]  # noqa: E731 - read at request time
    by_address = limiter.shared_limit(limit, scope="code-redemption-address", key_func=get_remote_address,
                                      methods=methods)
    by_account = limiter.shared_limit(limit, scope="code-redemption-account", key_func=_account_key,
                                      methods=methods)
    return lambda view: by_address(by_account(view))


def configure_security(app: Flask) -> None:
    """Install Talisman and the request hooks."""
    app.extensions["talisman"] = Talisman(
        app,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        frame_options="DENY",
        referrer_policy="same-origin",
        strict_transport_security=app.config["FORCE_HTTPS"],
    )
    app.before_request(enforce_access_rule)
    app.before_request(expire_idle_session)
    app.after_request(set_cache_headers)


def enforce_access_rule():
    """Refuse any view that forgot to declare who may use it (fail closed)."""
    if request.endpoint is None:
        return None
    if access_rule_for(request.endpoint, current_app.view_functions) is None:
        log.error("view %s declares no access rule; refusing", request.endpoint)
        abort(403)
    return None


def expire_idle_session():
    """Sign out a session idle for longer than the limit; otherwise note the activity."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    if is_idle_expired():
        end_this_session("idle")
        logout_user()
        session.clear()
        flash(_("You were signed out because you did nothing for %(minutes)d minutes. "
                "Sign in again to continue.", minutes=current_app.config["SESSION_IDLE_MINUTES"]), "information")
        return redirect(url_for("auth.login"))
    touch()
    return None


def set_cache_headers(response):
    """Pages may show personal data: browsers and proxies must not keep them."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
