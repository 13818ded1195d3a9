"""Needs assessments and the person's choice of support level: the only code that writes them.

A victim's assessment has no witness link; a witness's has theirs, and is theirs alone (see `latest_assessment`)."""

from collections.abc import Iterable
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.cases import victims_code
from portal.cases.access import require_person
from portal.cases.enums import DeadlineKind
from portal.cases.models import Report, VictimsCodeDeadline, WitnessLink
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.services import queue_for_reporter
from portal.support.enums import ANY_TIME, Availability
from portal.support.models import NeedsAssessment, whose
from portal.support.recommendation import NeedsAnswers, SupportLevel, recommend

LEVEL_NAMES = {SupportLevel.INFORMATION: "information", SupportLevel.CONTACT: "contact",
               SupportLevel.SPECIALIST: "specialist"}
CHOOSABLE_LEVELS = ("information", "contact", "specialist")
LEVEL_WORDS = {
    "information": N_("Information to help yourself"),
    "contact": N_("A call from a support worker"),
    "specialist": N_("Ongoing support from a specialist or advocate"),
    "peer": N_("A peer-support group"),
    "restorative": N_("Contact from the restorative justice service"),
}
CONTACT_METHODS = ("phone", "text", "email", "video")
TEXT_MAX = 200


def _answers_json(answers: NeedsAnswers) -> dict:
    data = asdict(answers)
    data["daily_life"] = int(answers.daily_life)
    data["feelings"] = int(answers.feelings)
    data["practical_needs"] = sorted(answers.practical_needs)
    return data


def save_assessment(user: User, report: Report, answers: NeedsAnswers, *, language: str | None = None,
                    interpreter: bool = False, bsl: bool = False, easy_read: bool = False,
                    step_free: bool = False, online_only: bool = False, contact_method: str | None = None,
                    contact_time: str | None = None,
                    witness_link: WitnessLink | None = None) -> NeedsAssessment:
    """Record the person's answers and the recommendation. A victim taking it meets the promise to offer support."""
    try:
        require_person(user, report, witness_link)
        if contact_method and contact_method not in CONTACT_METHODS:
            raise DomainError(N_("Select how you would like to be contacted"), field="contact_method")
        contact_time = (contact_time or "").strip() or None
        if contact_time and len(contact_time) > TEXT_MAX:
            raise DomainError(N_("The best time must be %(max)d characters or fewer"), field="contact_time",
                                  max=TEXT_MAX)
        language = (language or "").strip().lower() or None
        if language and len(language) > 10:
            raise DomainError(N_("Select a language from the list"), field="language")
    except DomainError:
        db.session.rollback()
        raise
    advice = recommend(answers)
    now = utcnow()
    assessment = NeedsAssessment(
        report_id=report.id, witness_link_id=witness_link.id if witness_link else None,
        answers=_answers_json(answers), recommended_level=LEVEL_NAMES[advice.level],
        recommended_peer=advice.peer, reasons=list(advice.reasons), language=language, interpreter=interpreter,
        bsl=bsl, easy_read=easy_read, step_free=step_free, online_only=online_only, contact_method=contact_method,
        contact_time=contact_time)
    db.session.add(assessment)
    if witness_link is None:
        victims_code.meet(report, DeadlineKind.SUPPORT_REFERRAL, now)
    record_audit(user.id, "support.assessed", "report", report.crime_number, "as a witness" if witness_link else None)
    db.session.commit()
    return assessment


def talk_times(ticked: Iterable[str] | None) -> list[str]:
    """When someone asking for one-to-one peer support could usually talk, in the list's order: ["any"] when they
    ticked any time (with or without other times), else the times they ticked. None ticked, or one not on the list,
    is an error."""
    allowed = [time.value for time in Availability]
    chosen = set(ticked or ())
    if not chosen or not chosen <= {*allowed, ANY_TIME}:
        raise DomainError(N_("Select when you could usually talk, or any time"), field="talk_times")
    if ANY_TIME in chosen:
        return [ANY_TIME]
    return [time for time in allowed if time in chosen]


def choose_level(user: User, assessment: NeedsAssessment, level: str, peer: bool,
                 one_to_one: bool = False, times: Iterable[str] | None = None) -> NeedsAssessment:
    """The person picks a level, which may differ from the one recommended. They can change it later. A victim may
    also ask for one-to-one peer support (a witness may not: it is offered on the victim's own referrals), and then
    says when they could usually talk (`times`: Availability values or "any")."""
    report = db.session.get(Report, assessment.report_id)
    witness_link = db.session.get(WitnessLink, assessment.witness_link_id) if assessment.witness_link_id else None
    one_to_one = bool(one_to_one) and witness_link is None
    try:
        require_person(user, report, witness_link)
        if level not in CHOOSABLE_LEVELS:
            raise DomainError(N_("Select the support you want"), field="level")
        peer_times = talk_times(times) if one_to_one else None
    except DomainError:
        db.session.rollback()
        raise
    changed = assessment.chosen_level is not None
    assessment.chosen_level = level
    assessment.wants_peer = bool(peer)
    assessment.wants_peer_one_to_one = one_to_one
    assessment.peer_times = peer_times
    assessment.chosen_at = utcnow()
    words = N_("%(level)s, and a peer-support group.") if peer else N_("%(level)s.")
    if witness_link is None:  # witnesses share one timeline, so a witness's own support is not written on it
        add_timeline_event(report.id, "support", N_("You changed the support you want") if changed
                           else N_("You chose the support you want"), words, actor_id=user.id, victim=True,
                           values={"level": LEVEL_WORDS[level]})
    record_audit(user.id, "support.level_chosen", "report", report.crime_number,
                 f"{level} peer={bool(peer)} one_to_one={assessment.wants_peer_one_to_one}")
    db.session.commit()
    return assessment


def latest_assessment(report_id: int, witness_link_id: int | None = None) -> NeedsAssessment | None:
    """The assessment that counts: the most recent, of the victim (no link) or of the witness with this link."""
    return db.session.scalar(select(NeedsAssessment).where(NeedsAssessment.report_id == report_id,
                                                           whose(NeedsAssessment, witness_link_id))
                             .order_by(NeedsAssessment.id.desc()).limit(1))


def offer_support(report: Report) -> None:
    """Offer support to the person who reported, on the case page and by a neutral email, and meet the
    Victims' Code promise to do so within 2 working days. The caller commits."""
    add_timeline_event(report.id, "support_offer", N_("You can choose support"),
                       N_("Tell us how you are and we will suggest support that fits, from information to a "
                       "specialist or a peer-support group. It is your choice."), victim=True)
    if not report.safeguarding:
        queue_for_reporter(report, "support_offer", sign_in_link=absolute_url("auth.login"))
    victims_code.meet(report, DeadlineKind.SUPPORT_REFERRAL)


def send_due_offers(now=None, delay_minutes: int = 60, limit: int = 500) -> int:
    """Offer support on every case whose promise is still open an hour after reporting (people who took the
    assessment straight away have already met it). Idempotent: a met promise is not offered again."""

    now = now or utcnow()
    due = db.session.scalars(
        select(Report).join(VictimsCodeDeadline, VictimsCodeDeadline.report_id == Report.id)
        .where(VictimsCodeDeadline.kind == DeadlineKind.SUPPORT_REFERRAL, VictimsCodeDeadline.met_at.is_(None),
               Report.is_information_report.is_(False),
               VictimsCodeDeadline.starts_at <= now - timedelta(minutes=delay_minutes))
        .order_by(VictimsCodeDeadline.due_at).limit(limit)).all()
    for report in due:
        offer_support(report)
    db.session.commit()
    return len(due)
