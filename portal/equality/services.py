"""Equality answers: the only code that writes them.

Answers are stored by account (given from the account page) or by report (given once, straight after reporting
without an account). The audit trail records that answers were saved or deleted, never what they were.
"""

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.domain import DomainError
from portal.equality.models import CHARACTERISTICS, EqualityRecord
from portal.equality.questions import BY_CHARACTERISTIC
from portal.extensions import db
from portal.i18n import N_

OBJECT_TYPE = "equality_record"
ANSWERING_ROLES = (Role.VICTIM, Role.WITNESS)


class AlreadyAnswered(DomainError):
    """The questions for this report have been answered already; they can be answered once."""

    def __init__(self):
        super().__init__("You have already answered these questions for this report")


def clean_answers(answers: Mapping[str, str | None]) -> dict[str, str | None]:
    """Every characteristic with a known answer code or None. Unknown characteristics are ignored;
    an unknown code is refused on its question."""
    cleaned: dict[str, str | None] = {}
    for characteristic in CHARACTERISTICS:
        code = answers.get(characteristic) or None
        if code is not None and code not in BY_CHARACTERISTIC[characteristic].codes:
            raise DomainError(N_("Select one of the answers shown, or leave the question blank"), field=characteristic)
        cleaned[characteristic] = code
    return cleaned


def _fill(record: EqualityRecord, answers: dict[str, str | None]) -> None:
    """Replace every answer on the record."""
    for characteristic, code in answers.items():
        setattr(record, characteristic, code)


def record_for_user(user_id: int) -> EqualityRecord | None:
    """The answers a person gave from their account, if any."""
    return db.session.scalar(select(EqualityRecord).where(EqualityRecord.user_id == user_id))


def record_for_report(report_id: int) -> EqualityRecord | None:
    """The answers given straight after a report was made without an account, if any."""
    return db.session.scalar(select(EqualityRecord).where(EqualityRecord.report_id == report_id))


def records_for_linked_reports(user_id: int) -> list[tuple[str, EqualityRecord]]:
    """Answers given after reporting, for reports now linked to this account: (crime number, record)."""
    return list(db.session.execute(
        select(Report.crime_number, EqualityRecord).join(Report, Report.id == EqualityRecord.report_id)
        .where(Report.reporter_user_id == user_id).order_by(Report.submitted_at, Report.id)).tuples())


def answers_of(record: EqualityRecord | None) -> dict[str, str | None]:
    """The record's answer codes by characteristic (all None when there is no record)."""
    return {characteristic: getattr(record, characteristic) if record else None for characteristic in CHARACTERISTICS}


def save_for_user(user: User, answers: Mapping[str, str | None]) -> EqualityRecord | None:
    """Save a person's answers, replacing any they gave before. With no question answered, nothing is kept
    (any earlier answers are deleted) and None is returned."""
    if user.role not in ANSWERING_ROLES:
        raise DomainError(N_("Only people who report a crime or are a witness can answer these questions"))
    cleaned = clean_answers(answers)
    if not any(cleaned.values()):
        delete_for_user(user, include_reports=False)
        return None
    record = record_for_user(user.id)
    if record is None:
        record = EqualityRecord(user_id=user.id)
        db.session.add(record)
    _fill(record, cleaned)
    try:
        db.session.flush()
    except IntegrityError:  # saved at the same moment from another tab: replace that one instead
        db.session.rollback()
        record = record_for_user(user.id)
        if record is None:  # the clash was not with this person's own answers: nothing to replace
            raise
        _fill(record, cleaned)
    record_audit(user.id, "equality.saved", OBJECT_TYPE, str(record.id), "answers saved")
    db.session.commit()
    return record


def delete_for_user(user: User, include_reports: bool = True) -> int:
    """Delete the person's answers: from their account and, unless told otherwise, any given after reporting
    for reports now linked to their account. Returns how many records went."""
    ids = [record.id for record in [record_for_user(user.id)] if record is not None]
    if include_reports:
        ids += [record.id for _crime_number, record in records_for_linked_reports(user.id)]
    if ids:
        db.session.execute(delete(EqualityRecord).where(EqualityRecord.id.in_(ids)))
        for record_id in ids:
            record_audit(user.id, "equality.deleted", OBJECT_TYPE, str(record_id), "answers deleted")
    db.session.commit()
    return len(ids)


def save_for_report(report: Report, answers: Mapping[str, str | None]) -> EqualityRecord | None:
    """Save the answers of someone who reported without an account, once per report. With no question
    answered, nothing is kept and None is returned."""
    if report.reporter_user_id is not None:
        raise DomainError(N_("This report is linked to an account. Sign in to answer the questions"))
    cleaned = clean_answers(answers)
    if record_for_report(report.id) is not None:
        raise AlreadyAnswered()
    if not any(cleaned.values()):
        return None
    record = EqualityRecord(report_id=report.id)
    _fill(record, cleaned)
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:  # the same form sent twice at once
        db.session.rollback()
        raise AlreadyAnswered() from None
    record_audit(None, "equality.saved", OBJECT_TYPE, str(record.id), "answers saved after reporting")
    db.session.commit()
    return record
