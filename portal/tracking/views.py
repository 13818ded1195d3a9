"""A victim's own cases: status in plain words and the timeline."""

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal import contact_needs as needs
from portal import postal_address as postal
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for, witness_link_for
from portal.cases.enums import CaseStatus
from portal.cases.queries import cases_as_witness, cases_for, victim_timeline
from portal.cases.status_text import STATUS_COLOURS, STATUS_TEXT
from portal.clock import utcnow
from portal.domain import DomainError
from portal.forms import PortalForm, options, submit
from portal.notifications.channels import uk_mobile
from portal.reporting.evidence import evidence_path
from portal.reporting.summary_pdf import report_summary_pdf
from portal.support import assessments, places, referral_text, referrals
from portal.support.directory import restorative_justice_services
from portal.support.enums import ReferralStatus
from portal.surveys.services import Invitations, open_invitations, witness_invitations
from portal.tasks import queries as task_queries
from portal.tasks import words as task_words
from portal.tracking import hearings, queries, services, witnesses
from portal.tracking.code_rights import COMPENSATION_SCHEME_URL, WITNESS_EXPENSES_URL, rights_for_case
from portal.tracking.rights import rights_for
from portal.widgets import CheckboxesInput, RadioInput, TextInput

bp = Blueprint("tracking", __name__, url_prefix="/cases")


class CallForm(PortalForm):
    """Ask for a call."""

    note = TextAreaField(_l("Anything you want us to know before we call (optional)"), id="call-note",
                         validators=[Length(max=1000, message=_l("Note must be 1000 characters or fewer"))])
    submit = submit(_l("Ask for a call"))


class VisitForm(PortalForm):
    """Accept or change a proposed visit."""

    answer = RadioField(_l("Does this time suit you?"),
                        choices=options([("accept", _l("Yes, that time is fine")),
                                         ("change", _l("No, I need a different time"))]),
                        validators=[InputRequired(message=_l("Select whether the time suits you"))])
    preferred = TextAreaField(_l("When would suit you better?"),
                              validators=[Length(max=500, message=_l("Answer must be 500 characters or fewer"))])
    submit = submit(_l("Send"))


HOURS = options([("", _l("No quiet hours"))] + [(str(h), f"{h:02d}:00") for h in range(24)])


class PreferencesForm(PortalForm):
    """How often to update, and how it is safe to make contact."""

    every_days = RadioField(_l("How often would you like an update, even if nothing has changed?"),
                            widget=RadioInput(),
                            choices=options([("7", _l("Every week")), ("14", _l("Every 2 weeks")),
                                             ("28", _l("Every 4 weeks"))]),
                            validators=[InputRequired(message=_l("Select how often you want updates"))])
    channels = SelectMultipleField(_l("How is it safe for us to contact you?"), widget=CheckboxesInput(),
                                   choices=options([("email", _l("Email")), ("phone", _l("Phone call")),
                                                    ("text", _l("Text message")), ("letter", _l("Letter"))]),
                                   description=_l("Leave out any that someone else might see or hear."),
                                   validators=[InputRequired(
                                       message=_l("Select at least one safe way to contact you"))])
    # Shown under "Text message": a number that can receive texts, asked for only when a text is safe.
    mobile_number = StringField(_l("Mobile phone number"), widget=TextInput(),
                                description=_l("We will only use it to send you text messages."),
                                validators=[Length(max=30, message=_l("Enter a UK mobile number, like 07700 900982"))],
                                render_kw={"autocomplete": "tel", "class": "govuk-input--width-20"})
    # Shown under "Letter": asked for (and kept) only when a letter is safe.
    address_line_1 = postal.line_1_field()
    address_line_2 = postal.line_2_field()
    address_town = postal.town_field()
    address_postcode = postal.postcode_field()
    safe_times = StringField(_l("When is it safe to contact you? (optional)"), widget=TextInput(),
                             validators=[Length(max=200, message=_l("Answer must be 200 characters or fewer"))])
    voicemail = RadioField(_l("Can we leave a voicemail?"), widget=RadioInput(),
                           choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
                           validators=[InputRequired(message=_l("Select yes if we can leave a voicemail"))])
    quiet_from = SelectField(_l("Do not contact me from"), widget=GovSelect(), choices=HOURS, validate_choice=True)
    quiet_until = SelectField(_l("until"), widget=GovSelect(), choices=HOURS, validate_choice=True)
    neutral_sender = RadioField(_l("Should our messages come from a name that does not mention the police?"),
                                widget=RadioInput(), choices=options([("yes", _l("Yes")), ("no", _l("No"))]),
                                validators=[InputRequired(message=_l("Select yes or no"))])
    contact_needs = needs.needs_question(_l("Do you need any help to talk with us?"))
    interpreter_language = needs.language_question()
    submit = submit(_l("Save"))

    def validate(self, extra_validators=None):
        """With text among the safe channels, a UK mobile number; with letter, a UK postal address (the postcode
        kept in capitals, one space)."""
        if not super().validate(extra_validators):
            return False
        if "text" in (self.channels.data or []) and uk_mobile(self.mobile_number.data) is None:
            self.mobile_number.errors = [_l("Enter a UK mobile number, like 07700 900982")]
            return False
        return "letter" not in (self.channels.data or []) or postal.check_form(self)

    def address(self) -> postal.PostalAddress | None:
        """The address to keep: None unless a letter is safe."""
        if "letter" not in (self.channels.data or []):
            return None
        return postal.PostalAddress.typed(*(getattr(self, name).data for name in postal.FIELDS))


def _own_or_404(crime_number: str):
    """The signed-in victim's case, or 'not found'."""
    return case_for(current_user, crime_number, Relation.VICTIM)[0]


@bp.route("/")
@role_required(Role.VICTIM, Role.WITNESS)
def my_cases():
    """Every case linked to the signed-in person."""
    cases = cases_for(current_user)
    return render_template("tracking/my_cases.html", cases=cases, status_text=STATUS_TEXT,
                           status_colours=STATUS_COLOURS,
                           last_updates=queries.last_updates([c.id for c in cases]),
                           witness_cases=cases_as_witness(current_user))


# The decisions that propose a visit (portal.triage.services.arrange_attendance); the time is in their values.
VISIT_DECISIONS = frozenset({"attendance", "officer_follow_up_visit"})
REQUEST_WORDS = {"asked_for": task_words.ASKED_FOR, "state": task_words.STATE, "colours": task_words.STATE_COLOURS}


@bp.route("/<crime_number>")
@role_required(Role.VICTIM, Role.WITNESS)
def case(crime_number: str):
    """One case. Anyone else's case is 'not found', never 'forbidden', so existence is not revealed.

    The victim's overview: the status and what happens next, their named contact, and what is waiting for them
    (a visit to answer, new messages, a survey or check-in, support to decide on). The rest is on the case's other
    pages (updates, messages, support, what you told us, your rights), each one link away in the case's navigation.
    """
    report, relation = case_for(current_user, crime_number, Relation.VICTIM, Relation.WITNESS)
    if relation == Relation.WITNESS:
        link = witness_link_for(current_user, report)
        return render_template("tracking/witness_case.html", report=report,
                               timeline=witnesses.witness_timeline(report), now=utcnow(),
                               answerable=[event.id for event in hearings.current_hearings(report)],
                               requests=task_queries.witness_requests_of(report, current_user),
                               request_words=REQUEST_WORDS, link=link,
                               invitations=witness_invitations(report.id, link.id) if link else Invitations())
    visit_proposed = report.status == CaseStatus.ATTENDANCE_ARRANGED
    return render_template("tracking/case.html", report=report, status=STATUS_TEXT[report.status],
                           officer=queries.officer_name(report), visit_form=VisitForm(),
                           visit_proposed=visit_proposed,
                           visit_at=proposed_visit(victim_timeline(report)) if visit_proposed else None,
                           support=_support(report, suggestions_only=True), invitations=open_invitations(report.id))


def _support(report, suggestions_only: bool = False) -> dict:
    """The victim's support: the latest assessment and choice, suggestions waiting for an answer, and (unless only
    the suggestions are wanted) referrals and the words for their states."""
    all_referrals = referrals.referrals_for_case(report.id)
    support = {"assessment": assessments.latest_assessment(report.id), "level_words": assessments.LEVEL_WORDS,
               "suggestions": [r for r in all_referrals if r.status == ReferralStatus.PROPOSED],
               "status_words": referral_text.STATUS_WORDS}
    if not suggestions_only:
        support |= {"referrals": [r for r in all_referrals if r.status != ReferralStatus.PROPOSED],
                    "words_for": referral_text.words_for, "decline_words": referral_text.DECLINE_REASONS_FOR_VICTIM,
                    "close_words": referral_text.CLOSE_OUTCOMES_FOR_VICTIM,
                    "groups": places.places_of(report.id, referrals=all_referrals),
                    "meeting_changes": places.session_changes}
    return support


@bp.route("/<crime_number>/updates")
@role_required(Role.VICTIM)
def updates(crime_number: str):
    """What has happened on the case so far, and what the victim asked us with our answers."""
    report = _own_or_404(crime_number)
    return render_template("tracking/updates.html", report=report, timeline=victim_timeline(report),
                           requests=task_queries.requests_of(report), now=utcnow(), request_words=REQUEST_WORDS)


@bp.route("/<crime_number>/support")
@role_required(Role.VICTIM)
def support(crime_number: str):
    """The victim's support on this case: their choice, suggestions, referrals, and what they agreed to share."""
    report = _own_or_404(crime_number)
    return render_template("tracking/support.html", report=report, support=_support(report))


@bp.route("/<crime_number>/what-you-told-us")
@role_required(Role.VICTIM)
def what_you_told_us(crime_number: str):
    """The report as the victim gave it, its PDF, and a way to add a photo or PDF."""
    report = _own_or_404(crime_number)
    return render_template("tracking/what_you_told_us.html", report=report)


def proposed_visit(timeline) -> datetime | None:
    """When the latest visit the police proposed is (from the decision on the timeline), if there is one."""
    for event in reversed(timeline):
        if event.reason_code in VISIT_DECISIONS:
            when = ((event.text_values or {}).get("when") or {}).get("datetime")
            return datetime.fromisoformat(when) if when else None
    return None


@bp.route("/<crime_number>/call", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def ask_for_call(crime_number: str):
    """Ask to talk to someone about the case (a page of its own: one question, and room to say why)."""
    report = _own_or_404(crime_number)
    form = CallForm()
    if form.validate_on_submit():
        services.ask_for_call(current_user, report, form.note.data)
        flash(_("We will call you, using the safe contact details you gave us."), "success")
        return redirect(url_for("tracking.updates", crime_number=report.crime_number))
    return render_template("tracking/call.html", report=report, form=form)


@bp.route("/<crime_number>/visit", methods=["POST"])
@role_required(Role.VICTIM)
def answer_visit(crime_number: str):
    """Accept the proposed visit, or ask for another time."""
    report = _own_or_404(crime_number)
    form = VisitForm()
    if form.validate_on_submit():
        try:
            services.answer_visit(current_user, report, form.answer.data == "accept", form.preferred.data)
        except DomainError as error:
            flash(error.message, "information")
        else:
            flash(_("Thank you. We have passed this on to the officer."), "success")
    else:
        flash(_("Select whether the time suits you"), "information")
    return redirect(url_for("tracking.case", crime_number=report.crime_number))


@bp.route("/<crime_number>/preferences", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def preferences(crime_number: str):
    """Change how often we update, and how it is safe to make contact."""
    report = _own_or_404(crime_number)
    if request.method == "GET":
        form = PreferencesForm(every_days=str(report.update_every_days), channels=report.safe_channels,
                               safe_times=report.safe_times, voicemail="yes" if report.voicemail_allowed else "no",
                               neutral_sender="yes" if report.neutral_sender else "no",
                               quiet_from="" if report.quiet_from_hour is None else str(report.quiet_from_hour),
                               quiet_until="" if report.quiet_until_hour is None else str(report.quiet_until_hour),
                               contact_needs=needs.needs_of(report),
                               interpreter_language=report.interpreter_language or "",
                               mobile_number=report.contact_phone if uk_mobile(report.contact_phone) else "",
                               **postal.PostalAddress.kept(report.contact_address,
                                                           report.contact_address_postcode).form_data())
    else:
        form = PreferencesForm()
    if form.validate_on_submit():
        try:
            services.update_preferences(current_user, report, every_days=int(form.every_days.data),
                                        channels=form.channels.data, safe_times=form.safe_times.data,
                                        voicemail=form.voicemail.data == "yes",
                                        neutral_sender=form.neutral_sender.data == "yes",
                                        quiet_from=int(form.quiet_from.data) if form.quiet_from.data else None,
                                        quiet_until=int(form.quiet_until.data) if form.quiet_until.data else None,
                                        contact_needs=form.contact_needs.data or [],
                                        interpreter_language=form.interpreter_language.data or None,
                                        address=form.address(), mobile=form.mobile_number.data)
        except DomainError as error:
            getattr(form, error.field or "every_days").errors.append(error.message)
        else:
            flash(_("Your preferences are saved."), "success")
            return redirect(url_for("tracking.updates", crime_number=report.crime_number))
    return render_template("tracking/preferences.html", form=form, report=report)


@bp.route("/<crime_number>/requests/<kind>", methods=["POST"])
@role_required(Role.VICTIM)
def make_request(crime_number: str, kind: str):
    """Ask for a review of a decision, or to make a Victim Personal Statement."""
    report = _own_or_404(crime_number)
    if not PortalForm().validate_on_submit():
        abort(400)
    try:
        services.make_request(current_user, report, kind)
    except DomainError as error:
        flash(error.message, "information")
    else:
        flash(_("We have your request. You will see our answer here."), "success")
    return redirect(url_for("tracking.updates", crime_number=report.crime_number))


@bp.route("/<crime_number>/your-rights")
@role_required(Role.VICTIM)
def code_rights(crime_number: str):
    """Whether we met the Code's promises on this case; the 12 rights of the Victims' Code, each linked to where it
    is met; compensation, property, the Victim Personal Statement, expenses."""
    report = _own_or_404(crime_number)
    return render_template("tracking/code_rights.html", report=report, rights=rights_for_case(report.crime_number),
                           promises=rights_for(report.id), compensation_url=COMPENSATION_SCHEME_URL,
                           expenses_url=WITNESS_EXPENSES_URL)


@bp.route("/<crime_number>/restorative-justice")
@role_required(Role.VICTIM)
def restorative_justice(crime_number: str):
    """What restorative justice is, and the services that can get in touch (a referral, with consent)."""
    report = _own_or_404(crime_number)
    return render_template("tracking/restorative_justice.html", report=report,
                           services=restorative_justice_services(report.borough))


@bp.route("/<crime_number>/summary.pdf")
@role_required(Role.VICTIM)
def summary_pdf(crime_number: str):
    """The report as the victim submitted it, as a PDF."""
    report = _own_or_404(crime_number)
    response = current_app.response_class(report_summary_pdf(report), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="report-{report.crime_number}.pdf"'
    return response


@bp.route("/<crime_number>/evidence/<int:evidence_id>")
@role_required(Role.VICTIM)
def evidence(crime_number: str, evidence_id: int):
    """A file the victim uploaded with their report."""
    report = _own_or_404(crime_number)
    item = next((e for e in report.evidence if e.id == evidence_id), None)
    if item is None:
        abort(404)
    return send_file(evidence_path(item.storage_key), mimetype=item.content_type, download_name=item.original_name,
                     as_attachment=item.content_type == "application/pdf")


@bp.route("/<crime_number>/evidence", methods=["POST"])
@role_required(Role.VICTIM)
def add_evidence(crime_number: str):
    """Add a photo or PDF to the case after reporting."""
    report = _own_or_404(crime_number)
    if not PortalForm().validate_on_submit():
        abort(400)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Select a file to upload"), "information")
    else:
        try:
            services.add_evidence_later(current_user, report, upload.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1),
                                        upload.filename)
        except DomainError as error:
            flash(error.message, "information")
        else:
            flash(_("Your file has been added to the case."), "success")
    return redirect(url_for("tracking.what_you_told_us", crime_number=report.crime_number))
