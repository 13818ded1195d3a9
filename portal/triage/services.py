"""Triage and case-management decisions. Every change to a case goes through `portal.cases.changes.commit_change`,
which validates the transition, checks the version the officer saw (optimistic locking), writes the timeline,
queues the victim's notification, keeps the Victims' Code clock and audits, in one transaction.
"""

from dataclasses import dataclass
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




# What a decision tells the victim ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInputs:
    """What the officer gave for a decision, as far as it bears on the victim's message."""

    reason_code: str | None = None
    officer: User | None = None
    visit_at: datetime | None = None
    agency_code: str | None = None
    body: str | None = None
    officer_initiated: bool = False


# Put in a preview where the officer has not given the value yet (a recorded decision always has it).
STAND_INS = {"officer": "[the officer you choose]", "when": "[the date and time of the visit]"}


def decision_event(kind: str, given: DecisionInputs) -> Event | None:
    """The timeline event a decision writes, and so the message the victim reads: the officer's own words, or the
    standard wording with its values. The services record exactly this and the decision pages preview it (through
    portal.cases.timeline.as_read), so the two cannot drift. None when it cannot be worded yet (no reason or agency
    chosen) or the victim is not told (an escalation)."""
    body = given.body
    if kind == "nfi":
        reason = wording.NFI_REASONS.get(given.reason_code or "")
        if reason is None:
            return None
        return Event("decision", reason.title, f"{_clean_text(body, reason.body)}\n\n{wording.NFI_NEXT_STEPS}",
                     victim=True, reason_code=given.reason_code)
    if kind == "allocate":
        template = wording.DECISIONS["allocate"]
        name = officer_display_name(given.officer) if given.officer is not None else STAND_INS["officer"]
        text, values = _worded(template.body, body, {"officer": name})
        return Event("decision", template.title, text, victim=True, reason_code="allocate", values=values)
    if kind == "attendance":
        template = wording.DECISIONS["follow_up_visit" if given.officer_initiated else "attendance"]
        when = {"datetime": given.visit_at.isoformat()} if given.visit_at is not None else STAND_INS["when"]
        text, values = _worded(template.body, body, {"when": when})
        code = "officer_follow_up_visit" if given.officer_initiated else "attendance"
        return Event("decision", template.title, text, victim=True, reason_code=code, values=values)
    if kind == "call":
        template = wording.DECISIONS["follow_up_call"]
        return Event("decision", template.title, _clean_text(body, template.body), victim=True,
                     reason_code="officer_follow_up_call")
    if kind == "refer":
        agency = wording.REFER_AGENCIES.get(given.agency_code or "")
        if agency is None:
            return None
        return Event("decision", agency.title, _clean_text(body, agency.body), victim=True,
                     reason_code=given.agency_code)
    if kind == "information":
        template = wording.DECISIONS["information_only"]
        return Event("decision", template.title, _clean_text(body, template.body), victim=True,
                     reason_code="information_only")
    if kind == "duplicate":
        template = wording.DECISIONS["duplicate"]
        return Event("decision", template.title, template.body, victim=True, reason_code="duplicate")
    return None


def _decision_event(kind: str, given: DecisionInputs) -> Event:
    """The event a decision being recorded writes (its inputs were checked, so there is one)."""
    event = decision_event(kind, given)
    if event is None:
        raise DomainError("This decision cannot be worded")
    return event


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
    if reason_code not in wording.NFI_REASONS:
        raise DomainError("Select the reason for the decision", field="reason_code")
    event = _decision_event("nfi", DecisionInputs(reason_code=reason_code, body=body))
    told = not report.safeguarding
    victims_code.record_decision_not_to_investigate(report, utcnow(), told)
    return commit_change(actor, report, expected_version, "decision.no_further_investigation", event,
                         CaseStatus.NO_FURTHER_INVESTIGATION, detail=reason_code)


@refusals_roll_back
def allocate_for_investigation(actor: User, report: Report, expected_version: int, officer: User,
                               body: str | None = None) -> Report:
    """Give the case to a named officer, who becomes the victim's contact."""
    if officer.role not in STAFF_ROLES or not officer.is_active:
        raise DomainError("Select an active officer", field="officer")
    event = _decision_event("allocate", DecisionInputs(officer=officer, body=body))
    report.named_officer_id = officer.id
    return commit_change(actor, report, expected_version, "decision.allocate", event,
                         CaseStatus.UNDER_INVESTIGATION, detail=staff_name(officer))


@refusals_roll_back
def arrange_attendance(actor: User, report: Report, expected_version: int, visit_at: datetime,
                       body: str | None = None, officer_initiated: bool = False) -> Report:
    """Arrange a visit at a proposed time the victim can accept or change."""
    if visit_at <= utcnow():
        raise DomainError("The visit must be in the future", field="visit_at")
    event = _decision_event("attendance", DecisionInputs(visit_at=visit_at, body=body,
                                                          officer_initiated=officer_initiated))
    return commit_change(actor, report, expected_version, f"decision.{event.reason_code}", event,
                         CaseStatus.ATTENDANCE_ARRANGED, detail=visit_at.isoformat())


@refusals_roll_back
def request_call(actor: User, report: Report, expected_version: int, body: str | None = None) -> Report:
    """The officer decides to call, even though the victim did not ask."""
    event = _decision_event("call", DecisionInputs(body=body))
    target = CaseStatus.TRIAGED if report.status == CaseStatus.RECEIVED else None
    return commit_change(actor, report, expected_version, "decision.officer_follow_up_call", event, target)


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
    if agency_code not in wording.REFER_AGENCIES:
        raise DomainError("Select where the report is going", field="agency")
    event = _decision_event("refer", DecisionInputs(agency_code=agency_code, body=body))
    return commit_change(actor, report, expected_version, "decision.refer_elsewhere", event,
                         CaseStatus.REFERRED_ELSEWHERE, detail=agency_code)


@refusals_roll_back
def record_information_only(actor: User, report: Report, expected_version: int, body: str | None = None) -> Report:
    """Not a crime: keep it as information and close it."""
    event = _decision_event("information", DecisionInputs(body=body))
    # Information reports are not crimes: no referral to victim support is owed. (Before the report changes, so
    # the query's autoflush does not bump the version the officer saw.)
    victims_code.cancel_open(report, DeadlineKind.SUPPORT_REFERRAL)
    report.is_information_report = True
    return commit_change(actor, report, expected_version, "decision.information_only", event, CaseStatus.CLOSED)


@refusals_roll_back
def link_duplicate(actor: User, report: Report, expected_version: int, original_crime_number: str) -> Report:
    """Join this report to an earlier one of the same thing, and close it."""
    original = get_report_by_crime_number(original_crime_number)
    if original is None or original.id == report.id:
        raise DomainError("Enter the crime number of a different report", field="original")
    report.duplicate_of_id = original.id
    return commit_change(actor, report, expected_version, "decision.duplicate",
                         _decision_event("duplicate", DecisionInputs()), CaseStatus.CLOSED,
                         detail=original.crime_number)


# During an investigation -----------------------------------------------------------------------------


@refusals_roll_back
def post_update(actor: User, report: Report, expected_version: int, status: CaseStatus | None, body: str | None,
                happened_at: datetime | None, victim: bool, witness: bool, hearing_place: str | None = None,
                hearing_at: datetime | None = None) -> Report:
    """A key event in the investigation, from its template plus the officer's words; or, with no status, a
    progress update in the officer's own words that changes no status."""
    if status is None:
        return _post_progress(actor, report, expected_version, body, victim, witness)
    if status not in KEY_EVENTS:
        raise DomainError("Select what has happened", field="status")
    if happened_at is None:
        raise DomainError("Enter the date and time it happened", field="happened_date")
    if happened_at > utcnow():
        raise DomainError("When it happened must be in the past", field="happened_date")
    template = wording.KEY_EVENTS[status]
    if status == CaseStatus.COURT_HEARING_SCHEDULED:
        place = (hearing_place or "").strip()
        if not place or hearing_at is None:
            raise DomainError("Enter the court and the date of the hearing", field="hearing_place")
        values = {"place": place, "when": {"datetime": hearing_at.isoformat()}}
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


def _post_progress(actor: User, report: Report, expected_version: int, body: str | None, victim: bool,
                   witness: bool) -> Report:
    """The officer tells the victim how things are going, in their own words. No status changes and no key-event
    clock starts; telling the victim counts as an update (commit_change keeps that clock and notifies them)."""
    text = _clean_text(body)
    if not text:
        raise DomainError("Enter what you want to tell the victim", field="body")
    if witness:
        # Witnesses only ever get standard wording: an officer's own words are for the victim.
        raise DomainError("A progress update is for the victim only. Untick ‘Witnesses can see this update’",
                          field="witness")
    return commit_change(actor, report, expected_version, "update.progress",
                         Event("progress", wording.PROGRESS_UPDATE_TITLE, text, victim=victim,
                                reason_code="progress"))


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
