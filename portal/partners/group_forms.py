"""Partner forms for running a peer-support group: cancelling or moving one of its meetings."""

from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from portal.fields import GovDateField
from portal.forms import PortalForm, options, submit
from portal.widgets import RadioInput, TextInput


class SessionChangeForm(PortalForm):
    """Cancel or move one meeting of a group."""

    session_on = GovDateField("Date of the meeting", what="the date of the meeting", allow_future=True,
                              description="For example, 8 12 2026")
    change = RadioField("What is happening to the meeting?", widget=RadioInput(),
                        choices=options((("cancelled", "It is cancelled"), ("moved", "It is moved"))),
                        invalid_choice_message="Select whether the meeting is cancelled or moved",
                        validators=[InputRequired(message="Select whether the meeting is cancelled or moved")])
    moved_to = GovDateField("New date (if it is moved)", what="the new date", required=False, allow_future=True,
                            description="For example, 10 12 2026")
    starts_at = StringField("New start time (if it is moved; optional)", widget=TextInput(),
                            description="For example, 18:30. Leave it empty to keep the usual time.",
                            validators=[Length(max=5, message="Enter the new start time in 24-hour form, like 18:30")],
                            render_kw={"class": "govuk-input--width-5", "autocomplete": "off"})
    submit = submit("Tell the members")
