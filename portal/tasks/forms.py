"""The forms on the task pages."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms import Answered, PortalForm, options, submit
from portal.tasks.services import OUTCOME_MAX
from portal.widgets import RadioInput

FINISH_ADVICE = "Say what you did, when, and what happens next, in plain words."


class ClaimTaskForm(PortalForm):
    """Take the task."""

    submit = submit("Take this task")


class AssignTaskForm(PortalForm):
    """A supervisor gives the task to an officer."""

    officer = SelectField("Give it to", widget=GovSelect(), coerce=str,
                          validators=[Answered(message="Select an active officer")])
    submit = submit("Assign")


class FinishTaskForm(PortalForm):
    """Finish the task, with what happened in the person's words."""

    result = RadioField("What happened?", widget=RadioInput(),
                        choices=options([("done", "We did what was asked"), ("cannot_do", "We could not do it")]),
                        validators=[InputRequired(message="Select what happened")])
    outcome = TextAreaField(
        "What to tell them",
        widget=GovTextArea(),
        description=FINISH_ADVICE,
        validators=[InputRequired(message="Enter what happened, in words the person will understand"),
                    Length(max=OUTCOME_MAX, message=f"Outcome must be {OUTCOME_MAX} characters or fewer")])
    submit = submit("Finish the task")
