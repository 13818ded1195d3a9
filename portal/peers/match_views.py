"""One-to-one peer support, on three sides.

The person referred (on their case, from the referral): reads the peer supporter the organisation proposed (a first
name they chose, what they went through in category words, languages and times: nothing else), agrees with the first
name they want to be shown by or says no, then talks with them. The peer supporter (their own account): a list of
their own conversations and each conversation, showing the person only by the first name the person chose, never
the case. Both can share contact details (each sees the other's only once both have), end the conversation or report
a concern. The organisation (partner pages, English): proposes a suitable peer supporter on the referral, reads the
conversation (audited), pauses and resumes it, and deals with concerns. Anything not one's own is 'not found'.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit.services import record_read
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.cases.access import Relation, case_for
from portal.domain import DomainError
from portal.partners import queries as partner_queries
from portal.peers import conversations, match_queries, matches
from portal.peers.forms import AVAILABILITY_WORDS
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.match_forms import (
    AnswerForm,
    ConcernForm,
    DealtWithForm,
    EndForm,
    PauseForm,
    PeerMessageForm,
    ProposeForm,
    ResumeForm,
    ShareForm,
    StopSharingForm,
)
from portal.reporting.services import list_categories
from portal.support import referrals
from portal.support.matching import LANGUAGE_NAMES
from portal.support.partner_pages import linked
from portal.support.referral_text import PARTNER_STATUS_NAMES, STATUS_COLOURS

bp = Blueprint("peer_matches", __name__, url_prefix="")


@bp.app_template_global("is_one_to_one_peer")
def is_one_to_one_peer(referral) -> bool:
    """Whether a referral is for one-to-one peer support (its pages link to the pairing)."""
    return match_queries.is_one_to_one(referral)


@bp.app_template_global("has_peer_conversations")
def has_peer_conversations() -> bool:
    """Whether the signed-in person has any conversations as a peer supporter (their pages link to the list)."""
    return current_user.is_authenticated and bool(match_queries.conversations_of(current_user.id))


def supporter_facts(supporter) -> dict:
    """What anyone is shown of a peer supporter: the first name, categories, languages and times they chose."""
    offer = supporter.offer
    names = {category.code: category.name for category in list_categories()}
    return {"first_name": offer.first_name,
            "categories": ", ".join(names.get(code, code) for code in offer.categories),
            "languages": ", ".join(_(LANGUAGE_NAMES.get(code, code)) for code in offer.languages),
            "availability": ", ".join(str(AVAILABILITY_WORDS[a]) for a in offer.availability
                                      if a in AVAILABILITY_WORDS)}


def _with_errors(forms: dict):
    """The form whose errors the page's error summary lists (the one that was posted), if any."""
    return next((form for form in forms.values() if form is not None and form.errors), None)


def _errors_to(form, error: DomainError) -> None:
    form.show_error(error.message, error.field)


# The person referred -------------------------------------------------------------------------------------------


def _persons(crime_number: str, reference: str):
    """The signed-in victim's case and their one-to-one peer support referral on it, or 'not found'."""
    report, _relation = case_for(current_user, crime_number, Relation.VICTIM)
    referral = next((r for r in referrals.referrals_for_case(report.id)
                     if r.reference == (reference or "").upper() and match_queries.is_one_to_one(r)
                     and r.consent is not None), None)
    if referral is None:
        abort(404)
    return report, referral


def _persons_match(crime_number: str, reference: str):
    report, referral = _persons(crime_number, reference)
    match = match_queries.latest_match(referral.id)
    if match is None:
        abort(404)
    return report, referral, match


def _person_page(report, referral, **forms):
    match = match_queries.latest_match(referral.id)
    talked = match is not None and match.status in match_queries.TALKED
    messages = match_queries.messages(match.id) if talked else []
    page = render_template(
        "peers/match_person.html", report=report, referral=referral, match=match,
        facts=supporter_facts(match.supporter) if match else None, messages=messages,
        answer_form=forms.get("answer") or AnswerForm(), message_form=forms.get("message") or PeerMessageForm(),
        share_form=forms.get("share") or ShareForm(), stop_form=StopSharingForm(), form=_with_errors(forms),
        can_write=talked and match.can_write and matches.open_for_pairing(referral))
    if talked and any(m.from_supporter and m.read_at is None for m in messages):
        conversations.mark_read(current_user, match)
    return page


def _to_person(report, referral):
    return redirect(url_for("peer_matches.person", crime_number=report.crime_number, reference=referral.reference))


@bp.route("/cases/<crime_number>/support/<reference>/peer-supporter", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def person(crime_number: str, reference: str):
    """The person's one-to-one peer support: waiting for a proposal, the proposal to answer, or the conversation
    (a message is written here)."""
    report, referral = _persons(crime_number, reference)
    form = PeerMessageForm()
    match = match_queries.latest_match(referral.id)
    if match is not None and match.status in match_queries.TALKED and form.validate_on_submit():
        try:
            conversations.send(current_user, match, form.body.data)
        except DomainError as error:
            _errors_to(form, error)
        else:
            flash(_("Your message has been sent to %(name)s.", name=match.supporter.offer.first_name), "success")
            return _to_person(report, referral)
    return _person_page(report, referral, message=form)


@bp.route("/cases/<crime_number>/support/<reference>/peer-supporter/answer", methods=["POST"])
@role_required(Role.VICTIM)
def answer(crime_number: str, reference: str):
    """Agree to talk with the proposed peer supporter (with a first name), or say no."""
    report, referral, match = _persons_match(crime_number, reference)
    if match.status != MatchStatus.PROPOSED:  # answered already (a second tab, or the back button)
        flash(_("You have already answered."), "information")
        return _to_person(report, referral)
    form = AnswerForm()
    if form.saved_with(lambda values: matches.answer(current_user, match, *values),
                       lambda: (form.agree.data, form.first_name.data)):
        flash(_("You can now write to %(name)s.", name=match.supporter.offer.first_name)
              if match.status == MatchStatus.AGREED
              else _("We have told the organisation. They can suggest someone else."), "success")
        return _to_person(report, referral)
    return _person_page(report, referral, answer=form)


@bp.route("/cases/<crime_number>/support/<reference>/peer-supporter/share", methods=["POST"])
@role_required(Role.VICTIM)
def person_share(crime_number: str, reference: str):
    """Choose to share contact details with the peer supporter."""
    report, referral, match = _persons_match(crime_number, reference)
    form = ShareForm()
    if form.saved_with(lambda contact: matches.share_contact(current_user, match, contact),
                       lambda: form.contact.data):
        flash(_("You chose to share your contact details."), "success")
        return _to_person(report, referral)
    return _person_page(report, referral, share=form)


@bp.route("/cases/<crime_number>/support/<reference>/peer-supporter/stop-sharing", methods=["POST"])
@role_required(Role.VICTIM)
def person_stop_sharing(crime_number: str, reference: str):
    """Stop sharing contact details."""
    report, referral, match = _persons_match(crime_number, reference)
    if StopSharingForm().saved_with(lambda _none: matches.stop_sharing(current_user, match), lambda: None):
        flash(_("You stopped sharing your contact details."), "success")
    return _to_person(report, referral)


@bp.route("/cases/<crime_number>/support/<reference>/peer-supporter/end", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def person_end(crime_number: str, reference: str):
    """End the conversation, after a page that says what that means."""
    report, referral, match = _persons_match(crime_number, reference)
    form = EndForm()
    if form.saved_with(lambda _none: matches.end(current_user, match), lambda: None):
        flash(_("You ended the conversation."), "success")
        return _to_person(report, referral)
    back = url_for("peer_matches.person", crime_number=report.crime_number, reference=referral.reference)
    return render_template("peers/match_end.html", form=form, back=back, other=match.supporter.offer.first_name,
                           report=report, action=url_for("peer_matches.person_end", crime_number=report.crime_number,
                                                         reference=referral.reference))


@bp.route("/cases/<crime_number>/support/<reference>/peer-supporter/concern", methods=["GET", "POST"])
@role_required(Role.VICTIM)
def person_concern(crime_number: str, reference: str):
    """Report a concern about the conversation to the organisation."""
    report, referral, match = _persons_match(crime_number, reference)
    form = ConcernForm()
    if form.saved_with(lambda reason: matches.report_concern(current_user, match, reason), lambda: form.reason.data):
        flash(_("Thank you. We have told %(organisation)s about your concern.",
                organisation=referral.organisation.name), "success")
        return _to_person(report, referral)
    back = url_for("peer_matches.person", crime_number=report.crime_number, reference=referral.reference)
    return render_template("peers/match_concern.html", form=form, back=back, report=report,
                           organisation=referral.organisation.name,
                           action=url_for("peer_matches.person_concern", crime_number=report.crime_number,
                                          reference=referral.reference))


# The peer supporter --------------------------------------------------------------------------------------------


def _own_conversation(match_id: int):
    match = match_queries.conversation_of(current_user.id, match_id)
    if match is None:
        abort(404)
    return match


def _supporter_page(match, **forms):
    messages = match_queries.messages(match.id)
    page = render_template(
        "peers/match_supporter.html", match=match, messages=messages, person_name=match.person_first_name,
        organisation=match.referral.organisation.name, message_form=forms.get("message") or PeerMessageForm(),
        share_form=forms.get("share") or ShareForm(), stop_form=StopSharingForm(), form=_with_errors(forms),
        can_write=match.can_write and matches.open_for_pairing(match.referral))
    if any(not m.from_supporter and m.read_at is None for m in messages):
        conversations.mark_read(current_user, match)
    return page


def _to_supporter(match):
    return redirect(url_for("peer_matches.conversation", match_id=match.id))


@bp.route("/peer-conversations")
@role_required(Role.VICTIM, Role.WITNESS)
def conversations_list():
    """The peer supporter's own conversations, each by the first name the person chose."""
    found = match_queries.conversations_of(current_user.id)
    unread = match_queries.unread_by_match([m.id for m in found], supporter_side=True)
    return render_template("peers/match_supporter_list.html", conversations=found, unread=unread)


@bp.route("/peer-conversations/<int:match_id>", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def conversation(match_id: int):
    """One of the peer supporter's conversations (a message is written here)."""
    match = _own_conversation(match_id)
    form = PeerMessageForm()
    if form.validate_on_submit():
        try:
            conversations.send(current_user, match, form.body.data)
        except DomainError as error:
            _errors_to(form, error)
        else:
            flash(_("Your message has been sent to %(name)s.", name=match.person_first_name), "success")
            return _to_supporter(match)
    return _supporter_page(match, message=form)


@bp.route("/peer-conversations/<int:match_id>/share", methods=["POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def supporter_share(match_id: int):
    """The peer supporter chooses to share contact details."""
    match = _own_conversation(match_id)
    form = ShareForm()
    if form.saved_with(lambda contact: matches.share_contact(current_user, match, contact),
                       lambda: form.contact.data):
        flash(_("You chose to share your contact details."), "success")
        return _to_supporter(match)
    return _supporter_page(match, share=form)


@bp.route("/peer-conversations/<int:match_id>/stop-sharing", methods=["POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def supporter_stop_sharing(match_id: int):
    """The peer supporter stops sharing contact details."""
    match = _own_conversation(match_id)
    if StopSharingForm().saved_with(lambda _none: matches.stop_sharing(current_user, match), lambda: None):
        flash(_("You stopped sharing your contact details."), "success")
    return _to_supporter(match)


@bp.route("/peer-conversations/<int:match_id>/end", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def supporter_end(match_id: int):
    """The peer supporter ends the conversation."""
    match = _own_conversation(match_id)
    form = EndForm()
    if form.saved_with(lambda _none: matches.end(current_user, match), lambda: None):
        flash(_("You ended the conversation."), "success")
        return _to_supporter(match)
    return render_template("peers/match_end.html", form=form, other=match.person_first_name, report=None,
                           back=url_for("peer_matches.conversation", match_id=match.id),
                           action=url_for("peer_matches.supporter_end", match_id=match.id))


@bp.route("/peer-conversations/<int:match_id>/concern", methods=["GET", "POST"])
@role_required(Role.VICTIM, Role.WITNESS)
def supporter_concern(match_id: int):
    """The peer supporter reports a concern to the organisation."""
    match = _own_conversation(match_id)
    form = ConcernForm()
    if form.saved_with(lambda reason: matches.report_concern(current_user, match, reason), lambda: form.reason.data):
        flash(_("Thank you. We have told %(organisation)s about your concern.",
                organisation=match.referral.organisation.name), "success")
        return _to_supporter(match)
    return render_template("peers/match_concern.html", form=form, report=None,
                           organisation=match.referral.organisation.name,
                           back=url_for("peer_matches.conversation", match_id=match.id),
                           action=url_for("peer_matches.supporter_concern", match_id=match.id))


# The organisation ----------------------------------------------------------------------------------------------


def _partners(reference: str):
    """The organisation's own one-to-one peer support referral, or 'not found'."""
    referral = partner_queries.referral_by_reference(reference)
    if referral is None or not referrals.partner_can_see(current_user, referral) \
            or not match_queries.is_one_to_one(referral):
        abort(404)
    return referral


# The person's talk times in the coordinator's words (partner pages are in English).
PERSON_TIME_WORDS = {"weekday_daytime": "Weekday daytimes", "weekday_evenings": "Weekday evenings",
                     "weekends": "Weekends", "any": "Any time"}


def _person_times(referral) -> str:
    """When the person on the referral said they could usually talk, in words; any time when never asked."""
    times = match_queries.referral_person_times(referral)
    if not times:
        return "Any time (not asked when they asked for one-to-one peer support)"
    return ", ".join(PERSON_TIME_WORDS.get(time, time) for time in times)


def _partner_page(referral, propose_form=None):
    match = match_queries.latest_match(referral.id)
    suitable = match_queries.suitable_supporters(referral)
    form = propose_form or ProposeForm()
    form.supporter.choices = [(str(s.id), s.offer.first_name) for s in suitable]
    return render_template(
        "peers/match_partner.html", referral=referral, match=match, suitable=suitable,
        facts={s.id: supporter_facts(s) for s in suitable},
        match_facts=supporter_facts(match.supporter) if match else None, form=form, pause_form=PauseForm(),
        resume_form=ResumeForm(), can_propose=matches.open_for_pairing(referral) and (
            match is None or match.status not in match_queries.LIVE),
        status_names=PARTNER_STATUS_NAMES, status_colours=STATUS_COLOURS, person_times=_person_times(referral),
        unread=match_queries.unread_for(match.id, supporter_side=False) if match else 0)


def _to_partner(referral):
    return redirect(url_for("peer_matches.partner", reference=referral.reference))


@bp.route("/partner/referrals/<reference>/peer-supporter", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def partner(reference: str):
    """The pairing on a one-to-one peer support referral: the suitable peer supporters to propose one of, or the
    pairing's state, with pause and resume."""
    referral = _partners(reference)
    form = ProposeForm()
    form.supporter.choices = [(str(s.id), s.offer.first_name) for s in match_queries.suitable_supporters(referral)]
    if form.saved_with(lambda chosen: matches.propose(current_user, referral, chosen),
                       lambda: int(form.supporter.data)):
        flash("You proposed a peer supporter. The person is told there is an update.", "success")
        return _to_partner(referral)
    return _partner_page(referral, form)


def _partner_match(reference: str):
    referral = _partners(reference)
    match = match_queries.latest_match(referral.id)
    if match is None:
        abort(404)
    return referral, match


@bp.route("/partner/referrals/<reference>/peer-supporter/conversation")
@role_required(Role.PARTNER)
@linked
def partner_conversation(reference: str):
    """The whole conversation, read by the organisation's coordinator (audited)."""
    referral, match = _partner_match(reference)
    page = render_template("peers/match_partner_conversation.html", referral=referral, match=match,
                           messages=match_queries.messages(match.id), supporter=match.supporter.offer.first_name,
                           status_names=PARTNER_STATUS_NAMES, status_colours=STATUS_COLOURS)
    record_read(current_user.id, "peer_match.conversation_viewed", "referral", referral.reference)
    return page


@bp.route("/partner/referrals/<reference>/peer-supporter/pause", methods=["POST"])
@role_required(Role.PARTNER)
@linked
def pause(reference: str):
    """Pause the conversation: nobody can write until it is started again."""
    referral, match = _partner_match(reference)
    form = PauseForm()
    if form.saved_with(lambda _none: matches.pause(current_user, match), lambda: None):
        flash("You paused the conversation. Both of them can see it is paused.", "success")
    else:
        flash(form.errors.get("submit", ["The conversation could not be paused."])[0], "error")
    return _to_partner(referral)


@bp.route("/partner/referrals/<reference>/peer-supporter/resume", methods=["POST"])
@role_required(Role.PARTNER)
@linked
def resume(reference: str):
    """Let a paused conversation go on."""
    referral, match = _partner_match(reference)
    form = ResumeForm()
    if form.saved_with(lambda _none: matches.resume(current_user, match), lambda: None):
        flash("The conversation can go on.", "success")
    else:
        flash(form.errors.get("submit", ["The conversation could not be started again."])[0], "error")
    return _to_partner(referral)


@bp.route("/partner/peer-concerns")
@role_required(Role.PARTNER)
@linked
def concerns():
    """Concerns about the organisation's peer conversations: the ones to deal with first, then those dealt with."""
    organisation_id = current_user.organisation_id
    return render_template("peers/match_concerns.html", open=match_queries.concerns(organisation_id, False),
                           done=match_queries.concerns(organisation_id, True), form=DealtWithForm(),
                           sides={Side.PERSON: "The person referred", Side.SUPPORTER: "The peer supporter"})


@bp.route("/partner/peer-concerns/<int:concern_id>", methods=["GET", "POST"])
@role_required(Role.PARTNER)
@linked
def concern(concern_id: int):
    """One concern: what was said, by which side, on which referral; mark it dealt with."""
    found = match_queries.concern_of(current_user.organisation_id, concern_id)
    if found is None:
        abort(404)
    form = DealtWithForm()
    if found.dealt_with_at is None and form.saved_with(
            lambda note: matches.deal_with_concern(current_user, found, note), lambda: form.note.data):
        flash("You marked the concern as dealt with.", "success")
        return redirect(url_for("peer_matches.concerns"))
    page = render_template("peers/match_concern_partner.html", concern=found, form=form,
                           side="The person referred" if found.raised_by == Side.PERSON else "The peer supporter")
    record_read(current_user.id, "peer_match.concern_viewed", "peer_concern", str(found.id))
    return page
