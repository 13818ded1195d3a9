"""The Victims' Code clock: open, meet and read the deadlines on a case.

Callers commit as part of their own transaction.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.cases.enums import DeadlineKind
from portal.cases.models import Report, VictimsCodeDeadline
from portal.cases.working_days import add_working_days
from portal.clock import utcnow
from portal.extensions import db

KEY_EVENT_DAYS = 5
KEY_EVENT_DAYS_ENHANCED = 1
NFI_DAYS = 5
SUPPORT_REFERRAL_DAYS = 2


def _open(report: Report, kind: DeadlineKind, description: str, starts_at: datetime, due_at: datetime,
          met_at: datetime | None = None) -> VictimsCodeDeadline:
    """Add a deadline to the case."""
    deadline = VictimsCodeDeadline(report_id=report.id, kind=kind, description=description, starts_at=starts_at,
                                   due_at=due_at, met_at=met_at)
    db.session.add(deadline)
    return deadline


def open_submission_deadlines(report: Report) -> None:
    """The promises made the moment a report arrives."""
    submitted = report.submitted_at
    _open(report, DeadlineKind.TRIAGE, "Review the report", submitted, report.triage_due_at)
    _open(report, DeadlineKind.FIRST_RESPONSE, "First contact with the person who reported", submitted,
          report.response_due_at)
    if not report.is_information_report:
        _open(report, DeadlineKind.SUPPORT_REFERRAL, "Offer a referral to support services", submitted,
              add_working_days(submitted, SUPPORT_REFERRAL_DAYS))


def meet(report: Report, kind: DeadlineKind, when: datetime | None = None) -> None:
    """Mark the case's open deadlines of this kind as met."""
    when = when or utcnow()
    for deadline in db.session.scalars(select(VictimsCodeDeadline).where(
            VictimsCodeDeadline.report_id == report.id, VictimsCodeDeadline.kind == kind,
            VictimsCodeDeadline.met_at.is_(None))):
        deadline.met_at = when


def record_key_event(report: Report, description: str, happened_at: datetime, told_victim: bool) -> None:
    """A key event: the victim must be told within 5 working days, or 1 with enhanced rights."""
    days = KEY_EVENT_DAYS_ENHANCED if report.enhanced_rights else KEY_EVENT_DAYS
    _open(report, DeadlineKind.KEY_EVENT, f"Tell the victim: {description}", happened_at,
          add_working_days(happened_at, days), utcnow() if told_victim else None)


def record_decision_not_to_investigate(report: Report, decided_at: datetime, told_victim: bool) -> None:
    """The victim must be told of a decision not to investigate within 5 working days."""
    _open(report, DeadlineKind.DECISION_NOT_TO_INVESTIGATE, "Tell the victim the decision not to investigate",
          decided_at, add_working_days(decided_at, NFI_DAYS), utcnow() if told_victim else None)


def victim_was_updated(report: Report, when: datetime | None = None) -> None:
    """Any update the victim can see: meets the first response and the routine update, and sets the next one."""
    when = when or utcnow()
    meet(report, DeadlineKind.FIRST_RESPONSE, when)
    meet(report, DeadlineKind.ROUTINE_UPDATE, when)
    if report.first_response_at is None:
        report.first_response_at = when
    _open(report, DeadlineKind.ROUTINE_UPDATE, f"Routine update (every {report.update_every_days} days)", when,
          when + timedelta(days=report.update_every_days))


def cancel_open(report: Report, kind: DeadlineKind) -> None:
    """Drop the case's unmet promises of this kind (no longer owed, so neither met nor late)."""
    for deadline in db.session.scalars(select(VictimsCodeDeadline).where(
            VictimsCodeDeadline.report_id == report.id, VictimsCodeDeadline.kind == kind,
            VictimsCodeDeadline.met_at.is_(None))):
        db.session.delete(deadline)


def close_routine_updates(report: Report) -> None:
    """A closed case needs no more routine updates."""
    cancel_open(report, DeadlineKind.ROUTINE_UPDATE)


def deadlines_for(report_id: int) -> list[VictimsCodeDeadline]:
    """Every deadline on a case, earliest due first."""
    return list(db.session.scalars(select(VictimsCodeDeadline).where(VictimsCodeDeadline.report_id == report_id)
                                   .order_by(VictimsCodeDeadline.due_at)))


def state(deadline: VictimsCodeDeadline, now: datetime | None = None) -> str:
    """'met', 'met late', 'overdue' or 'due'."""
    now = now or utcnow()
    if deadline.met_at is not None:
        return "met" if deadline.met_at <= deadline.due_at else "met late"
    return "overdue" if now > deadline.due_at else "due"
