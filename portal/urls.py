"""Keep redirects on this site."""

from urllib.parse import urlsplit


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
