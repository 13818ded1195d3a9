"""Triage and case-management decisions. Every change to a case goes through `portal.cases.changes.commit_change`,
which validates the transition, checks the version the officer saw (optimistic locking), writes the timeline,
queues the victim's notification, keeps the Victims' Code clock and audits, in one transaction.
"""

from datetime import datetime

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.auth.staff_names import staff_name
from portal.cases import victims_code
from portal.cases.changes import Event, commit_change
from portal.cases.enums import CaseStatus, DeadlineKind
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.cases.transitions import KEY_EVENTS
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.triage import wording

STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR)
TEXT_MAX = 3000


def get_report_by_crime_number(crime_number: str) -> Report | None:
    """A report by its crime number."""
    return db.session.scalar(select(Report).where(Report.crime_number == crime_number))


def _worded(standard: str, body: str | None, values: dict) -> tuple[str, dict | None]:
    """The officer's own words if they wrote any. Otherwise the standard wording, stored in English with its
    values (a date as {"datetime": ...}), so the victim reads it in their language."""
    text = _clean_text(body)
    return (text, None) if text else (standard, values)


def _clean_text(text: str | None, default: str | None = None) -> str | None:
    """Officer-adjusted wording, trimmed and limited."""
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise DomainError(f"The message must be {TEXT_MAX} characters or fewer", field="body")
    return text or default




# Taking a report -----------------------------------------------------------------------------------


@refusals_roll_back
def claim_report(actor: User, report: Report, expected_version: int) -> Report:
    """An officer takes a report from the queue to triage it."""
    if report.claimed_by_id not in (None, actor.id):
        raise DomainError("Another officer has already claimed this report")
    report.claimed_by_id = actor.id
    return commit_change(actor, report, expected_version, "report.claimed", None)


@refusals_roll_back
def assign_report(actor: User, report: Report, expected_version: int, officer: User) -> Report:
    """A supervisor gives a report to an officer to triage."""
    if actor.role != Role.SUPERVISOR:
        raise DomainError("Only a supervisor can assign reports")
    if officer.role not in STAFF_ROLES or not officer.is_active:
        raise DomainError("Select an active officer", field="officer")
    report.claimed_by_id = officer.id
    return commit_change(actor, report, expected_version, "report.assigned", None, detail=staff_name(officer))


# Triage decisions ------------------------------------------------------------------------------------


@refusals_roll_back
def decide_no_further_investigation(actor: User, report: Report, expected_version: int, reason_code: str,
                                    body: str | None = None) -> Report:
    """Screen the report out, explaining why, what could reopen it, and the right to review."""
    reason = wording.NFI_REASONS.get(reason_code)
    if reason is None:
        raise DomainError("Select the reason for the decision", field="reason_code")
    text = f"{_clean_text(body, reason.body)}\n\n{wording.NFI_NEXT_STEPS}"
    told = not report.safeguarding
    victims_code.record_decision_not_to_investigate(report, utcnow(), told)
    return commit_change(actor, report, expected_version, "decision.no_further_investigation",
                         Event("decision", reason.title, text, victim=True, reason_code=reason_code),
                         CaseStatus.NO_FURTHER_INVESTIGATION, detail=reason_code)


@refusals_roll_back
def allocate_for_investigation(actor: User, report: Report, expected_version: int, officer: User,
                               body: str | None = None) -> Report:
    """Give the case to a named officer, who becomes the victim's contact."""
    if officer.role not in STAFF_ROLES or not officer.is_active:
        raise DomainError("Select an active officer", field="officer")
    report.named_officer_id = officer.id
    template = wording.DECISIONS["allocate"]
    text, values = _worded(template.body, body, {"officer": officer_display_name(officer)})
    return commit_change(actor, report, expected_version, "decision.allocate",
                         Event("decision", template.title, text, victim=True, reason_code="allocate",
                                values=values),
                         CaseStatus.UNDER_INVESTIGATION, detail=staff_name(officer))


@refusals_roll_back
def arrange_attendance(actor: User, report: Report, expected_version: int, visit_at: datetime,
                       body: str | None = None, officer_initiated: bool = False) -> Report:
    """Arrange a visit at a proposed time the victim can accept or change."""
    if visit_at <= utcnow():
        raise DomainError("The visit must be in the future", field="visit_at")
    template = wording.DECISIONS["follow_up_visit" if officer_initiated else "attendance"]
    text, values = _worded(template.body, body, {"when": {"datetime": visit_at.isoformat()}})
    code = "officer_follow_up_visit" if officer_initiated else "attendance"
    return commit_change(actor, report, expected_version, f"decision.{code}",
                         Event("decision", template.title, text, victim=True, reason_code=code, values=values),
                         CaseStatus.ATTENDANCE_ARRANGED, detail=visit_at.isoformat())


@refusals_roll_back
def request_call(actor: User, report: Report, expected_version: int, body: str | None = None) -> Report:
    """The officer decides to call, even though the victim did not ask."""
    template = wording.DECISIONS["follow_up_call"]
    target = CaseStatus.TRIAGED if report.status == CaseStatus.RECEIVED else None
    return commit_change(actor, report, expected_version, "decision.officer_follow_up_call",
                         Event("decision", template.title, _clean_text(body, template.body), victim=True,
                                reason_code="officer_follow_up_call"), target)


@refusals_roll_back
def escalate(actor: User, report: Report, expected_version: int, note: str) -> Report:
    """The risk is higher than reported: flag it for safeguarding and do not notify the victim automatically."""
    cleaned_note = _clean_text(note)
    if not cleaned_note:
        raise DomainError("Explain why the risk is higher than reported", field="body")
    report.safeguarding = True
    if "safeguarding" not in (report.risk_flags or []):
        report.risk_flags = [*(report.risk_flags or []), "safeguarding"]
    target = CaseStatus.TRIAGED if report.status == CaseStatus.RECEIVED else None
    return commit_change(actor, report, expected_version, "decision.escalate",
                         Event("escalated", "Escalated to the safeguarding route", cleaned_note,
                                reason_code="escalate"),
                         target)


@refusals_roll_back
def refer_elsewhere(actor: User, report: Report, expected_version: int, agency_code: str,
                    body: str | None = None) -> Report:
    """Pass the report to another agency."""
    agency = wording.REFER_AGENCIES.get(agency_code)
    if agency is None:
        raise DomainError("Select where the report is going", field="agency")
    return commit_change(actor, report, expected_version, "decision.refer_elsewhere",
                         Event("decision", agency.title, _clean_text(body, agency.body), victim=True,
                                reason_code=agency_code), CaseStatus.REFERRED_ELSEWHERE, detail=agency_code)


@refusals_roll_back
def record_information_only(actor: User, report: Report, expected_version: int, body: str | None = None) -> Report:
    """Not a crime: keep it as information and close it."""
    template = wording.DECISIONS["information_only"]
    # Information reports are not crimes: no referral to victim support is owed. (Before the report changes, so
    # the query's autoflush does not bump the version the officer saw.)
    victims_code.cancel_open(report, DeadlineKind.SUPPORT_REFERRAL)
    report.is_information_report = True
    return commit_change(actor, report, expected_version, "decision.information_only",
                         Event("decision", template.title, _clean_text(body, template.body), victim=True,
                                reason_code="information_only"), CaseStatus.CLOSED)


@refusals_roll_back
def link_duplicate(actor: User, report: Report, expected_version: int, original_crime_number: str) -> Report:
    """Join this report to an earlier one of the same thing, and close it."""
    original = get_report_by_crime_number(original_crime_number)
    if original is None or original.id == report.id:
        raise DomainError("Enter the crime number of a different report", field="original")
    report.duplicate_of_id = original.id
    template = wording.DECISIONS["duplicate"]
    return commit_change(actor, report, expected_version, "decision.duplicate",
                         Event("decision", template.title, template.body, victim=True, reason_code="duplicate"),
                         CaseStatus.CLOSED, detail=original.crime_number)


# During an investigation -----------------------------------------------------------------------------


@refusals_roll_back
def post_update(actor: User, report: Report, expected_version: int, status: CaseStatus, body: str | None,
                happened_at: datetime, victim: bool, witness: bool, hearing_place: str | None = None,
                hearing_at: datetime | None = None) -> Report:
    """A key event in the investigation, from its template plus the officer's words."""
    if status not in KEY_EVENTS:
        raise DomainError("Select what has happened", field="status")
    if happened_at > utcnow():
        raise DomainError("When it happened must be in the past", field="happened_at")
    template = wording.KEY_EVENTS[status]
    if status == CaseStatus.COURT_HEARING_SCHEDULED:
        if not hearing_place or hearing_at is None:
            raise DomainError("Enter the court and the date of the hearing", field="hearing_place")
        values = {"place": hearing_place, "when": {"datetime": hearing_at.isoformat()}}
    else:
        values = None
    standard = template.body
    extra = _clean_text(body)
    # The officer's words follow the standard wording; with values to fill in, a % they typed is kept as %.
    text = f"{standard}\n\n{extra.replace('%', '%%') if values else extra}" if extra else standard
    told = victim and not report.safeguarding
    victims_code.record_key_event(report, template.title, happened_at, told)
    if witness and extra:
        # The officer's words are for the victim; witnesses get the standard wording only.
        add_timeline_event(report.id, "update", template.title, standard, actor_id=actor.id, witness=True,
                           reason_code=status.value, values=values)
        witness = False
    return commit_change(actor, report, expected_version, f"update.{status.value}",
                         Event("update", template.title, text, victim=victim, witness=witness,
                                reason_code=status.value, values=values), status)


@refusals_roll_back
def set_enhanced_rights(actor: User, report: Report, expected_version: int, entitled: bool,
                        reason: str | None) -> Report:
    """Record whether the victim is entitled to enhanced rights under the Victims' Code."""
    if entitled and reason not in ENHANCED_RIGHTS_REASONS:
        raise DomainError("Select why the victim is entitled to enhanced rights", field="reason")
    report.enhanced_rights = entitled
    report.enhanced_rights_reason = reason if entitled else None
    return commit_change(actor, report, expected_version, "case.enhanced_rights",
                         Event("note", "Enhanced rights " + ("given" if entitled else "removed"),
                                ENHANCED_RIGHTS_REASONS.get(reason or "", None)), detail=reason)


@refusals_roll_back
def add_correction(actor: User, report: Report, expected_version: int, correction: str, reason: str) -> Report:
    """Staff never edit the victim's answers: a correction is a new internal event with its reason."""
    cleaned_correction, cleaned_reason = _clean_text(correction), _clean_text(reason)
    if not cleaned_correction or not cleaned_reason:
        raise DomainError("Enter the correction and the reason for it", field="correction")
    return commit_change(actor, report, expected_version, "case.correction",
                         Event("correction", "Correction recorded",
                                f"{cleaned_correction}\n\nReason: {cleaned_reason}"))


ENHANCED_RIGHTS_REASONS = {
    "serious_crime": "Victim of the most serious crime",
    "persistently_targeted": "Persistently targeted",
    "vulnerable_or_intimidated": "Vulnerable or intimidated",
}


def officer_display_name(officer: User) -> str:
    """How an officer is named to the victim."""
    return staff_name(officer, "An officer")


def active_officers() -> list[tuple[int, str]]:
    """(id, name) of the officers and supervisors who can be given cases."""
    return [(user.id, staff_name(user)) for user in db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES), User.is_active_account.is_(True))
        .order_by(User.display_name, User.id))]
