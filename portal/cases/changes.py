"""The one way police staff change a case: validate, apply, write the timeline, start or stop the clocks,
queue the victim's notification and audit, in one transaction (triage and case management call it)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.cases import victims_code
from portal.cases.access import POLICE_ROLES
from portal.cases.enums import CaseStatus, DeadlineKind
from portal.cases.models import Report, SlaAlert
from portal.cases.timeline import add_timeline_event
from portal.cases.transitions import check_transition
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.notifications.services import notify_victim


class StaleReport(DomainError):
    """Someone else changed the report since this person opened it."""

    def __init__(self):
        super().__init__("This report changed while you were looking at it. Review the latest version and try again.")


@dataclass(frozen=True)
class Event:
    """What to write on the timeline, and who sees it."""

    kind: str
    title: str
    body: str | None
    victim: bool = False
    witness: bool = False
    reason_code: str | None = None
    values: dict | None = None  # for %(name)s in standard wording (see triage.services._worded)


def commit_change(actor: User, report: Report, expected_version: int, action: str, event: Event | None,
                  target: CaseStatus | None = None, detail: str | None = None,
                  roles: frozenset = POLICE_ROLES) -> Report:
    """Validate and apply one change to a case, with its timeline, notification, clock and audit.

    Any refusal rolls the whole change back, including what the caller prepared.
    """
    try:
        if actor.role not in roles:
            raise DomainError("Only police staff can change a case")
        if report.version != expected_version:
            raise StaleReport()
        if target is not None:
            check_transition(report.status, target)
    except DomainError:
        db.session.rollback()
        raise
    try:
        _apply(actor, report, action, event, target, detail)
        db.session.commit()
    except StaleDataError:
        # Another officer's change was committed between our read and our write.
        db.session.rollback()
        raise StaleReport() from None
    return report


def _apply(actor: User, report: Report, action: str, event: Event | None, target: CaseStatus | None,
           detail: str | None) -> None:
    """The writes of one change: status, timeline, clock, notification and audit."""
    now = utcnow()
    if target is not None:
        report.status = target
        if report.triaged_at is None:
            report.triaged_at = now
            victims_code.meet(report, DeadlineKind.TRIAGE, now)
            _clear_alerts(report, DeadlineKind.TRIAGE, now)
    if event is not None:
        add_timeline_event(report.id, event.kind, event.title, event.body, actor_id=actor.id,
                           victim=event.victim, witness=event.witness, reason_code=event.reason_code,
                           values=event.values)
        if event.victim:
            victims_code.victim_was_updated(report, now)
            _clear_alerts(report, DeadlineKind.FIRST_RESPONSE, now)
            if not report.safeguarding:
                notify_victim(report)
    if report.status == CaseStatus.CLOSED:
        victims_code.close_routine_updates(report)
    record_audit(actor.id, action, "report", report.crime_number, detail)


def _clear_alerts(report: Report, kind: DeadlineKind, when: datetime) -> None:
    """The target was met (perhaps late): the alert is no longer open. The caller commits."""
    for alert in db.session.scalars(select(SlaAlert).where(SlaAlert.report_id == report.id, SlaAlert.kind == kind,
                                                           SlaAlert.cleared_at.is_(None))):
        alert.cleared_at = when
