"""Addresses: keep redirects on this site, keep control characters out of route parameters, and keep numbers in
them within what the database can hold."""

from urllib.parse import urlsplit

from werkzeug.routing import BaseConverter, IntegerConverter

from portal.database import INTEGER_MAX


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


class WholeNumber(IntegerConverter):
    """The converter for every ``<int:...>`` part: ASCII digits, from 0 to the largest number an id column holds.
    Anything else (2^63, a minus sign, full-width digits, 5,000 digits) matches no route, so it is a plain
    'not found' and never reaches the database, where it would overflow."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map, **bounds) -> None:
        bounds.setdefault("min", 0)
        bounds.setdefault("max", INTEGER_MAX)
        super().__init__(url_map, **bounds)


def register_converters(app) -> None:
    """Use PrintableText for every untyped (and 'string') part of every route, and WholeNumber for every 'int'
    part. Call before adding routes."""
    app.url_map.converters["default"] = PrintableText
    app.url_map.converters["string"] = PrintableText
    app.url_map.converters["int"] = WholeNumber
