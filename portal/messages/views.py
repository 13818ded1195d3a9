"""The message threads on a case: the victim with the police (both sides), and the victim with the support
organisation a referral went to (both sides)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for
from portal.domain import DomainError
from portal.messages import queries, services
from portal.messages.forms import PartnerMessageForm, StaffMessageForm, SupportMessageForm, VictimMessageForm
from portal.partners import queries as partner_queries
from portal.support import referral_text, referrals
from portal.support.enums import ReferralStatus

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


# The person referred and their support organisation -----------------------------------------------------------


@bp.app_template_global("unread_from_support")
def unread_from_support(referral_ids: list[int]) -> dict[int, int]:
    """For the person's referrals: each one's messages from the organisation they have not read yet."""
    return queries.unread_from_support(referral_ids)


@bp.app_template_global("referral_unread_counts")
def referral_unread_counts(referral_ids: list[int]) -> dict[int, int]:
    """For a partner's inbox: each referral's messages from the person the organisation has not read yet."""
    return queries.unread_for_partner(referral_ids)


@bp.app_template_global("has_referral_messages")
def has_referral_messages(referral) -> bool:
    """Whether the person's referral has a thread with the organisation to open (the victim's own, once sent)."""
    return referral.witness_link_id is None and referral.status not in (ReferralStatus.PROPOSED,)


@bp.route("/cases/<crime_number>/support/<reference>/messages", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def support_thread(crime_number: str, reference: str):
    """The victim reads their thread with the organisation a referral went to, and writes to them while the referral
    is open. Anyone else's case or referral is 'not found'."""
    report, _relation = case_for(current_user, crime_number, Relation.VICTIM)
    referral = next((r for r in referrals.referrals_for_case(report.id)
                     if r.reference == (reference or "").upper() and has_referral_messages(r)), None)
    if referral is None:
        abort(404)
    form = SupportMessageForm()
    can_write = services.referral_thread_open(referral)
    if can_write and form.validate_on_submit():
        try:
            services.send_to_support_worker(current_user, referral, form.body.data)
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(_("Your message has been sent to %(organisation)s.", organisation=referral.organisation.name),
                  "success")
            return redirect(url_for("messages.support_thread", crime_number=report.crime_number,
                                    reference=referral.reference))
    messages = queries.referral_thread(referral)
    page = render_template("messages/support_thread.html", report=report, referral=referral, messages=messages,
                           form=form, can_write=can_write)
    # Marked read after rendering, so the page can still show which messages are new.
    if any(m.from_partner and m.read_at is None for m in messages):
        services.mark_referral_thread_read(current_user, referral)
    return page


@bp.route("/partner/referrals/<reference>/messages", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def partner_thread(reference: str):
    """A support worker reads the thread with the person referred and writes to them. Another organisation's
    referral, or one whose consent was withdrawn, is 'not found'. Every view is written to the audit trail."""
    if current_user.organisation_id is None:  # as on every partner page: explained, rather than 'not found'
        return render_template("partners/not_linked.html")
    referral = partner_queries.referral_by_reference(reference)
    if referral is None or not referrals.partner_can_see(current_user, referral):
        abort(404)
    form = PartnerMessageForm()
    can_write = services.referral_thread_open(referral)
    if can_write and form.validate_on_submit():
        try:
            services.send_to_person_referred(current_user, referral, form.body.data)
        except DomainError as error:
            _field_error(form, error)
        else:
            flash("Your message has been sent.", "success")
            return redirect(url_for("messages.partner_thread", reference=referral.reference))
    messages = queries.referral_thread(referral)
    page = render_template("messages/partner_thread.html", referral=referral, messages=messages, form=form,
                           can_write=can_write, status_names=referral_text.PARTNER_STATUS_NAMES,
                           status_colours=referral_text.STATUS_COLOURS, overdue=partner_queries.is_overdue(referral))
    # Audited and marked read after rendering, so the page can still show which messages are new.
    services.mark_referral_thread_read(current_user, referral)
    return page
