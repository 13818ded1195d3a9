"""Read-only queries for the 'Your data' pages. Only ever about the signed-in person's own data."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import selectinload

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import EvidenceFile, Report, TimelineEvent, VictimsCodeDeadline, WitnessLink
from portal.extensions import db
from portal.i18n import N_
from portal.messages.models import ReferralMessage, WitnessMessage
from portal.notifications.models import OutboxMessage
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.match_models import PeerConcern, PeerMatch, PeerMessage
from portal.peers.models import PeerOffer, PeerSupporter
from portal.reporting.models import ReportDraft
from portal.support.models import Consent, NeedsAssessment, Organisation, Referral
from portal.surveys.models import CheckIn, Survey
from portal.tasks.enums import Asker
from portal.tasks.models import Task
from portal.tracking.models import CourtAvailability

# The requests that are the person's own (the service raises some for them); staff's own tasks are not.
PERSON_ASKERS = (Asker.VICTIM, Asker.SYSTEM)

VIEW_ACTIONS = ("case.viewed", "evidence.viewed")
VIEWS_SHOWN = 200

# Whom a person is told looked at their case: the organisation, never the individual.
ORGANISATION = {
    Role.OFFICER: "Police",
    Role.SUPERVISOR: "Police",
    Role.PARTNER: "Support organisation",
    Role.ADMIN: "Administrator",
}
UNKNOWN_ORGANISATION = "A member of staff"
WHAT_WAS_VIEWED = {
    "case.viewed": "The case",
    "evidence.viewed": "A file you uploaded",
}


@dataclass(frozen=True)
class Viewing:
    """One time someone looked at one of the person's cases."""

    occurred_at: datetime
    crime_number: str
    organisation: str
    what: str


def _own_crime_numbers(user: User):
    """The crime numbers linked to this account, as a subquery."""
    return select(Report.crime_number).where(Report.reporter_user_id == user.id).scalar_subquery()


def linked_reports(user: User) -> list[Report]:
    """Reports linked to this account, oldest first, with their property and files loaded."""
    return list(db.session.scalars(
        select(Report).where(Report.reporter_user_id == user.id)
        .options(selectinload(Report.property_items), selectinload(Report.evidence))
        .order_by(Report.submitted_at, Report.id)
    ))


def victim_events(report_ids: list[int]) -> dict[int, list[TimelineEvent]]:
    """The victim-visible timeline of each report, oldest first. Internal events are never loaded."""
    events: dict[int, list[TimelineEvent]] = {report_id: [] for report_id in report_ids}
    if not report_ids:
        return events
    rows = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.report_id.in_(report_ids), TimelineEvent.visible_to_victim.is_(True))
        .order_by(TimelineEvent.occurred_at, TimelineEvent.id)
    )
    for event in rows:
        events[event.report_id].append(event)
    return events


def drafts(user: User) -> list[ReportDraft]:
    """Unfinished reports saved against this account, oldest first."""
    return list(db.session.scalars(
        select(ReportDraft).where(ReportDraft.user_id == user.id).order_by(ReportDraft.last_saved_at, ReportDraft.id)
    ))


def draft_files(draft_ids: list[int]) -> dict[int, list[EvidenceFile]]:
    """Files uploaded to each unfinished report."""
    files: dict[int, list[EvidenceFile]] = {draft_id: [] for draft_id in draft_ids}
    if not draft_ids:
        return files
    for item in db.session.scalars(select(EvidenceFile).where(EvidenceFile.draft_id.in_(draft_ids),
                                                              EvidenceFile.report_id.is_(None))
                                   .order_by(EvidenceFile.id)):
        if item.draft_id is not None:  # always: the query matches draft_id IN (...), which NULL never does
            files[item.draft_id].append(item)
    return files


def peer_offers(user: User) -> list[tuple[PeerOffer, str]]:
    """The person's offers to be a peer supporter (withdrawn ones too), oldest first, each with the crime number of
    the case it came from; the organisations' records load with them."""
    rows = db.session.execute(
        select(PeerOffer, Report.crime_number).join(Report, Report.id == PeerOffer.report_id)
        .options(selectinload(PeerOffer.supporters))
        .where(PeerOffer.user_id == user.id).order_by(PeerOffer.consented_at, PeerOffer.id))
    return [(offer, crime_number) for offer, crime_number in rows]


# The pairings a peer supporter's download holds: the conversations they were part of (the person agreed), as on
# their conversations page; never a suggestion the person did not take up, which holds nothing of theirs to give.
SUPPORTER_PAIRINGS = (MatchStatus.AGREED, MatchStatus.PAUSED, MatchStatus.ENDED)


@dataclass(frozen=True)
class PeerPairing:
    """One one-to-one peer support pairing, from the side of the person downloading: the person referred or the
    peer supporter. Only their own messages both ways and the concerns they themselves reported."""

    match: PeerMatch
    side: Side
    messages: list[PeerMessage]
    concerns: list[PeerConcern]


def peer_pairings(user: User) -> list[PeerPairing]:
    """The person's one-to-one peer support pairings on either side, oldest first: as the person referred (on their
    own cases' referrals, every pairing proposed to them) and as a peer supporter (the conversations on their own
    offers). With the messages of each and the concerns this side reported (never those reported about them). Four
    queries."""
    as_person = db.session.scalars(
        select(PeerMatch).join(Referral, Referral.id == PeerMatch.referral_id)
        .join(Report, Report.id == Referral.report_id)
        .where(Report.reporter_user_id == user.id, Referral.witness_link_id.is_(None)))
    as_supporter = db.session.scalars(
        select(PeerMatch).join(PeerSupporter, PeerSupporter.id == PeerMatch.supporter_id)
        .join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
        .where(PeerOffer.user_id == user.id, PeerMatch.status.in_(SUPPORTER_PAIRINGS)))
    sides = {match.id: (match, Side.PERSON) for match in as_person}
    sides.update({match.id: (match, Side.SUPPORTER) for match in as_supporter})
    if not sides:
        return []
    messages: defaultdict[int, list[PeerMessage]] = defaultdict(list)
    for message in db.session.scalars(select(PeerMessage).where(PeerMessage.match_id.in_(sides))
                                      .order_by(PeerMessage.sent_at, PeerMessage.id)):
        messages[message.match_id].append(message)
    concerns: defaultdict[int, list[PeerConcern]] = defaultdict(list)
    for concern in db.session.scalars(select(PeerConcern).where(PeerConcern.match_id.in_(sides))
                                      .order_by(PeerConcern.raised_at, PeerConcern.id)):
        if concern.raised_by == sides[concern.match_id][1]:
            concerns[concern.match_id].append(concern)
    found = [PeerPairing(match, side, messages[match_id], concerns[match_id])
             for match_id, (match, side) in sides.items()]
    return sorted(found, key=lambda pairing: (pairing.match.proposed_at, pairing.match.id))


def emails(user: User) -> list[OutboxMessage]:
    """Emails sent (or waiting to be sent) to this account's address, oldest first."""
    return list(db.session.scalars(
        select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == user.email.lower())
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ))


REFERRAL_READS = {
    "referral.viewed": N_("Your referral to them"),
    "referral.exported": N_("Your referral to them, in a download of their referrals"),
    "referral.progress_viewed": N_("How your case is going, which you agreed to share with them"),
    "referral.messages_viewed": N_("Your messages with them"),
}
# Reads of one referral (its reference is the audit's object).
ONE_REFERRAL_READS = ("referral.viewed", "referral.progress_viewed", "referral.messages_viewed")


def _referral_reads(user: User, limit: int) -> list[Viewing]:
    """Support organisations' reads of the referrals on the person's cases (a referral opened, how the case is going
    or the messages with them read, or a referral included in a download of the organisation's referrals), named by
    the organisation. One query."""
    rows = db.session.execute(
        select(AuditEvent.occurred_at, Report.crime_number, AuditEvent.action, Organisation.name)
        .join(Referral, or_(
            and_(AuditEvent.action.in_(ONE_REFERRAL_READS), AuditEvent.object_type == "referral",
                 AuditEvent.object_id == Referral.reference),
            and_(AuditEvent.action == "referral.exported", AuditEvent.object_type == "organisation",
                 AuditEvent.object_id == cast(Referral.organisation_id, String),
                 Referral.sent_at.is_not(None), Referral.sent_at <= AuditEvent.occurred_at)))
        .join(Report, Report.id == Referral.report_id)
        .join(Organisation, Organisation.id == Referral.organisation_id)
        .where(Report.reporter_user_id == user.id, Referral.witness_link_id.is_(None))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [Viewing(occurred_at=occurred_at, crime_number=crime_number, organisation=organisation,
                    what=REFERRAL_READS[action])
            for occurred_at, crime_number, action, organisation in rows]


PEER_OFFER_READ = N_("Your offer to be a peer supporter (not your case)")


def _peer_offer_reads(user: User, limit: int) -> list[Viewing]:
    """Organisations' reads of the person's offers to be a peer supporter, named by the organisation, with the
    crime number of the case the offer came from (the organisation never sees it). One query."""
    rows = db.session.execute(
        select(AuditEvent.occurred_at, Report.crime_number, Organisation.name)
        .join(PeerSupporter, and_(AuditEvent.action == "peer_offer.viewed", AuditEvent.object_type == "peer_supporter",
                                  AuditEvent.object_id == cast(PeerSupporter.id, String)))
        .join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
        .join(Report, Report.id == PeerOffer.report_id)
        .join(Organisation, Organisation.id == PeerSupporter.organisation_id)
        .where(PeerOffer.user_id == user.id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [Viewing(occurred_at=occurred_at, crime_number=crime_number, organisation=organisation,
                    what=PEER_OFFER_READ)
            for occurred_at, crime_number, organisation in rows]


def case_viewers(user: User, limit: int = VIEWS_SHOWN) -> list[Viewing]:
    """Who has looked at the person's cases, newest first, named only by organisation (police, administrator,
    or the support organisation by its name), and at their offer to be a peer supporter. Three queries."""
    rows = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.object_id, AuditEvent.action, User.role)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.action.in_(VIEW_ACTIONS), AuditEvent.object_type == "report",
               AuditEvent.object_id.in_(_own_crime_numbers(user)))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    staff = [Viewing(occurred_at=occurred_at, crime_number=crime_number,
                     organisation=ORGANISATION.get(role, UNKNOWN_ORGANISATION), what=WHAT_WAS_VIEWED[action])
             for occurred_at, crime_number, action, role in rows]
    both = staff + _referral_reads(user, limit) + _peer_offer_reads(user, limit)
    return sorted(both, key=lambda viewing: viewing.occurred_at, reverse=True)[:limit]


def own_crime_numbers(user: User) -> list[str]:
    """The crime numbers linked to this account, oldest first."""
    return list(db.session.scalars(select(Report.crime_number).where(Report.reporter_user_id == user.id)
                                   .order_by(Report.submitted_at, Report.id)))


@dataclass(frozen=True)
class CaseRecords:
    """What else hangs from one report: the promises made, support, surveys and check-ins, oldest first."""

    deadlines: list[VictimsCodeDeadline]
    assessments: list[NeedsAssessment]
    consents: list[Consent]
    referrals: list[Referral]
    surveys: list[Survey]
    check_ins: list[CheckIn]
    requests: list[Task]


def _by_report(query) -> defaultdict[int, list]:
    """The rows a query finds, grouped by their report."""
    grouped: defaultdict[int, list] = defaultdict(list)
    for row in db.session.scalars(query).unique():
        grouped[row.report_id].append(row)
    return grouped


def case_records(report_ids: list[int]) -> dict[int, CaseRecords]:
    """Each report's other records: seven queries for all the reports (and one for the referrals' histories)."""
    if not report_ids:
        return {}
    deadlines = _by_report(select(VictimsCodeDeadline).where(VictimsCodeDeadline.report_id.in_(report_ids))
                           .order_by(VictimsCodeDeadline.due_at, VictimsCodeDeadline.id))
    # The victim's own support only: a witness's on the same case is the witness's (in their witness_cases).
    assessments = _by_report(select(NeedsAssessment).where(NeedsAssessment.report_id.in_(report_ids),
                                                           NeedsAssessment.witness_link_id.is_(None))
                             .order_by(NeedsAssessment.id))
    consents = _by_report(select(Consent).where(Consent.report_id.in_(report_ids), Consent.witness_link_id.is_(None))
                          .order_by(Consent.given_at, Consent.id))
    referrals = _by_report(select(Referral).where(Referral.report_id.in_(report_ids),
                                                  Referral.witness_link_id.is_(None))
                           .options(selectinload(Referral.events)).order_by(Referral.created_at, Referral.id))
    surveys = _by_report(select(Survey).where(Survey.report_id.in_(report_ids)).order_by(Survey.invited_at, Survey.id))
    check_ins = _by_report(select(CheckIn).where(CheckIn.report_id.in_(report_ids), CheckIn.witness_link_id.is_(None))
                           .order_by(CheckIn.due_at, CheckIn.id))
    requests = _by_report(select(Task).where(Task.report_id.in_(report_ids), Task.asker.in_(PERSON_ASKERS))
                          .order_by(Task.raised_at, Task.id))
    return {report_id: CaseRecords(deadlines[report_id], assessments[report_id], consents[report_id],
                                   referrals[report_id], surveys[report_id], check_ins[report_id],
                                   requests[report_id])
            for report_id in report_ids}


def witness_links(user: User) -> list[tuple[WitnessLink, Report]]:
    """The cases this person follows as a witness, with the link that joined them, newest case first."""
    return list(db.session.execute(
        select(WitnessLink, Report).join(Report, Report.id == WitnessLink.report_id)
        .where(WitnessLink.witness_user_id == user.id).order_by(Report.submitted_at.desc(), WitnessLink.id)
    ).tuples())


def court_answers(link_ids: list[int]) -> dict[int, list[tuple[CourtAvailability, TimelineEvent]]]:
    """Each witness link's answers about court hearings, with the hearing, oldest first."""
    answers: dict[int, list[tuple[CourtAvailability, TimelineEvent]]] = {link_id: [] for link_id in link_ids}
    if not link_ids:
        return answers
    for answer, hearing in db.session.execute(
            select(CourtAvailability, TimelineEvent).join(TimelineEvent,
                                                          TimelineEvent.id == CourtAvailability.hearing_event_id)
            .where(CourtAvailability.witness_link_id.in_(link_ids))
            .order_by(CourtAvailability.answered_at, CourtAvailability.id)).tuples():
        answers[answer.witness_link_id].append((answer, hearing))
    return answers


def witness_messages(link_ids: list[int]) -> dict[int, list[WitnessMessage]]:
    """Each witness link's messages with witness care, oldest first."""
    messages: dict[int, list[WitnessMessage]] = {link_id: [] for link_id in link_ids}
    if link_ids:
        for message in db.session.scalars(select(WitnessMessage).where(WitnessMessage.witness_link_id.in_(link_ids))
                                          .order_by(WitnessMessage.sent_at, WitnessMessage.id)):
            messages[message.witness_link_id].append(message)
    return messages


def support_messages(user: User) -> dict[int, list[ReferralMessage]]:
    """The messages between the person and the organisations their own referrals went to, by referral, oldest
    first. One query."""
    messages: defaultdict[int, list[ReferralMessage]] = defaultdict(list)
    for message in db.session.scalars(
            select(ReferralMessage).join(Referral, Referral.id == ReferralMessage.referral_id)
            .join(Report, Report.id == Referral.report_id)
            .where(Report.reporter_user_id == user.id, Referral.witness_link_id.is_(None))
            .order_by(ReferralMessage.sent_at, ReferralMessage.id)):
        messages[message.referral_id].append(message)
    return messages


@dataclass(frozen=True)
class WitnessSupport:
    """A witness's own support on one case."""

    assessments: list[NeedsAssessment]
    consents: list[Consent]
    referrals: list[Referral]
    check_ins: list[CheckIn]


def witness_support(link_ids: list[int]) -> dict[int, WitnessSupport]:
    """Each witness link's own assessments, consents, referrals (with their histories) and the check-ins of those
    referrals, oldest first."""
    found = {link_id: WitnessSupport([], [], [], []) for link_id in link_ids}
    if not link_ids:
        return found
    for assessment in db.session.scalars(select(NeedsAssessment).where(NeedsAssessment.witness_link_id.in_(link_ids))
                                         .order_by(NeedsAssessment.id)):
        if assessment.witness_link_id is not None:
            found[assessment.witness_link_id].assessments.append(assessment)
    for consent in db.session.scalars(select(Consent).where(Consent.witness_link_id.in_(link_ids))
                                      .order_by(Consent.given_at, Consent.id)):
        if consent.witness_link_id is not None:
            found[consent.witness_link_id].consents.append(consent)
    for referral in db.session.scalars(select(Referral).where(Referral.witness_link_id.in_(link_ids))
                                       .options(selectinload(Referral.events))
                                       .order_by(Referral.created_at, Referral.id)):
        if referral.witness_link_id is not None:
            found[referral.witness_link_id].referrals.append(referral)
    for check_in in db.session.scalars(select(CheckIn).where(CheckIn.witness_link_id.in_(link_ids))
                                       .order_by(CheckIn.due_at, CheckIn.id)):
        if check_in.witness_link_id is not None:
            found[check_in.witness_link_id].check_ins.append(check_in)
    return found
