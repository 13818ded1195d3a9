"""What every page of a support organisation's staff needs first: the organisation their account belongs to.

The partner portal (portal/partners) and the peer-support pages an organisation runs (portal/peers) both use these,
so an account not yet linked to an organisation gets the same explanation everywhere.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort, render_template
from flask_login import current_user

from portal.support.models import Organisation
from portal.support.referrals import organisation_by_id


def linked(view: Callable) -> Callable:
    """Explain, rather than fail, when a partner account has no organisation yet."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.organisation_id is None:
            return render_template("partners/not_linked.html")
        return view(*args, **kwargs)

    return wrapped


def own_organisation() -> Organisation:
    """The signed-in partner's organisation ('not found' if it has gone)."""
    organisation = organisation_by_id(current_user.organisation_id)
    if organisation is None:
        abort(404)
    return organisation
