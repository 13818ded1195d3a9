"""What a witness can ask witness care for on a case they follow: special measures and an expenses claim.

Each becomes a witness-care task (portal/tracking/witnesses.py); the witness reads the answer under "What you
asked us" on their case page. Only a witness linked to the case may ask; anyone else gets "not found".
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for
from portal.domain import DomainError
from portal.forms import PortalForm, options, submit
from portal.tracking import witnesses
from portal.widgets import CheckboxesInput, TextInput

bp = Blueprint("witness_requests", __name__)

DETAILS_TOO_LONG = _l("Details must be 1000 characters or fewer")


class SpecialMeasuresForm(PortalForm):
    """Help to give evidence."""

    measures = SelectMultipleField(
        _l("What would help you give evidence?"), widget=CheckboxesInput(),
        choices=options([("screen", _l("A screen, so you do not see the defendant")),
                         ("video_link", _l("Giving evidence by video link from another room")),
                         ("waiting_area", _l("A separate waiting area")),
                         ("court_visit", _l("A visit to the court before the day")),
                         ("other", _l("Something else"))]),
        description=_l("Select all that apply."), validate_choice=False,  # the service keeps only the known ones
        validators=[InputRequired(message=_l("Select at least one kind of help"))])
    details = TextAreaField(_l("Tell us more (optional)"), widget=GovTextArea(),
                            description=_l("For example, what worries you about giving evidence."),
                            validators=[Length(max=1000, message=DETAILS_TOO_LONG)])
    submit = submit(_l("Send request"))


class ExpensesForm(PortalForm):
    """Start an expenses claim."""

    items = SelectMultipleField(
        _l("What are you claiming for?"), widget=CheckboxesInput(),
        choices=options([("travel", _l("Travel")), ("meals", _l("Meals")),
                         ("earnings", _l("Loss of earnings")), ("care", _l("Childcare or other care"))]),
        description=_l("Select all that apply."), validate_choice=False,
        validators=[InputRequired(message=_l("Select what you are claiming for"))])
    amount = StringField(
        _l("How much are you claiming, in pounds?"), widget=TextInput(),
        validators=[DataRequired(message=_l("Enter how much you are claiming")),
                    Regexp(r"^£?\s*\d{1,5}(\.\d{1,2})?$", message=_l("Enter an amount in pounds, like 250 or 250.50"))],
        render_kw={"class": "govuk-input--width-10", "inputmode": "decimal"})
    details = TextAreaField(_l("Tell us more (optional)"), widget=GovTextArea(),
                            description=_l("For example, the journey you made and the days you missed work."),
                            validators=[Length(max=1000, message=DETAILS_TOO_LONG)])
    submit = submit(_l("Send claim"))


def _request_page(crime_number: str, form: PortalForm, send, error_field, title: str, intro: str):
    """One witness request: the form, and on a valid answer the service call that raises witness care's task."""
    report, _relation = case_for(current_user, crime_number, Relation.WITNESS)
    if form.validate_on_submit():
        try:
            send(report)
        except DomainError as error:
            error_field.errors.append(error.message)
        else:
            flash(_("Sent. Witness care will answer here, under ‘What you asked us’."), "success")
            return redirect(url_for("tracking.case", crime_number=report.crime_number))
    return render_template("tracking/witness_request.html", form=form, report=report, title=title, intro=intro)


@bp.route("/cases/<crime_number>/special-measures", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def special_measures(crime_number: str):
    """A witness asks for help to give evidence."""
    form = SpecialMeasuresForm()
    return _request_page(
        crime_number, form,
        lambda report: witnesses.ask_for_special_measures(current_user, report, form.measures.data,
                                                          form.details.data),
        form.measures, _("Ask for help to give evidence"),
        _("Special measures can make giving evidence easier. Witness care will ask the court and tell you the answer "
          "on your case page."))


@bp.route("/cases/<crime_number>/expenses", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def expenses(crime_number: str):
    """A witness starts an expenses claim."""
    form = ExpensesForm()
    return _request_page(
        crime_number, form,
        lambda report: witnesses.claim_expenses(current_user, report, form.items.data, form.amount.data,
                                                form.details.data),
        form.items, _("Claim your expenses"),
        _("You can claim for travel, meals, loss of earnings and care when you go to court as a witness. Witness care "
          "check your claim and tell you the answer on your case page. Keep your receipts."))
