"""GOV.UK-style error pages, never a stack trace."""

import logging
import sqlite3

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from portal import access_log
from portal.extensions import db, login_manager

log = logging.getLogger(__name__)

ERROR_PAGES = {400, 403, 404, 405, 413, 429, 500}
# How long a browser or client is asked to wait before trying again when the database cannot be reached.
RETRY_AFTER_SECONDS = 120
# SQLite's OperationalError also covers programming mistakes ("no such table"); only these mean "try again".
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")


def database_unavailable(error: BaseException) -> bool:
    """Whether a database error means the database could not be reached or used just now (a restart, a
    dropped connection, a server that is down or overloaded), as opposed to a mistake in the code."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.orig, sqlite3.Error):
        return any(text in str(error.orig).lower() for text in _SQLITE_UNAVAILABLE)
    return True


def register(app: Flask) -> None:
    """Attach the handlers to the app."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        """A form was sent without a valid CSRF token: usually an old page or an expired session."""
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Render the page for this status, or the generic one."""
        code = error.code or 500
        if code in (301, 302, 303, 307, 308):
            return error
        if error.response is not None:  # an error that brings its own page (a rate limit's, for one)
            return error.response
        template = f"errors/{code}.html" if code in ERROR_PAGES else "errors/generic.html"
        response = render_template(template, error=error)
        headers = {}
        if code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return response, code, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        """Log the failure and show a calm page."""
        log.exception("unhandled error on %s %s", request.method, access_log.request_path())

        db.session.rollback()
        return render_template("errors/500.html"), 500

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        """The database is unreachable (restarting, down, overloaded): a 503 asking the person to try again.

        Nothing was half-written: every write is one transaction, rolled back here. A report being sent gets
        its own words, because its answers are kept in the saved draft and sending again is safe.
        """
        if not database_unavailable(error):
            return unexpected_error(error)
        log.warning("database unavailable on %s %s: %s", request.method, access_log.request_path(), error.orig)
        _roll_back_quietly()
        sending_report = request.method == "POST" and request.endpoint == "reporting.check_answers"
        try:
            page = render_template("errors/503.html", sending_report=sending_report)
        except DBAPIError:
            # The page header asked about the signed-in person, which needs the database: show it signed out.

            _roll_back_quietly()
            g._login_user = login_manager.anonymous_user()
            page = render_template("errors/503.html", sending_report=sending_report)
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _roll_back_quietly() -> None:
    """End the failed transaction; its connection is discarded by the pool if it was broken."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()
