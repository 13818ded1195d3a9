"""How long each kind of task may take, as data: each row with its source, shown to staff on every task."""

from dataclasses import dataclass
from datetime import datetime

from portal.cases.working_days import add_working_days, end_of_working_day
from portal.tasks.enums import TaskTeam, TaskType


@dataclass(frozen=True)
class DueTime:
    """The promise for one kind of task."""

    type: TaskType
    name: str  # what staff call it
    team: TaskTeam
    due_working_days: int  # 0: by the end of the working day it was raised on
    source: str
    acknowledge_working_days: int | None = None  # a first answer, where the full answer takes longer

    def due_words(self) -> str:
        """The due time in words, for staff, as a table cell reads it: "Acknowledge in 2, answer in 10 working
        days", "The same working day"."""
        answer = ("the same working day" if self.due_working_days == 0
                  else f"{self.due_working_days} working day{'s' if self.due_working_days != 1 else ''}")
        if self.acknowledge_working_days:
            return f"Acknowledge in {self.acknowledge_working_days}, answer in {answer}"
        return answer[:1].upper() + answer[1:]

    def source_words(self) -> str:
        """Where the due time comes from, as a table cell reads it ("Service standard")."""
        return self.source[:1].upper() + self.source[1:]


DUE_TIMES: dict[TaskType, DueTime] = {row.type: row for row in (
    DueTime(TaskType.CALL_BACK, "Call back requested", TaskTeam.CASE_OFFICER, 2, "service standard"),
    DueTime(TaskType.VISIT_REARRANGE, "Visit to rearrange", TaskTeam.CASE_OFFICER, 2, "service standard"),
    DueTime(TaskType.LOOK_AGAIN, "Look again at a “no further investigation” decision", TaskTeam.REVIEW, 10,
            "service standard", acknowledge_working_days=2),
    DueTime(TaskType.RIGHT_TO_REVIEW, "Victims’ Right to Review", TaskTeam.REVIEW, 30,
            "NPCC Victims’ Right to Review scheme", acknowledge_working_days=10),
    DueTime(TaskType.PERSONAL_STATEMENT, "Victim Personal Statement to take", TaskTeam.CASE_OFFICER, 5,
            "service standard (the Code gives the right, not a deadline)"),
    DueTime(TaskType.PROPERTY_RETURN, "Property to return", TaskTeam.CASE_OFFICER, 10, "service standard"),
    DueTime(TaskType.INFORMATION_ADDED, "Information or evidence added by the victim", TaskTeam.CASE_OFFICER, 2,
            "service standard"),
    DueTime(TaskType.CONTACT_OFFLINE, "Contact needed by phone or letter (no safe email)", TaskTeam.CONTACT, 1,
            "service standard, matching the Code’s enhanced-rights timing"),
    DueTime(TaskType.SAFEGUARDING_CONCERN, "A partner’s safeguarding concern on a referral", TaskTeam.SAFEGUARDING, 0,
            "service standard"),
    DueTime(TaskType.WITNESS_CANNOT_ATTEND, "A witness cannot attend a hearing", TaskTeam.WITNESS_CARE, 0,
            "service standard (witnesses dropping out is a cause of failed trials)"),
    DueTime(TaskType.SPECIAL_MEASURES, "Special measures a witness asked for", TaskTeam.WITNESS_CARE, 2,
            "service standard (the court decides; the witness hears what was asked)"),
    DueTime(TaskType.WITNESS_NO_ANSWER, "No answer from a witness 7 days before a hearing", TaskTeam.WITNESS_CARE, 1,
            "service standard (a witness who has not answered is called before the hearing)"),
    DueTime(TaskType.EXPENSES_CLAIM, "A witness’s expenses claim to check", TaskTeam.WITNESS_CARE, 10,
            "service standard"),
)}


def due_at(task_type: TaskType, raised_at: datetime) -> tuple[datetime | None, datetime]:
    """When the first answer (if the kind has one) and the full answer are due, for a task raised then."""
    row = DUE_TIMES[task_type]
    acknowledge = add_working_days(raised_at, row.acknowledge_working_days) if row.acknowledge_working_days else None
    due = end_of_working_day(raised_at) if row.due_working_days == 0 else add_working_days(raised_at,
                                                                                          row.due_working_days)
    return acknowledge, due
