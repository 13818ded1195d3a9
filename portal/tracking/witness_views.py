"""Witnesses join a case with a one-time code; officers invite them; witnesses answer about court dates."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal import postal_address as postal
from portal.audit.services import record_read
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.auth.security import limit_code_redemption
from portal.cases.access import Relation, case_for, witness_link_for
from portal.cases.forms import CrimeNumberField
from portal.clock import TIME_PATTERN, london_datetime
from portal.domain import DomainError
from portal.fields import GovDateField
from portal.forms import PortalForm, email_field, options, submit
from portal.tracking import hearings, witnesses
from portal.widgets import CheckboxesInput, RadioInput, TextInput

bp = Blueprint("witnesses", __name__)


class JoinForm(PortalForm):
    """Crime number and the code from the officer."""

    crime_number = CrimeNumberField(_l("Crime number"), widget=TextInput(),
                                    description=_l("For example, CR-26-0001234-X"),
                                    validators=[DataRequired(message=_l("Enter the crime number"))],
                                    render_kw={"class": "govuk-input--width-20", "spellcheck": "false"})
    code = StringField(_l("Code"), widget=TextInput(), description=_l("8 letters and numbers"),
                       validators=[DataRequired(message=_l("Enter the code")),
                                   Length(max=20, message=_l("Code must be 8 letters and numbers"))],
                       render_kw={"class": "govuk-input--width-10", "spellcheck": "false", "autocomplete": "off"})
    submit = submit(_l("Follow this case"))


class InviteForm(PortalForm):
    """A witness's email address."""

    email = email_field(_l("Witness’s email address"))
    submit = submit(_l("Send invitation"))


class WitnessContactForm(PortalForm):
    """How it is safe to write to a witness: email, text message or letter, with the number or address each needs."""

    channels = SelectMultipleField(_l("How is it safe for us to contact you?"), widget=CheckboxesInput(),
                                   choices=options([("email", _l("Email")), ("text", _l("Text message")),
                                                    ("letter", _l("Letter"))]),
                                   description=_l("Leave out any that someone else might see or hear."),
                                   validate_choice=False,  # the service refuses anything not on the list
                                   validators=[InputRequired(
                                       message=_l("Select at least one safe way to contact you"))])
    # Shown under "Text message", and under "Letter" the name and postal address to write to.
    mobile_number = StringField(_l("Mobile phone number"), widget=TextInput(),
                                description=_l("We will only use it to send you text messages."),
                                validators=[Length(max=30, message=_l("Enter a UK mobile number, like 07700 900982"))],
                                render_kw={"autocomplete": "tel", "class": "govuk-input--width-20"})
    contact_name = StringField(_l("Full name"), widget=TextInput(),
                               validators=[Length(max=200, message=_l("Name must be 200 characters or fewer"))],
                               render_kw={"autocomplete": "name", "spellcheck": "false"})
    address_line_1 = postal.line_1_field()
    address_line_2 = postal.line_2_field()
    address_town = postal.town_field()
    address_postcode = postal.postcode_field()
    submit = submit(_l("Save"))

    def address(self) -> postal.PostalAddress | None:
        """The address typed, when a letter is safe."""
        if "letter" not in (self.channels.data or []):
            return None
        return postal.PostalAddress.typed(*(getattr(self, name).data for name in postal.FIELDS))


class AvailabilityForm(PortalForm):
    """Can the witness attend the hearing?"""

    available = RadioField(_l("Can you attend?"), widget=RadioInput(),
                           choices=options([("yes", _l("Yes, I can attend")), ("no", _l("No, I cannot attend"))]),
                           validators=[InputRequired(message=_l("Select whether you can attend"))])
    note = TextAreaField(_l("Anything the witness care officer should know (optional)"),
                         validators=[Length(max=1000, message=_l("Note must be 1000 characters or fewer"))])
    submit = submit(_l("Send answer"))


@bp.route("/cases/join", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
@limit_code_redemption(methods=["POST"])
def join():
    """Follow a case as a witness, with the crime number and code the officer gave."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            report = witnesses.join_case(current_user, form.code.data, form.crime_number.data)
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            flash(_("You are now following this case as a witness."), "success")
            return redirect(url_for("tracking.case", crime_number=report.crime_number))
    return render_template("tracking/join.html", form=form)


@bp.route("/cases/join/<code>")
@role_required(Role.VICTIM, Role.WITNESS)
@limit_code_redemption(methods=["GET"])
def join_by_link(code: str):
    """The emailed link: the code alone, for the signed-in witness."""
    try:
        report = witnesses.join_case(current_user, code)
    except DomainError as error:
        return render_template("auth/link_invalid.html", message=error.message), 400
    flash(_("You are now following this case as a witness."), "success")
    return redirect(url_for("tracking.case", crime_number=report.crime_number))


@bp.route("/cases/<crime_number>/witness-contact", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def contact(crime_number: str):
    """A witness says how it is safe to write to them: every message about the case follows it."""
    report, _relation = case_for(current_user, crime_number, Relation.WITNESS)
    link = witness_link_for(current_user, report)
    if link is None:
        abort(404)
    if request.method == "GET":
        form = WitnessContactForm(channels=link.safe_channels or ["email"], mobile_number=link.contact_phone or "",
                                  contact_name=link.contact_name or "",
                                  **postal.PostalAddress.kept(link.contact_address,
                                                              link.contact_address_postcode).form_data())
    else:
        form = WitnessContactForm()
    if form.validate_on_submit():
        try:
            witnesses.set_contact(current_user, report, form.channels.data, form.mobile_number.data,
                                  form.contact_name.data, form.address())
        except DomainError as error:
            getattr(form, error.field or "channels").errors.append(error.message)
        else:
            flash(_("Your preferences are saved."), "success")
            return redirect(url_for("tracking.case", crime_number=report.crime_number))
    return render_template("tracking/witness_contact.html", form=form, report=report, email=current_user.email)


@bp.route("/cases/<crime_number>/hearings/<int:event_id>", methods=["POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def availability(crime_number: str, event_id: int):
    """A witness answers whether they can attend a hearing."""
    report, _relation = case_for(current_user, crime_number, Relation.WITNESS)
    form = AvailabilityForm()
    if form.validate_on_submit():
        try:
            witnesses.confirm_availability(current_user, report, event_id, form.available.data == "yes",
                                           form.note.data)
        except DomainError:
            abort(404)
        if form.available.data == "yes":
            flash(_("Thank you. The witness care officer can see your answer."), "success")
        else:
            flash(_("Thank you for telling us. Witness care will contact you about it: see ‘What you asked us’ "
                    "for when."), "success")
    else:
        flash(_("Select whether you can attend"), "information")
    return redirect(url_for("tracking.case", crime_number=report.crime_number))


@bp.route("/staff/cases/<crime_number>/witnesses", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.SUPERVISOR, Role.WITNESS_CARE)
def invite(crime_number: str):
    """Invite a witness by email; the code is also shown, to give by phone or letter."""
    report, _relation = case_for(current_user, crime_number, Relation.POLICE, Relation.WITNESS_CARE)
    form = InviteForm()
    if form.validate_on_submit():
        code = witnesses.invite_witness(current_user, report, form.email.data)
        flash(_("Invitation sent. The code is %(code)s; it works once, for 14 days.", code=code), "success")
        return redirect(url_for("witnesses.invite", crime_number=crime_number))
    page = render_template("tracking/invite_witness.html", form=form, report=report,
                           witnesses=witnesses.witnesses_on(report), hearings=hearings.hearings_to_come(report))
    # Staff reading who the witnesses are is a read of case data, so it is audited like the case page.
    record_read(current_user.id, "witnesses.viewed", "report", report.crime_number)
    return page


class HearingChangeForm(PortalForm):
    """What happened to a hearing (staff only: English)."""

    change = RadioField("What has happened to the hearing?", widget=RadioInput(),
                        choices=options([("moved", "It has moved to a new date"),
                                         ("adjourned", "It has been adjourned, with no new date yet"),
                                         ("vacated", "It has been vacated: it will not go ahead")]),
                        validators=[InputRequired(message="Select what has happened to the hearing")])
    place = StringField("Court (if it has moved)", widget=TextInput(),
                        validators=[Optional(), Length(max=200, message="Court must be 200 characters or fewer")])
    starts_date = GovDateField("New date (if it has moved)", what="the new date", required=False,
                               allow_future=True)
    starts_time = StringField("New time (if it has moved)", widget=TextInput(),
                              validators=[Optional(), Regexp(TIME_PATTERN, message="Enter a time like 10:00")],
                              render_kw={"class": "govuk-input--width-5"})
    note = TextAreaField("Note for staff (optional)", widget=GovTextArea(),
                         validators=[Length(max=2000, message="Note must be 2000 characters or fewer")])
    submit = submit("Save the change")


@bp.route("/staff/cases/<crime_number>/hearings/<int:event_id>", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.SUPERVISOR, Role.WITNESS_CARE)
def change_hearing(crime_number: str, event_id: int):
    """Move, adjourn or vacate a hearing; whoever was told of it is told of the change."""
    report, _relation = case_for(current_user, crime_number, Relation.POLICE, Relation.WITNESS_CARE)
    hearing = next((found for found in hearings.hearings_to_come(report) if event_id in found.ids), None)
    if hearing is None:
        abort(404)
    form = HearingChangeForm()
    if form.validate_on_submit():
        starts = (london_datetime(form.starts_date.data, form.starts_time.data)
                  if form.starts_date.data and form.starts_time.data else None)
        try:
            hearings.change_hearing(current_user, report, hearing.id, form.change.data, form.place.data, starts,
                                    form.note.data)
        except DomainError as error:
            form.show_error(error.message, {"starts": "starts_date"}.get(error.field or "", error.field))
        else:
            flash("The change is saved. The victim and the witnesses who were told of the hearing are told of it.",
                  "success")
            return redirect(url_for("witnesses.invite", crime_number=report.crime_number))
    return render_template("tracking/change_hearing.html", form=form, report=report, hearing=hearing)
