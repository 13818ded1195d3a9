"""Answering a survey or a check-in, and what the victim's (or a witness's) case page shows of them.

Each invitation is answered once: the answer is written with a guarded update, so a second answer (a double
click, or two tabs) is refused rather than overwriting the first.

Check-ins are one person's: the victim's (no witness link) or, for a witness's own referral, that witness's
(`whose`). Every read and answer here names whose it wants, so the victim never sees or answers a witness's
check-in, nor a witness the victim's or another witness's. Surveys are only ever the victim's.
"""

import typing
from dataclasses import dataclass, field

from sqlalchemy import String, and_, cast, exists, literal, or_, select, union_all, update
from sqlalchemy.engine import CursorResult

from portal.audit.services import record_audit
from portal.cases.access import require_person, require_victim
from portal.cases.models import Report, WitnessLink
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import N_
from portal.support.enums import ReferralStatus
from portal.support.models import Referral, whose
from portal.surveys import comparison
from portal.surveys.models import CHECK_IN_WEEKS, SCALE, CheckIn, Survey, SurveyKind

SURVEY_QUESTIONS = ("overall", "kept_informed", "treated_fairly", "ease_of_reporting")
CHECK_IN_ITEMS = ("coping", "safety", "wellbeing", "confidence", "daily_life")
COMMENT_MAX = 2000


@dataclass
class Invitations:
    """What the case page prompts for: surveys and check-ins offered and not answered yet."""

    surveys: list[SurveyKind] = field(default_factory=list)
    check_in_weeks: list[int] = field(default_factory=list)  # newest first

    @property
    def latest_check_in(self) -> int | None:
        """The one check-in the page asks about (an older one left unanswered is not pressed again)."""
        return self.check_in_weeks[0] if self.check_in_weeks else None


def survey_kind(value: str) -> SurveyKind | None:
    """The survey kind named in an address, or None."""
    try:
        return SurveyKind(value)
    except ValueError:
        return None


def _check_in_stands():
    """The check-in's referral still stands, or it is for the comparison sample and the case has not been referred
    since: only those check-ins are asked and answered."""
    referral_stands = exists().where(Referral.id == CheckIn.referral_id, Referral.status != ReferralStatus.WITHDRAWN)
    return or_(referral_stands, and_(CheckIn.draw_id.is_not(None), comparison.still_in_comparison()))


def survey_for(report_id: int, kind: SurveyKind) -> Survey | None:
    """The survey offered on this case for this event, answered or not."""
    return db.session.scalar(select(Survey).where(Survey.report_id == report_id, Survey.kind == kind,
                                                  Survey.invited_at.is_not(None)))


def check_ins_for(report_id: int, weeks: int, witness_link_id: int | None = None) -> list[CheckIn]:
    """One person's check-ins offered on this case at this many weeks (one per referral, or the comparison
    sample's), answered or not: the victim's, or the witness's with this link."""
    if weeks not in CHECK_IN_WEEKS:
        return []
    return list(db.session.scalars(
        select(CheckIn)
        .where(CheckIn.report_id == report_id, whose(CheckIn, witness_link_id), CheckIn.weeks == weeks,
               CheckIn.invited_at.is_not(None), _check_in_stands())
        .order_by(CheckIn.id)))


def _open_check_ins(report_id: int, witness_link_id: int | None):
    return (select(literal("check_in").label("what"), cast(CheckIn.weeks, String(20)).label("which"))
            .where(CheckIn.report_id == report_id, whose(CheckIn, witness_link_id), CheckIn.invited_at.is_not(None),
                   CheckIn.answered_at.is_(None), _check_in_stands()))


def open_invitations(report_id: int) -> Invitations:
    """The victim's surveys and check-ins waiting for an answer on this case, read in one statement."""
    surveys = select(literal("survey").label("what"), cast(Survey.kind, String(20)).label("which")).where(
        Survey.report_id == report_id, Survey.invited_at.is_not(None), Survey.answered_at.is_(None))
    invitations = Invitations()
    for what, which in db.session.execute(union_all(surveys, _open_check_ins(report_id, None))):
        if what == "survey" and survey_kind(which):
            invitations.surveys.append(SurveyKind(which))
        elif what == "check_in":
            invitations.check_in_weeks.append(int(which))
    order = list(SurveyKind)
    invitations.surveys.sort(key=order.index)
    invitations.check_in_weeks = sorted(set(invitations.check_in_weeks), reverse=True)
    return invitations


def witness_invitations(report_id: int, witness_link_id: int) -> Invitations:
    """A witness's own check-ins waiting for an answer on this case (a witness is never sent surveys)."""
    weeks = db.session.scalars(_open_check_ins(report_id, witness_link_id).with_only_columns(CheckIn.weeks))
    return Invitations(check_in_weeks=sorted(set(weeks), reverse=True))


def _clean_scores(scores: dict, names: tuple[str, ...]) -> dict[str, int | None]:
    """Every answer is one of the scale's points, or not given."""
    unknown = set(scores) - set(names)
    if unknown:
        raise ValueError(f"unknown questions: {sorted(unknown)}")
    cleaned = {}
    for name in names:
        value = scores.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value not in SCALE):
            raise DomainError(N_("Select one of the answers"), field=name)
        cleaned[name] = value
    return cleaned


def _clean_comment(comment: str | None) -> str | None:
    text = (comment or "").replace("\x00", "").strip()
    if len(text) > COMMENT_MAX:
        raise DomainError(N_("Your answer must be %(max)d characters or fewer"), field="comment", max=COMMENT_MAX)
    return text or None


def answer_survey(user, report: Report, kind: SurveyKind | str, scores: dict, comment: str | None = None) -> None:
    """The victim answers a survey they were offered. Every question is optional, but not all of them at once."""
    require_victim(user, report)
    chosen = survey_kind(kind)
    if chosen is None:
        raise DomainError(N_("There is no survey like that"))
    cleaned = _clean_scores(scores, SURVEY_QUESTIONS)
    text = _clean_comment(comment)
    if text is None and all(value is None for value in cleaned.values()):
        raise DomainError(N_("Answer at least one question. If you would rather not, you can skip this survey"),
                          field=SURVEY_QUESTIONS[0])
    # An UPDATE's result is a CursorResult, which has the rowcount (Session.execute is typed as a plain Result).
    written = typing.cast(CursorResult, db.session.execute(
        update(Survey).where(Survey.report_id == report.id, Survey.kind == chosen, Survey.invited_at.is_not(None),
                             Survey.answered_at.is_(None))
        .values(answered_at=utcnow(), comment=text, **cleaned).execution_options(synchronize_session=False)))
    if not written.rowcount:
        db.session.rollback()
        raise DomainError(N_("You have already answered this survey. Thank you"))
    record_audit(user.id, "survey.answered", "report", report.crime_number, chosen.value)
    db.session.commit()


def answer_check_in(user, report: Report, weeks: int, scores: dict, witness_link: WitnessLink | None = None) -> int:
    """One person answers their own check-in: the victim (no `witness_link`), or the witness the link joined, for
    the check-ins of their own referrals. With two referrals, one answer is about the person, so it answers both of
    that week's check-ins (each stays tied to its own organisation and level). Returns how many."""
    require_person(user, report, witness_link)
    link_id = witness_link.id if witness_link is not None else None
    if weeks not in CHECK_IN_WEEKS:
        raise DomainError(N_("There is no check-in like that"))
    cleaned = _clean_scores(scores, CHECK_IN_ITEMS)
    if all(value is None for value in cleaned.values()):
        raise DomainError(N_("Answer at least one question. If you would rather not, you can skip this for now"),
                          field=CHECK_IN_ITEMS[0])
    written = typing.cast(CursorResult, db.session.execute(
        update(CheckIn).where(CheckIn.report_id == report.id, whose(CheckIn, link_id), CheckIn.weeks == weeks,
                              CheckIn.invited_at.is_not(None), CheckIn.answered_at.is_(None),
                              _check_in_stands())
        .values(answered_at=utcnow(), **cleaned).execution_options(synchronize_session=False)))
    if not written.rowcount:
        db.session.rollback()
        raise DomainError(N_("You have already answered these questions. Thank you"))
    if witness_link is None:
        record_audit(user.id, "check_in.answered", "report", report.crime_number, f"{weeks} weeks")
    else:
        record_audit(user.id, "check_in.answered_by_witness", "report", report.crime_number, f"{weeks} weeks")
    db.session.commit()
    return written.rowcount
