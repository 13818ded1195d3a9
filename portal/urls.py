"""Addresses: keep redirects on this site, and keep control characters out of route parameters."""

from urllib.parse import urlsplit

from werkzeug.routing import BaseConverter


def safe_next(target: str | None, fallback: str) -> str:
    """Return target only if it is a path on this site; otherwise the fallback."""
    if not target or len(target) > 2000:
        return fallback
    if "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


class PrintableText(BaseConverter):
    """The default converter for text in addresses, without control characters (NUL included): an address
    carrying them matches no route, so it is a plain 'not found' and never reaches the database."""

    regex = r"[^/\x00-\x1f\x7f]+"


def refuse_control_characters(app) -> None:
    """Use PrintableText for every untyped (and 'string') part of every route. Call before adding routes."""
    app.url_map.converters["default"] = PrintableText
    app.url_map.converters["string"] = PrintableText
