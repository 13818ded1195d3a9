"""Who may use each route. Every view declares a rule; a view without one is refused.

``public`` marks a page anyone may see; ``role_required`` names the roles that may use it.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from portal.auth.roles import Role

ACCESS_RULE = "access_rule"
PUBLIC = "public"
# Flask's own static file view serves only the committed GOV.UK and portal assets.
EXEMPT_ENDPOINTS = frozenset({"static"})


def public(view: Callable) -> Callable:
    """Anyone may use this view, signed in or not."""
    setattr(view, ACCESS_RULE, PUBLIC)
    return view


def role_required(*roles: Role) -> Callable[[Callable], Callable]:
    """Only signed-in people with one of these roles may use the view."""
    if not roles:
        raise ValueError("role_required needs at least one role")
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_RULE, allowed)
        return wrapped

    return decorator


ANY_SIGNED_IN = tuple(Role)


def access_rule_for(endpoint: str | None, view_functions: dict) -> object | None:
    """The declared rule of an endpoint, or None if it has none."""
    if endpoint is None or endpoint in EXEMPT_ENDPOINTS:
        return PUBLIC
    view = view_functions.get(endpoint)
    return getattr(view, ACCESS_RULE, None)
