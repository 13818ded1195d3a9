"""The message thread on a case: the victim's side and the police side."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for
from portal.domain import DomainError
from portal.messages import queries, services
from portal.messages.forms import StaffMessageForm, VictimMessageForm

bp = Blueprint("messages", __name__, url_prefix="")
STAFF = (Role.OFFICER, Role.SUPERVISOR)


@bp.app_template_global("unread_messages_for_victim")
def unread_messages_for_victim(report) -> int:
    """Staff messages on the case the victim has not read yet (for the victim's case page)."""
    return queries.unread_for_victim(report)


@bp.app_template_global("unread_messages_for_victims")
def unread_messages_for_victims(report_ids: list[int]) -> dict[int, int]:
    """For the victim's list of cases: each case's staff messages they have not read yet."""
    return queries.unread_for_victims(report_ids)


def _field_error(form, error: DomainError) -> None:
    """Show a service's refusal on the message field."""
    form.body.errors = [*form.body.errors, error.message]


@bp.route("/cases/<crime_number>/messages", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def victim_thread(crime_number: str):
    """The victim reads the thread and writes to the police. Anyone else's case is 'not found'."""
    report, _relation = case_for(current_user, crime_number, Relation.VICTIM)
    form = VictimMessageForm()
    if form.validate_on_submit():
        try:
            services.send_victim_message(current_user, report, form.body.data, form.adds_information.data)
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(_("Your message has been sent. We have added it to your report.") if form.adds_information.data
                  else _("Your message has been sent."), "success")
            return redirect(url_for("messages.victim_thread", crime_number=report.crime_number))
    messages = queries.thread(report)
    page = render_template("messages/victim_thread.html", report=report, messages=messages, form=form)
    # Marked read after rendering, so the page can still show which messages are new.
    if any(m.from_staff and m.read_at is None for m in messages):
        services.mark_read(current_user, report)
    return page


@bp.route("/staff/cases/<crime_number>/messages", methods=["GET", "POST"])
@role_required(*STAFF)
def staff_thread(crime_number: str):
    """Police staff read the thread and reply. Every view is written to the audit trail."""
    report, _relation = case_for(current_user, crime_number, Relation.POLICE)
    form = StaffMessageForm()
    if report.reporter_user_id is None and request.method == "POST":
        flash(_("Nobody can read messages on this case: it is not linked to an account."), "information")
        return redirect(url_for("messages.staff_thread", crime_number=report.crime_number))
    if form.validate_on_submit():
        try:
            services.send_staff_message(current_user, report, form.body.data)
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(_("Your reply has been sent."), "success")
            return redirect(url_for("messages.staff_thread", crime_number=report.crime_number))
    messages = queries.thread(report)
    page = render_template("messages/staff_thread.html", report=report, messages=messages, form=form,
                           senders=queries.staff_senders(messages))
    # Audited and marked read after rendering, so the page can still show which messages are new.
    services.mark_read(current_user, report)
    return page
