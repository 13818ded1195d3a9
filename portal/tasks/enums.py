"""The kinds, states, teams and askers of tasks."""

import enum


class TaskType(enum.StrEnum):
    """What is asked for."""

    CALL_BACK = "call_back"
    VISIT_REARRANGE = "visit_rearrange"
    LOOK_AGAIN = "look_again"
    RIGHT_TO_REVIEW = "right_to_review"
    PERSONAL_STATEMENT = "personal_statement"
    PROPERTY_RETURN = "property_return"
    INFORMATION_ADDED = "information_added"
    CONTACT_OFFLINE = "contact_offline"
    SAFEGUARDING_CONCERN = "safeguarding_concern"
    WITNESS_CANNOT_ATTEND = "witness_cannot_attend"
    SPECIAL_MEASURES = "special_measures"
    EXPENSES_CLAIM = "expenses_claim"
    WITNESS_NO_ANSWER = "witness_no_answer"


class TaskStatus(enum.StrEnum):
    """Where a task is. Open and in progress are still owed; done and cannot do are finished, with an outcome."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANNOT_DO = "cannot_do"


OWED = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class TaskTeam(enum.StrEnum):
    """Who a task belongs to until an officer takes it."""

    CASE_OFFICER = "case_officer"
    REVIEW = "review"
    CONTACT = "contact"
    SAFEGUARDING = "safeguarding"
    WITNESS_CARE = "witness_care"


class Asker(enum.StrEnum):
    """Who raised the task."""

    VICTIM = "victim"
    WITNESS = "witness"
    STAFF = "staff"
    PARTNER = "partner"
    SYSTEM = "system"
