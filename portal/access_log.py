"""What the access log says about a request: a route with a secret in its path by its pattern, never the secret.

gunicorn (see gunicorn.conf.py) prints the path the app leaves in the request's environment under LOG_PATH_KEY;
the development server's log lines are rewritten by a filter on the `werkzeug` logger. Neither writes a query
string: a sign-in page's `next` can carry a secret link too, and search filters are typed by the public.
"""

import logging
import re

from flask import Flask, has_request_context, request
from werkzeug.routing import Map

from portal.secret_paths import match, path_for_log

# The WSGI environment key gunicorn's access_log_format reads (as `%({portal.log_path}e)s`).
LOG_PATH_KEY = "portal.log_path"
# The path in the development server's request line: `GET /path?query HTTP/1.1`.
_REQUEST_TARGET = re.compile(r"(?P<method>[A-Z]+) (?P<target>/\S*) (?=HTTP/)")


def register(app: Flask) -> None:
    """Note every request's loggable path, and keep secrets out of the development server's log."""
    app.url_value_preprocessor(_note_log_path)
    werkzeug_log = logging.getLogger("werkzeug")
    for old in [f for f in werkzeug_log.filters if isinstance(f, DevelopmentServerFilter)]:
        werkzeug_log.removeFilter(old)  # an app made again (in tests) replaces the last one's filter
    werkzeug_log.addFilter(DevelopmentServerFilter(app.url_map))


def request_path() -> str:
    """The current request's path as a log may show it (for the app's own log lines)."""
    if not has_request_context():
        return "-"
    return path_for_log(request.url_rule, request.path)


def _note_log_path(_endpoint: str | None, _values: dict | None) -> None:
    """Runs before every before-request hook, whether or not a route matched."""
    request.environ[LOG_PATH_KEY] = request_path()


class DevelopmentServerFilter(logging.Filter):
    """Rewrite the request line of the development server's access log: the route's pattern for a secret route,
    and no query string."""

    def __init__(self, url_map: Map):
        super().__init__()
        self.url_map = url_map

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; change only its request line."""
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            line = _REQUEST_TARGET.sub(self._without_secret, record.args[0], count=1)
            record.args = (line, *record.args[1:])
        return True

    def _without_secret(self, found: re.Match) -> str:
        path = found.group("target").split("?", 1)[0]
        rule, _values = match(self.url_map, path, found.group("method"))
        return f"{found.group('method')} {path_for_log(rule, path)} "
