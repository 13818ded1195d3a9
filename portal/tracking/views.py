"""A victim's own cases: status in plain words and the timeline."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.access import role_required
from portal.auth.models import Role
from portal.domain import DomainError
from portal.forms import PortalForm, options, submit
from portal.reporting.models import CaseStatus
from portal.tracking import queries, services, witnesses
from portal.tracking.rights import rights_for
from portal.tracking.status_text import STATUS_TEXT

bp = Blueprint("tracking", __name__, url_prefix="/cases")


class CallForm(PortalForm):
    """Ask for a call."""

    note = TextAreaField(_l("Anything you want us to know before we call (optional)"),
                         validators=[Length(max=1000, message=_l("Note must be 1000 characters or fewer"))])
    submit = submit("Ask for a call")


class VisitForm(PortalForm):
    """Accept or change a proposed visit."""

    answer = RadioField(_l("Does this time suit you?"),
                        choices=options([("accept", _l("Yes, that time is fine")),
                                         ("change", _l("No, I need a different time"))]),
                        validators=[InputRequired(message=_l("Select whether the time suits you"))])
    preferred = TextAreaField(_l("When would suit you better?"),
                              validators=[Length(max=500, message=_l("Answer must be 500 characters or fewer"))])
    submit = submit("Send")


def _own_or_404(crime_number: str):
    """The signed-in person's case, or 'not found'."""
    report = queries.own_case(current_user, crime_number.upper())
    if report is None:
        abort(404)
    return report


@bp.route("/")
@role_required(Role.VICTIM, Role.WITNESS)
def my_cases():
    """Every case linked to the signed-in person."""
    return render_template("tracking/my_cases.html", cases=queries.cases_for(current_user), status_text=STATUS_TEXT,
                           witness_cases=witnesses.cases_as_witness(current_user))


@bp.route("/<crime_number>")
@role_required(Role.VICTIM, Role.WITNESS)
def case(crime_number: str):
    """One case. Anyone else's case is 'not found', never 'forbidden', so existence is not revealed."""
    report = queries.own_case(current_user, crime_number.upper())
    if report is None:
        return _witness_case(crime_number.upper())
    return render_template("tracking/case.html", report=report, timeline=queries.victim_timeline(report),
                           status=STATUS_TEXT[report.status], officer=queries.officer_name(report),
                           call_form=CallForm(), visit_form=VisitForm(), rights=rights_for(report.id),
                           visit_proposed=report.status == CaseStatus.ATTENDANCE_ARRANGED)


def _witness_case(crime_number: str):
    """The witness view: witness-visible events only, and nothing about the victim."""
    from portal.triage.services import get_report_by_crime_number

    report = get_report_by_crime_number(crime_number)
    if report is None or witnesses.witness_link_for(current_user, report) is None:
        abort(404)
    return render_template("tracking/witness_case.html", report=report, timeline=witnesses.witness_timeline(report))


@bp.route("/<crime_number>/call", methods=["POST"])
@role_required(Role.VICTIM)
def ask_for_call(crime_number: str):
    """Ask to talk to someone about the case."""
    report = _own_or_404(crime_number)
    form = CallForm()
    if form.validate_on_submit():
        services.ask_for_call(current_user, report, form.note.data)
        flash(_("We will call you, using the safe contact details you gave us."), "success")
    else:
        flash(form.note.errors[0] if form.note.errors else _("Try again"), "information")
    return redirect(url_for("tracking.case", crime_number=report.crime_number))


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
