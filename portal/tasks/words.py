"""What a victim reads about the requests they made: each kind, each state, in words for them."""

from portal.i18n import N_
from portal.tasks.enums import TaskStatus, TaskType

ASKED_FOR = {
    TaskType.CALL_BACK: N_("A call from us"),
    TaskType.VISIT_REARRANGE: N_("A different time for our visit"),
    TaskType.LOOK_AGAIN: N_("Another look at our decision"),
    TaskType.RIGHT_TO_REVIEW: N_("A review of the decision not to charge (the Victims’ Right to Review)"),
    TaskType.PERSONAL_STATEMENT: N_("To make a Victim Personal Statement"),
    TaskType.PROPERTY_RETURN: N_("Your property back"),
    TaskType.INFORMATION_ADDED: N_("Us to look at what you added"),
    TaskType.CONTACT_OFFLINE: N_("Contact by phone or letter"),
    TaskType.SAFEGUARDING_CONCERN: N_("Help to stay safe"),
    TaskType.WITNESS_CANNOT_ATTEND: N_("Help because you cannot attend a hearing"),
    TaskType.SPECIAL_MEASURES: N_("Help to give evidence (special measures)"),
    TaskType.EXPENSES_CLAIM: N_("Your expenses claim checked"),
}

STATE = {
    TaskStatus.OPEN: N_("Waiting"),
    TaskStatus.IN_PROGRESS: N_("Being dealt with"),
    TaskStatus.DONE: N_("Done"),
    TaskStatus.CANNOT_DO: N_("We could not do this"),
}

STATE_COLOURS = {TaskStatus.OPEN: "blue", TaskStatus.IN_PROGRESS: "yellow", TaskStatus.DONE: "green",
                 TaskStatus.CANNOT_DO: "grey"}
