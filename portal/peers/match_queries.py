"""Questions about one-to-one peer support: which peer supporters suit a referral, the pairing on a referral, a
peer supporter's own conversations, and an organisation's concerns to act on."""

from collections.abc import Iterable

from sqlalchemy import func, select

from portal.cases.models import Report
from portal.extensions import db
from portal.peers.match_enums import MatchStatus
from portal.peers.match_models import PeerConcern, PeerMatch, PeerMessage
from portal.peers.models import PeerOffer, PeerSupporter
from portal.peers.queries import active_supporters
from portal.support import assessments
from portal.support.enums import ANY_TIME, ServiceKind
from portal.support.matching import Need

# A pairing still going on: proposed, talking, or paused. One at a time on a referral.
LIVE = frozenset({MatchStatus.PROPOSED, MatchStatus.AGREED, MatchStatus.PAUSED})
# A pairing whose conversation exists (the person agreed at some point).
TALKED = frozenset({MatchStatus.AGREED, MatchStatus.PAUSED, MatchStatus.ENDED})


def is_one_to_one(referral) -> bool:
    """Whether the referral is for one-to-one peer support (the only kind a peer supporter is proposed on)."""
    return referral.service.kind == ServiceKind.PEER_ONE_TO_ONE and referral.witness_link_id is None


def person_languages(report) -> frozenset[str]:
    """The languages the person asked for support in (their assessment), English when they said nothing."""
    latest = assessments.latest_assessment(report.id, None)
    if latest is None:
        return frozenset({"en"})
    language = latest.language if latest.language else None
    return Need(level="peer", language=language, bsl=latest.bsl).languages()


def person_times(report) -> list[str] | None:
    """When the person said they could usually talk (Availability values, or ["any"]), from their latest
    assessment; None when they were never asked (an assessment from before the question), which counts as any
    time."""
    latest = assessments.latest_assessment(report.id, None)
    return list(latest.peer_times) if latest is not None and latest.peer_times else None


def referral_person_times(referral) -> list[str] | None:
    """When the person on a referral said they could usually talk (see `person_times`)."""
    report = db.session.get(Report, referral.report_id)
    return person_times(report) if report is not None else None


def times_fit(wanted: list[str] | None, offered: list[str] | None) -> bool:
    """Whether a peer supporter's times suit the person: at least one time in common. The person's "any time", or
    no answer at all, fits every peer supporter who gave a time; a peer supporter who gave none fits nobody."""
    offered_set = set(offered or [])
    if not offered_set:
        return False
    if not wanted or ANY_TIME in wanted:
        return True
    return bool(offered_set & set(wanted))


def suits(supporter: PeerSupporter, report, languages: frozenset[str], times: list[str] | None = None) -> bool:
    """A shared crime category, a shared language, a time both could talk (`times`: the person's, see
    `times_fit`), and not the person themselves."""
    offer = supporter.offer
    return (report.category is not None and report.category.code in (offer.categories or [])
            and bool(languages & set(offer.languages or []))
            and offer.user_id != report.reporter_user_id and times_fit(times, offer.availability))


def suitable_supporters(referral) -> list[PeerSupporter]:
    """The organisation's accepted, active peer supporters who suit the person on this referral, by first name;
    anyone the person already said no to on it is left out."""
    report = db.session.get(Report, referral.report_id)
    if report is None:
        return []
    languages = person_languages(report)
    times = person_times(report)
    refused = set(db.session.scalars(select(PeerMatch.supporter_id).where(
        PeerMatch.referral_id == referral.id, PeerMatch.status == MatchStatus.DECLINED)))
    found = [s for s in active_supporters([referral.organisation_id])
             if s.id not in refused and suits(s, report, languages, times)]
    return sorted(found, key=lambda s: (s.offer.first_name.casefold(), s.id))


def latest_match(referral_id: int) -> PeerMatch | None:
    """The newest pairing on a referral, whatever its status."""
    return db.session.scalar(select(PeerMatch).where(PeerMatch.referral_id == referral_id)
                             .order_by(PeerMatch.id.desc()).limit(1))


def live_match(referral_id: int) -> PeerMatch | None:
    """The pairing going on for a referral (proposed, talking or paused), if any."""
    return db.session.scalar(select(PeerMatch).where(PeerMatch.referral_id == referral_id,
                                                     PeerMatch.status.in_(LIVE)))


def live_matches_of(supporter_ids: list[int]) -> list[PeerMatch]:
    """The pairings still going on (proposed, talking or paused) with these peer supporter records, oldest
    first."""
    if not supporter_ids:
        return []
    return list(db.session.scalars(select(PeerMatch).where(PeerMatch.supporter_id.in_(supporter_ids),
                                                           PeerMatch.status.in_(LIVE))
                                   .order_by(PeerMatch.id)))


def conversations_of(user_id: int) -> list[PeerMatch]:
    """A peer supporter's own conversations (the person agreed), newest first; never a proposal the person has not
    answered, never another peer supporter's."""
    return list(db.session.scalars(
        select(PeerMatch).join(PeerSupporter, PeerSupporter.id == PeerMatch.supporter_id)
        .join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
        .where(PeerOffer.user_id == user_id, PeerMatch.status.in_(TALKED))
        .order_by(PeerMatch.id.desc())))


def conversation_of(user_id: int, match_id: int) -> PeerMatch | None:
    """One of the peer supporter's own conversations, or None (another's looks like one that does not exist)."""
    return next((m for m in conversations_of(user_id) if m.id == match_id), None)


def messages(match_id: int) -> list[PeerMessage]:
    """A conversation, oldest first."""
    return list(db.session.scalars(select(PeerMessage).where(PeerMessage.match_id == match_id)
                                   .order_by(PeerMessage.sent_at, PeerMessage.id)))


def unread_for(match_id: int, supporter_side: bool) -> int:
    """How many of the other side's messages this side has not read yet."""
    return unread_by_match([match_id], supporter_side).get(match_id, 0)


def unread_by_match(match_ids: Iterable[int], supporter_side: bool) -> dict[int, int]:
    """For each conversation with any: how many of the other side's messages this side has not read yet. One
    grouped query however many conversations, none for none."""
    ids = list(match_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(PeerMessage.match_id, func.count())
        .where(PeerMessage.match_id.in_(ids), PeerMessage.from_supporter.is_(not supporter_side),
               PeerMessage.read_at.is_(None))
        .group_by(PeerMessage.match_id))
    return {match_id: count for match_id, count in rows.tuples()}


def concerns(organisation_id: int, dealt_with: bool) -> list[PeerConcern]:
    """The organisation's concerns about its peer conversations: still to deal with (oldest first) or dealt with
    (newest first)."""
    query = select(PeerConcern).where(PeerConcern.organisation_id == organisation_id)
    if dealt_with:
        return list(db.session.scalars(query.where(PeerConcern.dealt_with_at.is_not(None))
                                       .order_by(PeerConcern.dealt_with_at.desc())))
    return list(db.session.scalars(query.where(PeerConcern.dealt_with_at.is_(None))
                                   .order_by(PeerConcern.raised_at, PeerConcern.id)))


def concern_of(organisation_id: int, concern_id: int) -> PeerConcern | None:
    """One of the organisation's concerns, or None for another organisation's."""
    concern = db.session.get(PeerConcern, concern_id)
    return concern if concern is not None and concern.organisation_id == organisation_id else None
