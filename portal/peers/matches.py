"""Every change to a one-to-one peer support pairing: the organisation proposes one of its peer supporters, the
person agrees (choosing the first name they are shown by) or says no, either side chooses to share contact details,
the organisation pauses and resumes the conversation, either side (or the organisation) ends it, and either side
reports a concern, which the organisation marks dealt with. Each validates, writes the audit (and the person's
timeline, in neutral words naming the peer supporter only by first name) and queues any message in one transaction.
Messages go by each side's safe channel and never say more than that there is something to read.
"""

from portal.audit.services import record_audit
from portal.auth.roles import Role
from portal.cases.access import require_victim
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE, N_
from portal.links import absolute_url
from portal.notifications.services import notify_victim, queue_email
from portal.peers import match_queries as queries
from portal.peers import reach
from portal.peers.enums import SupporterStatus
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.match_models import PeerConcern, PeerMatch
from portal.peers.names import CONTROL, FIRST_NAME, FIRST_NAME_MAX
from portal.support.referral_states import OPEN_STATUSES
from portal.support.referrals import partner_can_see

CONTACT_MAX = 200
SEPARATORS = " '’-"
REASON_MAX = 500


def open_for_pairing(referral) -> bool:
    """Whether a peer supporter can be proposed, or a conversation go on, on this referral: one-to-one peer
    support, still open, under consent that stands."""
    return (queries.is_one_to_one(referral) and referral.status in OPEN_STATUSES
            and referral.consent is not None and referral.consent.is_active)


def _report(match_or_referral) -> Report:
    referral = getattr(match_or_referral, "referral", match_or_referral)
    report = db.session.get(Report, referral.report_id)
    if report is None:
        raise DomainError(N_("This conversation is not available"))
    return report


def _tell_person(match: PeerMatch) -> None:
    notify_victim(_report(match))


def _tell_supporter(match: PeerMatch) -> None:
    """By the peer supporter's own safe channels (from their case, as its victim or a witness; never shown)."""
    reach.tell_offerer(match.supporter.offer)


def _for_partner(actor, referral) -> None:
    if not partner_can_see(actor, referral) or not queries.is_one_to_one(referral):
        raise DomainError(N_("This referral is not available"))


def side_of(user, match: PeerMatch) -> Side:
    """The person (the victim on the referral's case) or the peer supporter (the offer's account); anyone else
    is refused as if the conversation did not exist."""
    if match.supporter.offer.user_id == user.id:
        return Side.SUPPORTER
    require_victim(user, _report(match))
    return Side.PERSON


def first_name_of_person(match: PeerMatch) -> str:
    """What the peer supporter and the organisation call the person: the first name they chose."""
    return match.person_first_name or ""


@refusals_roll_back
def propose(actor, referral, supporter_id: int | None) -> PeerMatch:
    """The organisation proposes one of its accepted, active peer supporters who suits the person. The person is
    told there is an update; the peer supporter hears nothing until the person agrees."""
    _for_partner(actor, referral)
    if not open_for_pairing(referral):
        raise DomainError(N_("This referral is closed, so you cannot propose a peer supporter"), field="supporter")
    if queries.live_match(referral.id) is not None:
        raise DomainError(N_("A peer supporter is already proposed or talking with this person"), field="supporter")
    supporter = next((s for s in queries.suitable_supporters(referral) if s.id == supporter_id), None)
    if supporter is None:
        raise DomainError(N_("Select a peer supporter from the list"), field="supporter")
    now = utcnow()
    match = PeerMatch(referral_id=referral.id, supporter_id=supporter.id, status=MatchStatus.PROPOSED,
                      proposed_at=now, proposed_by_id=actor.id)
    db.session.add(match)
    db.session.flush()
    report = _report(referral)
    add_timeline_event(report.id, "peer_match", N_("%(organisation)s suggested a peer supporter"),
                       N_("Read about %(name)s and choose whether to talk with them."), actor_id=actor.id,
                       victim=True, values={"organisation": referral.organisation.name,
                                            "name": supporter.offer.first_name})
    record_audit(actor.id, "peer_match.proposed", "referral", referral.reference, f"peer supporter {supporter.id}")
    notify_victim(report)
    db.session.commit()
    return match


def clean_first_name(value: str | None) -> str:
    """A first name: letters with single spaces, hyphens or apostrophes, at most 40 characters."""
    name = " ".join((value or "").split())
    if not name:
        raise DomainError(N_("Enter the first name you want to be shown by"), field="first_name")
    if len(name) > FIRST_NAME_MAX:
        raise DomainError(N_("The first name must be %(max)d characters or fewer"), field="first_name",
                          max=FIRST_NAME_MAX)
    if not FIRST_NAME.match(name) or not all(c.isalpha() or c in SEPARATORS for c in name):
        raise DomainError(N_("The first name must contain only letters, spaces, hyphens and apostrophes"),
                          field="first_name")
    return name


@refusals_roll_back
def answer(user, match: PeerMatch, agree: str | None, first_name: str | None) -> PeerMatch:
    """The person agrees to talk with the proposed peer supporter, choosing the first name they are shown by, or
    says no (the organisation can propose someone else)."""
    require_victim(user, _report(match))
    if match.status != MatchStatus.PROPOSED or not open_for_pairing(match.referral):
        raise DomainError(N_("You have already answered"), field="agree")
    if match.supporter.status != SupporterStatus.ACTIVE:
        raise DomainError(N_("This peer supporter is no longer available"), field="agree")
    if agree not in ("yes", "no"):
        raise DomainError(N_("Select whether you want to talk with this peer supporter"), field="agree")
    now = utcnow()
    match.answered_at = now
    name = match.supporter.offer.first_name
    if agree == "yes":
        match.person_first_name = clean_first_name(first_name)
        match.status = MatchStatus.AGREED
        add_timeline_event(match.referral.report_id, "peer_match", N_("You agreed to talk with %(name)s"),
                           N_("You can write to each other on your support page."), actor_id=user.id, victim=True,
                           values={"name": name})
        record_audit(user.id, "peer_match.agreed", "referral", match.referral.reference)
        _tell_supporter(match)
    else:
        match.status, match.ended_at, match.ended_by = MatchStatus.DECLINED, now, Side.PERSON
        add_timeline_event(match.referral.report_id, "peer_match", N_("You chose not to talk with %(name)s"),
                           N_("The organisation can suggest someone else."), actor_id=user.id, victim=True,
                           values={"name": name})
        record_audit(user.id, "peer_match.declined", "referral", match.referral.reference)
    _tell_organisation(match)
    db.session.commit()
    return match


def _tell_organisation(match: PeerMatch) -> None:
    email = match.referral.organisation.email
    if email:
        queue_email(email, "partner_referral", locale=DEFAULT_LANGUAGE, sign_in_link=absolute_url("auth.login"))


def clean_contact(value: str | None) -> str:
    """Contact details one side chose to share: one line, at most 200 characters."""
    text = " ".join(CONTROL.sub(" ", value or "").split())
    if not text:
        raise DomainError(N_("Enter the contact details you want to share"), field="contact")
    if len(text) > CONTACT_MAX:
        raise DomainError(N_("Contact details must be %(max)d characters or fewer"), field="contact", max=CONTACT_MAX)
    return text


@refusals_roll_back
def share_contact(user, match: PeerMatch, contact: str | None) -> PeerMatch:
    """One side chooses to share contact details (or changes them). The other side sees them only once both have
    chosen; until then nobody but the organisation's coordinator can see them."""
    side = side_of(user, match)
    if match.status not in (MatchStatus.AGREED, MatchStatus.PAUSED):
        raise DomainError(N_("This conversation has ended"), field="contact")
    text = clean_contact(contact)
    if side == Side.PERSON:
        match.person_contact = text
    else:
        match.supporter_contact = text
    record_audit(user.id, "peer_match.contact_shared", "peer_match", str(match.id), side.value)
    db.session.commit()
    return match


@refusals_roll_back
def stop_sharing(user, match: PeerMatch) -> PeerMatch:
    """One side takes their contact details back: from then on neither sees the other's."""
    side = side_of(user, match)
    if side == Side.PERSON:
        match.person_contact = None
    else:
        match.supporter_contact = None
    record_audit(user.id, "peer_match.contact_unshared", "peer_match", str(match.id), side.value)
    db.session.commit()
    return match


@refusals_roll_back
def pause(actor, match: PeerMatch) -> PeerMatch:
    """The organisation pauses the conversation: nobody can write until it resumes. Both sides are told there is
    an update."""
    _for_partner(actor, match.referral)
    if match.status != MatchStatus.AGREED:
        raise DomainError(N_("Only a conversation that is going on can be paused"))
    match.status, match.paused_at = MatchStatus.PAUSED, utcnow()
    add_timeline_event(match.referral.report_id, "peer_match", N_("%(organisation)s paused your peer support "
                                                                  "conversation"),
                       N_("Nobody can write until they start it again."), actor_id=actor.id, victim=True,
                       values={"organisation": match.referral.organisation.name})
    record_audit(actor.id, "peer_match.paused", "referral", match.referral.reference)
    _tell_person(match)
    _tell_supporter(match)
    db.session.commit()
    return match


@refusals_roll_back
def resume(actor, match: PeerMatch) -> PeerMatch:
    """The organisation lets the conversation go on."""
    _for_partner(actor, match.referral)
    if match.status != MatchStatus.PAUSED or not open_for_pairing(match.referral):
        raise DomainError(N_("Only a paused conversation can be started again"))
    if match.supporter.status != SupporterStatus.ACTIVE:
        raise DomainError(N_("Make the peer supporter active again before you start their conversations again"))
    match.status, match.paused_at = MatchStatus.AGREED, None
    add_timeline_event(match.referral.report_id, "peer_match", N_("Your peer support conversation can go on"),
                       None, actor_id=actor.id, victim=True)
    record_audit(actor.id, "peer_match.resumed", "referral", match.referral.reference)
    _tell_person(match)
    _tell_supporter(match)
    db.session.commit()
    return match


@refusals_roll_back
def end(user, match: PeerMatch) -> PeerMatch:
    """Either side, or the organisation, ends the conversation for good. The messages stay readable."""
    if user.role == Role.PARTNER:
        _for_partner(user, match.referral)
        side = Side.ORGANISATION
    else:
        side = side_of(user, match)
    if match.status not in (MatchStatus.AGREED, MatchStatus.PAUSED, MatchStatus.PROPOSED):
        raise DomainError(N_("This conversation has already ended"))
    match.status, match.ended_at, match.ended_by = MatchStatus.ENDED, utcnow(), side
    add_timeline_event(match.referral.report_id, "peer_match", N_("Your peer support conversation ended"),
                       None, actor_id=user.id, victim=True)
    record_audit(user.id, "peer_match.ended", "peer_match", str(match.id), side.value)
    if side != Side.PERSON:
        _tell_person(match)
    if side != Side.SUPPORTER:
        _tell_supporter(match)
    if side != Side.ORGANISATION:
        _tell_organisation(match)
    db.session.commit()
    return match


def follow_supporter_status(actor_id: int, supporter_ids: list[int], status: SupporterStatus,
                            by_supporter: bool = False) -> int:
    """Bring a peer supporter's pairings into line with their new status, inside the caller's transaction (no
    commit): paused pauses each conversation going on (only the coordinator starts each again, one by one);
    left (or the offer withdrawn) ends each one, as ended by the organisation. Either way a suggestion the person
    has not answered ends, so nobody agrees to talk with someone who cannot. Each is audited and written on the
    person's timeline; both sides get the neutral message the organisation's own pause or end sends (not the peer
    supporter when they withdrew themselves). Returns how many pairings changed."""
    if status == SupporterStatus.ACTIVE:
        return 0
    changed = 0
    now = utcnow()
    for match in queries.live_matches_of(supporter_ids):
        referral = match.referral
        if match.status == MatchStatus.PROPOSED:
            match.status, match.ended_at, match.ended_by = MatchStatus.ENDED, now, Side.ORGANISATION
            add_timeline_event(referral.report_id, "peer_match", N_("%(name)s is no longer available to talk with"),
                               N_("%(organisation)s can suggest someone else."), actor_id=actor_id, victim=True,
                               values={"name": match.supporter.offer.first_name,
                                       "organisation": referral.organisation.name})
            record_audit(actor_id, "peer_match.ended", "peer_match", str(match.id), f"peer supporter {status.value}")
        elif status == SupporterStatus.PAUSED and match.status == MatchStatus.AGREED:
            match.status, match.paused_at = MatchStatus.PAUSED, now
            add_timeline_event(referral.report_id, "peer_match", N_("%(organisation)s paused your peer support "
                                                                    "conversation"),
                               N_("Nobody can write until they start it again."), actor_id=actor_id, victim=True,
                               values={"organisation": referral.organisation.name})
            record_audit(actor_id, "peer_match.paused", "referral", referral.reference, "peer supporter paused")
        elif status == SupporterStatus.LEFT:
            match.status, match.ended_at, match.ended_by = MatchStatus.ENDED, now, Side.ORGANISATION
            add_timeline_event(referral.report_id, "peer_match", N_("Your peer support conversation ended"),
                               None, actor_id=actor_id, victim=True)
            record_audit(actor_id, "peer_match.ended", "peer_match", str(match.id), "peer supporter left")
        else:
            continue
        changed += 1
        _tell_person(match)
        if not by_supporter and match.answered_at is not None:  # the peer supporter never saw a suggestion
            _tell_supporter(match)
    return changed


def clean_reason(value: str | None, field: str = "reason", required: bool = True) -> str | None:
    """A few words: line breaks kept plain, at most 500 characters."""
    text = CONTROL.sub(" ", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        if required:
            raise DomainError(N_("Say what worries you"), field=field)
        return None
    if len(text) > REASON_MAX:
        raise DomainError(N_("This must be %(max)d characters or fewer"), field=field, max=REASON_MAX)
    return text


@refusals_roll_back
def report_concern(user, match: PeerMatch, reason: str | None) -> PeerConcern:
    """Either side reports a concern about the conversation: it becomes the organisation's safeguarding task, and
    the organisation gets a neutral email. The other side is not told."""
    side = side_of(user, match)
    if match.status not in queries.TALKED:
        raise DomainError(N_("This conversation is not available"), field="reason")
    concern = PeerConcern(match_id=match.id, organisation_id=match.referral.organisation_id, raised_by=side,
                          raised_by_id=user.id, reason=clean_reason(reason), raised_at=utcnow())
    db.session.add(concern)
    db.session.flush()
    record_audit(user.id, "peer_match.concern_reported", "peer_match", str(match.id), side.value)
    _tell_organisation(match)
    db.session.commit()
    return concern


@refusals_roll_back
def deal_with_concern(actor, concern: PeerConcern, note: str | None) -> PeerConcern:
    """Someone at the organisation records that the concern was dealt with, with an optional note."""
    if actor.organisation_id is None or concern.organisation_id != actor.organisation_id:
        raise DomainError(N_("This concern is not available"))
    if concern.dealt_with_at is not None:
        raise DomainError(N_("This concern was already dealt with"), field="note")
    concern.note = clean_reason(note, "note", required=False)
    concern.dealt_with_at, concern.dealt_with_by_id = utcnow(), actor.id
    record_audit(actor.id, "peer_match.concern_dealt_with", "peer_concern", str(concern.id))
    db.session.commit()
    return concern

