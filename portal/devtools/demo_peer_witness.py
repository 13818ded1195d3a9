"""Demo data for issue 24's witnesses and talk times: the demo witness's own support on the court case, referred
with consent 13 weeks ago and finished, with their own check-ins at 0, 4 and 12 weeks answered, so they can offer to
help others from their support page; the same witness on a second case, referred 4 weeks ago, so the survey job
offers them their own 4-week check-in there; and the times the demo victim gave when asking for one-to-one peer
support on the case still waiting for a peer supporter."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.services import get_user_by_email
from portal.cases.enums import CaseStatus
from portal.cases.models import Report, WitnessLink
from portal.clock import utcnow
from portal.extensions import db
from portal.support import assessments, referrals
from portal.support.enums import ReferralStatus, ServiceKind
from portal.support.models import Organisation, Referral, SupportService
from portal.support.recommendation import Impact, NeedsAnswers
from portal.surveys.models import CHECK_IN_WEEKS, CheckIn
from portal.tracking import witnesses

WITNESS_EMAIL = "witness@example.org"
# Long enough ago that the referral's 12-week check-in has fallen due.
WEEKS_AGO = 13
# The witness's answers at 0, 4 and 12 weeks: coping, safety, wellbeing, confidence, daily life (1 to 5).
ANSWERS = {0: (2, 3, 2, 3, 2), 4: (3, 3, 3, 3, 3), 12: (4, 4, 4, 3, 4)}


def _answered_check_ins(referral: Referral) -> None:
    """The witness's own check-ins on their referral, each answered the day after it was offered (any missing)."""
    have = set(db.session.scalars(select(CheckIn.weeks).where(CheckIn.referral_id == referral.id)))
    for weeks in CHECK_IN_WEEKS:
        if weeks in have:
            continue
        due = referral.sent_at + timedelta(weeks=weeks)
        coping, safety, wellbeing, confidence, daily_life = ANSWERS[weeks]
        db.session.add(CheckIn(referral_id=referral.id, report_id=referral.report_id,
                               witness_link_id=referral.witness_link_id, organisation_id=referral.organisation_id,
                               support_level=referral.support_level, weeks=weeks, due_at=due, invited_at=due,
                               answered_at=due + timedelta(days=1), coping=coping, safety=safety,
                               wellbeing=wellbeing, confidence=confidence, daily_life=daily_life))
    db.session.commit()


def _witness_service() -> SupportService | None:
    """Camden Victim Support's first active service run by staff (not peer support)."""
    camden = db.session.scalar(select(Organisation).where(Organisation.name == "Camden Victim Support"))
    if camden is None:
        return None
    return db.session.scalar(select(SupportService).where(
        SupportService.organisation_id == camden.id, SupportService.kind == ServiceKind.SERVICE,
        SupportService.active.is_(True)).order_by(SupportService.id).limit(1))


def demo_witness_support_finished() -> list[str]:
    """The demo witness's own assessment, choice and referral (sent 13 weeks ago, support completed). Only once."""
    witness = get_user_by_email(WITNESS_EMAIL)
    link = db.session.scalar(select(WitnessLink).where(WitnessLink.witness_user_id == witness.id)
                             .order_by(WitnessLink.id).limit(1)) if witness else None
    service = _witness_service()
    if witness is None or link is None or service is None:
        return []
    report = db.session.get(Report, link.report_id)
    where = f"/cases/{report.crime_number}/peer-support (sign in as {WITNESS_EMAIL})"
    existing = db.session.scalar(select(Referral).where(Referral.witness_link_id == link.id,
                                                        Referral.sent_at.is_not(None)).order_by(Referral.id).limit(1))
    if existing is not None:
        _answered_check_ins(existing)
        return [f"Demo witness's own support: already there, so they can offer to help others at {where}"]
    assessment = assessments.save_assessment(witness, report, NeedsAnswers(daily_life=Impact.A_LITTLE),
                                             witness_link=link)
    assessments.choose_level(witness, assessment, "contact", peer=False)
    referral = referrals.refer_with_consent(witness, report, service, "contact", ["category_and_dates"], link)
    sent = utcnow() - timedelta(weeks=WEEKS_AGO)
    referral.sent_at, referral.accepted_at = sent, sent + timedelta(days=1)
    referral.first_contact_at, referral.closed_at = sent + timedelta(days=2), sent + timedelta(weeks=8)
    referral.status, referral.reason_code = ReferralStatus.CLOSED, "support_completed"
    db.session.commit()
    _answered_check_ins(referral)
    return [f"Demo witness's own support: {referral.reference} finished {WEEKS_AGO - 8} weeks ago and their 12-week "
            f"check-in is answered, so they can offer to help others at {where}"]


def demo_witness_check_in_due(victim, officer) -> list[str]:
    """The demo witness also follows the demo victim's case under investigation, where they were referred for
    support of their own 4 weeks and a day ago: the survey job (run next by the demo) offers them their 4-week
    check-in there, by their own channel. Only once."""
    witness = get_user_by_email(WITNESS_EMAIL)
    service = _witness_service()
    if witness is None or victim is None or officer is None or service is None:
        return []
    report = db.session.scalar(select(Report).where(Report.reporter_user_id == victim.id,
                                                    Report.status == CaseStatus.UNDER_INVESTIGATION,
                                                    Report.safeguarding.is_(False)).order_by(Report.id).limit(1))
    if report is None:
        return []
    where = f"/cases/{report.crime_number} (sign in as {WITNESS_EMAIL})"
    link = db.session.scalar(select(WitnessLink).where(WitnessLink.report_id == report.id,
                                                       WitnessLink.witness_user_id == witness.id))
    if link is not None:
        return [f"Demo witness's own check-in: already there, at {where}"]
    witnesses.join_case(witness, witnesses.invite_witness(officer, report, witness.email), report.crime_number)
    link = db.session.scalar(select(WitnessLink).where(WitnessLink.report_id == report.id,
                                                       WitnessLink.witness_user_id == witness.id))
    assessment = assessments.save_assessment(witness, report, NeedsAnswers(daily_life=Impact.QUITE_A_LOT),
                                             witness_link=link)
    assessments.choose_level(witness, assessment, "contact", peer=False)
    referral = referrals.refer_with_consent(witness, report, service, "contact", ["category_and_dates"], link)
    sent = utcnow() - timedelta(weeks=4, days=1)
    referral.sent_at, referral.accepted_at, referral.first_contact_at = sent, sent + timedelta(days=1), \
        sent + timedelta(days=2)
    referral.status = ReferralStatus.ACCEPTED
    db.session.commit()
    return [f"Demo witness's own 4-week check-in, on their referral {referral.reference} (offered by the survey "
            f"job): {where}"]


def demo_talk_times(victim, crime_number: str | None) -> list[str]:
    """On the demo victim's case waiting for a peer supporter: they asked for one-to-one peer support at weekday
    evenings (the demo peer supporter's time too)."""
    report = db.session.scalar(select(Report).where(Report.crime_number == crime_number)) if crime_number else None
    if victim is None or report is None or report.reporter_user_id != victim.id:
        return []
    latest = assessments.latest_assessment(report.id)
    if latest is not None and latest.peer_times:
        return []
    if latest is None:
        latest = assessments.save_assessment(victim, report, NeedsAnswers(daily_life=Impact.A_LITTLE))
    assessments.choose_level(victim, latest, latest.chosen_level or "information", latest.wants_peer,
                             one_to_one=True, times=["weekday_evenings"])
    return [f"  {crime_number}: the person can usually talk on weekday evenings (shown on the pairing page)"]


