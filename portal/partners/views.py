"""Partner pages, for accounts with the partner role, scoped to their one organisation.

Another organisation's referral or service is 'not found', never 'forbidden', so its existence is not revealed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.audit.services import record_read
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.clock import LONDON
from portal.domain import DomainError
from portal.partners import queries
from portal.partners import services as partner_services
from portal.partners.case_view import case_view, progress_view, shares_progress
from portal.partners.forms import AcceptForm, CloseForm, ConcernForm, ContactForm, DeclineForm, ServiceForm
from portal.partners.group_forms import SessionChangeForm
from portal.spreadsheets import spreadsheet_safe
from portal.support import places, referral_text, referrals, schedules
from portal.support.assessments import LEVEL_WORDS
from portal.support.enums import ReferralStatus as S
from portal.support.enums import ServiceKind
from portal.support.partner_pages import linked, own_organisation
from portal.support.referral_states import can_move
from portal.tasks.enums import OWED, TaskStatus
from portal.tasks.words import STATE_COLOURS

if TYPE_CHECKING:  # models only in annotations: views never import them at run time
    from portal.support.models import Referral


bp = Blueprint("partners", __name__, url_prefix="/partner")



def _visible_or_404(reference: str) -> Referral:
    """A referral this partner may see, or 'not found'."""
    referral = queries.referral_by_reference(reference)
    if referral is None or not referrals.partner_can_see(current_user, referral):
        abort(404)
    return referral


def _referral_url(referral: Referral) -> str:
    return url_for("partners.referral", reference=referral.reference)


@bp.route("/")
@role_required(Role.PARTNER)
@linked
def index():
    """The inbox is the partner's home."""
    return redirect(url_for("partners.inbox"))


@bp.route("/referrals")
@role_required(Role.PARTNER)
@linked
def inbox():
    """New, overdue, open and closed referrals, one list at a time."""
    view = request.args.get("view", "new")
    if view not in queries.VIEWS:
        view = "new"
    page = request.args.get("page", 1, type=int)
    return render_template("partners/inbox.html", inbox=queries.inbox(current_user.organisation_id, view, page),
                           organisation=own_organisation(), views=queries.VIEWS, view_names=queries.VIEW_NAMES,
                           status_names=referral_text.PARTNER_STATUS_NAMES, status_colours=referral_text.STATUS_COLOURS,
                           is_overdue=queries.is_overdue)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a referral's history, in the organisation's words."""

    occurred_at: datetime
    text: str
    note: str | None


def _history(referral: Referral) -> list[HistoryEntry]:
    entries = []
    for event in referral.events:
        if event.kind == "contact_attempt":
            outcome = referral_text.CONTACT_OUTCOMES.get(event.outcome or "", event.outcome or "")
            text = _("Contact attempt: %(outcome)s", outcome=outcome)
        elif event.status == S.PROPOSED:
            text = _("Suggested by the police")
        elif event.status == S.SENT:
            text = _("Sent to you")
        else:
            text = str(referral_text.PARTNER_STATUS_NAMES.get(event.status, event.status or ""))
        entries.append(HistoryEntry(event.occurred_at, text, event.note))
    return entries


def _bar(referral: Referral) -> dict:
    """What the identity bar at the top of each of a referral's pages shows besides the referral: the status in the
    organisation's words and colours, and whether first contact is overdue."""
    return {"status_names": referral_text.PARTNER_STATUS_NAMES, "status_colours": referral_text.STATUS_COLOURS,
            "overdue": queries.is_overdue(referral)}


def _outcome_words(referral: Referral) -> str | None:
    if not referral.reason_code:
        return None
    words = referral_text.DECLINE_REASONS if referral.status == S.DECLINED else referral_text.CLOSE_OUTCOMES
    return words.get(referral.reason_code, referral.reason_code)


def _show(referral: Referral, accept_form: AcceptForm | None = None):
    """The referral page, showing only what the consent covers. Every read is audited."""
    view = case_view(referral)
    if view is None:
        abort(404)
    page = render_template(
        "partners/referral.html", referral=referral, view=view, history=_history(referral),
        form=accept_form or AcceptForm(version=str(referral.version)), **_bar(referral),
        outcome=_outcome_words(referral), can_accept=can_move(referral.status, S.ACCEPTED),
        can_decline=can_move(referral.status, S.DECLINED), can_contact=referral.status in CONTACTABLE,
        can_close=can_move(referral.status, S.CLOSED), can_raise_concern=partner_services.can_raise_concern(referral),
        concerns=queries.concerns_raised(referral), concern_states=CONCERN_STATES, concern_colours=STATE_COLOURS,
        owed=OWED, shares_progress=shares_progress(referral))
    record_read(current_user.id, "referral.viewed", "referral", referral.reference)
    return page


@bp.route("/referrals/<reference>/progress")
@role_required(Role.PARTNER)
@linked
def progress(reference: str):
    """How the case is going: the updates the victim was sent and hearings to come, only while the victim's consent
    covers them (otherwise 'not found', as for a referral that does not exist). Every read is audited, and the
    victim sees it under who viewed their case."""
    found = _visible_or_404(reference)
    view = progress_view(found)
    if view is None:
        abort(404)
    page = render_template("partners/progress.html", referral=found, view=view, **_bar(found))
    record_read(current_user.id, "referral.progress_viewed", "referral", found.reference)
    return page


# A concern's state, as the organisation that raised it reads it.
CONCERN_STATES = {TaskStatus.OPEN: _l("Open"), TaskStatus.IN_PROGRESS: _l("Open: an officer is dealing with it"),
                  TaskStatus.DONE: _l("Done"), TaskStatus.CANNOT_DO: _l("Closed: the police could not act on it")}


@bp.route("/referrals/<reference>")
@role_required(Role.PARTNER)
@linked
def referral(reference: str):
    """One referral."""
    return _show(_visible_or_404(reference))


@bp.route("/referrals/<reference>/accept", methods=["POST"])
@role_required(Role.PARTNER)
@linked
def accept(reference: str):
    """Accept a new referral."""
    found = _visible_or_404(reference)
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            referrals.accept(current_user, found, form.version.expected())
        except DomainError as error:
            form.show_error(error.message, error.field)
            found = _visible_or_404(reference)
            form.version.data = str(found.version)
        else:
            flash(_("You accepted referral %(reference)s.", reference=found.reference), "success")
            return redirect(_referral_url(found))
    return _show(found, form)


# Where a contact attempt can be recorded (once contacted, the next step is closing).
CONTACTABLE = frozenset({S.ACCEPTED, S.UNABLE_TO_CONTACT})


def _action(reference: str, form_class, template: str, available: Callable[[Referral], bool],
            apply: Callable[[Referral, object], None], done: str,
            context: Callable[[Referral], dict] | None = None):
    """A page with one form that changes a referral: show it, apply it, or show what went wrong. `context` adds
    what the page shows of the referral as it now is."""
    found = _visible_or_404(reference)
    if request.method == "GET":
        if not available(found):
            flash(_("You cannot do that with this referral now."), "information")
            return redirect(_referral_url(found))
        form = form_class(version=str(found.version))
    else:
        form = form_class()
        if form.validate_on_submit():
            try:
                apply(found, form)
            except DomainError as error:
                form.show_error(error.message, error.field)
                found = _visible_or_404(reference)
                # The page now shows the referral as it is, so the form carries its current version.
                form.version.data = str(found.version)
            else:
                flash(done % {"reference": found.reference}, "success")
                return redirect(_referral_url(found))
    return render_template(template, form=form, referral=found, **_bar(found),
                           **(context(found) if context else {}))


@bp.route("/referrals/<reference>/decline", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def decline(reference: str):
    """Decline a referral, with one of the standard reasons."""
    return _action(reference, DeclineForm, "partners/decline.html", lambda r: can_move(r.status, S.DECLINED),
                   lambda r, form: referrals.decline(current_user, r, form.version.expected(), form.reason.data,
                                                     form.note.data),
                   _("You declined referral %(reference)s."))


@bp.route("/referrals/<reference>/contact", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def contact(reference: str):
    """Record an attempt to reach the person, with their rules for contact on the page (what the consent lets the
    organisation see). 'Left a message' is refused unless they said a voicemail is safe."""
    return _action(reference, ContactForm, "partners/contact.html", lambda r: r.status in CONTACTABLE,
                   lambda r, form: partner_services.record_contact_attempt(
                       current_user, r, form.version.expected(), form.outcome.data, form.note.data,
                       give_up=bool(form.give_up.data)),
                   _("Contact attempt recorded for referral %(reference)s."),
                   context=_contact_rules)


def _contact_rules(referral: Referral) -> dict:
    """The person's rules for contact, as far as the consent shares them (None when it does not)."""
    view = case_view(referral)
    return {"contact": view.contact if view is not None else None,
            "voicemail_allowed": partner_services.voicemail_allowed(referral),
            "left_message": partner_services.LEFT_MESSAGE}


@bp.route("/referrals/<reference>/close", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def close(reference: str):
    """Close a referral with an outcome."""
    return _action(reference, CloseForm, "partners/close.html", lambda r: can_move(r.status, S.CLOSED),
                   lambda r, form: referrals.close(current_user, r, form.version.expected(), form.outcome.data,
                                                   form.note.data),
                   _("You closed referral %(reference)s."))


@bp.route("/referrals/<reference>/concern", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def concern(reference: str):
    """Tell the police safeguarding team about a worry for the person on the referral. It is theirs to act on the
    same working day; the answer comes back to this referral's page."""
    found = _visible_or_404(reference)
    if not partner_services.can_raise_concern(found):
        flash(_("You cannot do that with this referral now."), "information")
        return redirect(_referral_url(found))
    form = ConcernForm()
    if form.validate_on_submit():
        try:
            partner_services.raise_safeguarding_concern(current_user, found, form.concern.data)
        except DomainError as error:
            form.show_error(error.message, error.field)
            found = _visible_or_404(reference)
        else:
            flash(_("Concern sent to the police safeguarding team. They will act on it today."), "success")
            return redirect(_referral_url(found))
    return render_template("partners/concern.html", form=form, referral=found, concern_max=partner_services.CONCERN_MAX,
                           **_bar(found))


def _cell(value) -> str:
    """One CSV cell as text a spreadsheet will not run as a formula."""
    if value is None:
        text = ""
    elif isinstance(value, datetime):
        text = value.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
    else:
        text = str(value.value if isinstance(value, S) else value)
    return spreadsheet_safe(text)


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(v) for v in values])
    return buffer.getvalue()


@bp.route("/referrals.csv")
@role_required(Role.PARTNER)
@linked
def export():
    """The organisation's referrals as CSV: dates, statuses and outcomes, no personal details."""
    organisation_id = current_user.organisation_id
    record_read(current_user.id, "referral.exported", "organisation", str(organisation_id),
                f"{queries.count_visible(organisation_id)} referrals")

    def lines():
        yield _csv_line(queries.EXPORT_COLUMNS)
        for row in queries.export_rows(organisation_id):
            yield _csv_line(row)

    response = Response(stream_with_context(lines()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="referrals.csv"'
    return response


# The organisation's own services and groups ----------------------------------------------------------------


@bp.route("/services")
@role_required(Role.PARTNER)
@linked
def services():
    """The organisation's services and groups."""
    items = partner_services.services_for(current_user.organisation_id)
    return render_template("partners/services.html", services=items, organisation=own_organisation(),
                           taken=referrals.places_taken(s.id for s in items), describe=schedules.describe,
                           schedule_of=schedules.of, level_words=LEVEL_WORDS)


def _service_form(service=None) -> ServiceForm:
    if request.method != "GET":
        form = ServiceForm()
    elif service is None:
        form = ServiceForm(data={"active": True, "schedule_freq": "none", "schedule_interval": "1",
                                 "languages": ["en"], "expected_wait_days": 5, "delivery": None})
    else:
        form = ServiceForm(data=_service_data(service))
    form.categories.choices = [(code, name) for code, name in partner_services.category_choices()]
    return form


def _service_data(service) -> dict:
    byday = service.schedule_byday or ""
    data = {
        "name": service.name, "kind": service.kind.value, "levels": list(service.levels or ()),
        "description": service.description, "categories": list(service.categories or ()),
        "boroughs": list(service.boroughs or ()), "languages": list(service.languages or ()),
        "delivery": service.delivery.value, "location_name": service.location_name, "address": service.address,
        "postcode": service.postcode, "accessibility": service.accessibility, "step_free": service.step_free,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age, "capacity": service.capacity,
        "expected_wait_days": service.expected_wait_days, "schedule_freq": service.schedule_freq or "none",
        "schedule_interval": str(service.schedule_interval or 1), "opens_at": service.opens_at,
        "closes_at": service.closes_at, "facilitator_check": service.facilitator_check,
        "facilitator_checked_on": service.facilitator_checked_on, "active": service.active,
    }
    if service.schedule_freq == "WEEKLY":
        data["weekly_days"] = schedules.days_of(byday)
    elif service.schedule_freq == "MONTHLY" and (match := schedules.MONTHLY_BYDAY.match(byday)):
        data["monthly_week"], data["monthly_day"] = match.group(1), match.group(2)
    return data


def _details(form: ServiceForm) -> partner_services.ServiceDetails:
    freq = form.schedule_freq.data
    return partner_services.ServiceDetails(
        name=form.name.data, kind=form.kind.data, description=form.description.data, delivery=form.delivery.data,
        levels=form.levels.data or [], categories=form.categories.data or [], boroughs=form.boroughs.data or [],
        languages=form.languages.data or [], location_name=form.location_name.data, address=form.address.data,
        postcode=form.postcode.data, accessibility=form.accessibility.data, step_free=bool(form.step_free.data),
        minimum_age=form.minimum_age.data,
        maximum_age=form.maximum_age.data, capacity=form.capacity.data,
        expected_wait_days=form.expected_wait_days.data,
        schedule_freq=None if freq == "none" else freq, schedule_interval=int(form.schedule_interval.data or 1),
        schedule_byday=form.byday(), opens_at=form.opens_at.data, closes_at=form.closes_at.data,
        facilitator_check=form.facilitator_check.data, facilitator_checked_on=form.facilitator_checked_on.data,
        active=bool(form.active.data))


@bp.route("/services/new", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def new_service():
    """Add a service or peer-support group."""
    form = _service_form()
    if form.saved_with(lambda details: partner_services.create_service(current_user, details), lambda: _details(form)):
        flash(_("%(name)s has been added.", name=form.name.data), "success")
        return redirect(url_for("partners.services"))
    return render_template("partners/service_form.html", form=form, service=None, peer_group=ServiceKind.PEER_GROUP)


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def edit_service(service_id: int):
    """Change a service or peer-support group."""
    service = partner_services.own_service(current_user, service_id)
    if service is None:
        abort(404)
    form = _service_form(service)
    if form.saved_with(lambda details: partner_services.update_service(current_user, service, details),
                       lambda: _details(form)):
        flash(_("Your changes to %(name)s are saved.", name=form.name.data), "success")
        return redirect(url_for("partners.services"))
    return render_template("partners/service_form.html", form=form, service=service,
                           peer_group=ServiceKind.PEER_GROUP)


# Running a peer-support group: members, the waiting list, and meetings cancelled or moved -----------------


def _group_or_404(service_id: int):
    """A peer-support group of the partner's own organisation; another organisation's is 'not found'."""
    group = places.group_of(current_user, service_id)
    if group is None:
        abort(404)
    return group


def _group_page(template: str, group, **context):
    page = render_template(template, group=group, organisation=own_organisation(), describe=schedules.describe,
                           schedule_of=schedules.of, members_count=places.member_count(group.id),
                           can_see=lambda place: referrals.partner_can_see(current_user, place.referral),
                           changes=places.session_changes(group.id), **context)
    record_read(current_user.id, "group.viewed", "support_service", str(group.id))
    return page


@bp.route("/services/<int:service_id>/members")
@role_required(Role.PARTNER)
@linked
def group_members(service_id: int):
    """A group's members, each holding a place until the coordinator records that they left."""
    group = _group_or_404(service_id)
    return _group_page("partners/group_members.html", group, people=places.members(group.id),
                       waiting=len(places.waiting_list(group.id)))


@bp.route("/services/<int:service_id>/waiting-list")
@role_required(Role.PARTNER)
@linked
def group_waiting_list(service_id: int):
    """A group's waiting list, in order: the first gets the next free place."""
    group = _group_or_404(service_id)
    return _group_page("partners/group_waiting_list.html", group, people=places.waiting_list(group.id))


@bp.route("/services/<int:service_id>/places/<int:place_id>/left", methods=["POST"])
@role_required(Role.PARTNER)
@linked
def group_left(service_id: int, place_id: int):
    """Record that a member left (the first person waiting takes the place), or that someone left the list."""
    group = _group_or_404(service_id)
    waiting = request.form.get("list") == "waiting"
    try:
        places.record_left(current_user, group.id, place_id)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash("Recorded. They no longer hold a place." if not waiting else "Removed from the waiting list.",
              "success")
    return redirect(url_for("partners.group_waiting_list" if waiting else "partners.group_members",
                            service_id=group.id))


@bp.route("/services/<int:service_id>/meetings", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def group_meeting(service_id: int):
    """Cancel or move one meeting of a group: every member is told by their safe channels."""
    group = _group_or_404(service_id)
    form = SessionChangeForm()
    if form.saved_with(lambda details: places.change_session(current_user, group.id, **details),
                       lambda: {"session_on": form.session_on.data, "change": form.change.data,
                                "moved_to": form.moved_to.data, "starts_at": form.starts_at.data}):
        flash("The members have been told.", "success")
        return redirect(url_for("partners.group_members", service_id=group.id))
    return render_template("partners/group_meeting.html", form=form, group=group, organisation=own_organisation(),
                           describe=schedules.describe, schedule_of=schedules.of)
