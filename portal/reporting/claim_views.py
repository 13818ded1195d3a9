"""Add a report made as a guest to your account."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import DataRequired

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.auth.security import limit_posts
from portal.cases.forms import CrimeNumberField
from portal.domain import DomainError
from portal.forms import PortalForm, email_field, submit
from portal.reporting import claims
from portal.widgets import TextInput

bp = Blueprint("claims", __name__, url_prefix="/report/claim")


class ClaimForm(PortalForm):
    """Crime number and the email used in the report."""

    crime_number = CrimeNumberField(
        _l("Crime number or reference number"), widget=TextInput(),
        description=_l("For example, CR-26-0001234-X, or IR-26-0001234-X for lost property"),
        validators=[DataRequired(message=_l("Enter your crime number"))],
        render_kw={"class": "govuk-input--width-20", "spellcheck": "false", "autocomplete": "off"},
    )
    email = email_field(_l("Email address you gave in the report"))
    submit = submit(_l("Send link"))


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
@limit_posts("RESET_RATE_LIMIT")
def claim():
    """Ask for a link that adds a report to this account."""
    form = ClaimForm()
    if form.validate_on_submit():
        claims.request_claim(current_user, form.crime_number.data, form.email.data)
        return render_template("reporting/claim_sent.html")
    return render_template("reporting/claim.html", form=form)


@bp.route("/<token>")
@role_required(Role.VICTIM, Role.WITNESS)
def confirm(token: str):
    """Follow the emailed link to add the report."""
    try:
        report = claims.complete_claim(current_user, token)
    except DomainError as error:
        return render_template("auth/link_invalid.html", message=error.message), 400
    flash(_("Report %(number)s has been added to your account.", number=report.crime_number), "success")
    return redirect(url_for("pages.account"))
