"""Absolute links for emails, built on the configured public address (never the request's Host header)."""

from contextlib import nullcontext

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    """The full address of a page, usable from a request, a worker or a CLI command."""
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context:
        path = url_for(endpoint, **values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
