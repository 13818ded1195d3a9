"""GOV.UK-style error pages, never a stack trace."""

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

ERROR_PAGES = {400, 403, 404, 405, 413, 429, 500}


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
        template = f"errors/{code}.html" if code in ERROR_PAGES else "errors/generic.html"
        response = render_template(template, error=error)
        headers = {}
        if code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return response, code, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        """Log the failure and show a calm page."""
        log.exception("unhandled error on %s %s", request.method, request.path)
        from portal.extensions import db

        db.session.rollback()
        return render_template("errors/500.html"), 500
