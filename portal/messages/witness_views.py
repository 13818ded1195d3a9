"""Messages between a witness and the Witness Care Unit: the witness's side, witness care's side, and the list of
witnesses waiting for witness care to read what they wrote."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for, witness_link_for, witness_link_on
from portal.domain import DomainError
from portal.messages import queries, witness_services
from portal.messages.forms import WitnessCareMessageForm, WitnessMessageForm

bp = Blueprint("witness_messages", __name__)


@bp.app_template_global("unread_messages_for_witness")
def unread_messages_for_witness(link) -> int:
    """Witness care's messages this witness has not read yet (for the witness's case page)."""
    return queries.unread_for_witness(link) if link is not None else 0


@bp.app_template_global("witness_messages_waiting")
def witness_messages_waiting() -> int:
    """How many witness messages witness care have not read, across every case (for witness care's pages)."""
    return sum(queries.unread_from_witnesses().values())


@bp.app_template_global("witness_unread_counts")
def witness_unread_counts(link_ids: list[int]) -> dict[int, int]:
    """For the case's witnesses page: each witness's messages witness care have not read."""
    return queries.unread_from_witnesses(link_ids)


@bp.route("/cases/<crime_number>/witness-care", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def witness_thread(crime_number: str):
    """A witness reads their thread with witness care and writes to them. Anyone else's case is 'not found'."""
    report, _relation = case_for(current_user, crime_number, Relation.WITNESS)
    link = witness_link_for(current_user, report)
    if link is None:
        abort(404)
    form = WitnessMessageForm()
    if form.validate_on_submit():
        try:
            witness_services.send_witness_message(current_user, report, form.body.data)
        except DomainError as error:
            form.body.errors = [*form.body.errors, error.message]
        else:
            flash(_("Your message has been sent to witness care."), "success")
            return redirect(url_for("witness_messages.witness_thread", crime_number=report.crime_number))
    messages = queries.witness_thread(link)
    page = render_template("messages/witness_thread.html", report=report, messages=messages, form=form)
    # Marked read after rendering, so the page can still show which messages are new.
    if any(m.from_staff and m.read_at is None for m in messages):
        witness_services.mark_witness_thread_read(current_user, report, link)
    return page


@bp.route("/staff/cases/<crime_number>/witnesses/<int:link_id>/messages", methods=["GET", "POST"])
@role_required(Role.WITNESS_CARE)
def witness_care_thread(crime_number: str, link_id: int):
    """Witness care read one witness's thread and reply. Every view is written to the audit trail."""
    report, _relation = case_for(current_user, crime_number, Relation.WITNESS_CARE)
    link = witness_link_on(report, link_id)
    if link is None:
        abort(404)
    form = WitnessCareMessageForm()
    if link.witness_user_id is not None and form.validate_on_submit():
        try:
            witness_services.send_witness_care_message(current_user, link, form.body.data)
        except DomainError as error:
            form.body.errors = [*form.body.errors, error.message]
        else:
            flash("Your reply has been sent.", "success")
            return redirect(url_for("witness_messages.witness_care_thread", crime_number=report.crime_number,
                                    link_id=link.id))
    messages = queries.witness_thread(link)
    page = render_template("messages/witness_care_thread.html", report=report, link=link, messages=messages,
                           form=form)
    # Audited and marked read after rendering, so the page can still show which messages are new.
    witness_services.mark_witness_thread_read(current_user, report, link)
    return page


@bp.route("/staff/witness-messages")
@role_required(Role.WITNESS_CARE)
def waiting():
    """Witness care's list of witnesses whose messages nobody has read yet, the longest waiting first."""
    return render_template("messages/witness_messages_waiting.html", threads=queries.threads_waiting())
