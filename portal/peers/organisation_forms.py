"""The organisation's forms for the peer support it runs: checks, decision and status. Partner pages are in
English (like every partner page), so this module is not in the victims' catalogue."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from portal.fields import GovDateField
from portal.forms import PortalForm, options, submit
from portal.peers.enums import Decision, DeclineReason, SupporterStatus
from portal.widgets import RadioInput, TextInput

DECLINE_WORDS = {DeclineReason.NO_CAPACITY: _l("We cannot take on more peer supporters at the moment"),
                 DeclineReason.CHECKS_NOT_MET: _l("Our checks were not completed"),
                 DeclineReason.NOT_A_FIT: _l("The offer does not fit the peer support we run"),
                 DeclineReason.TOO_SOON: _l("We ask people to wait longer after their own support"),
                 DeclineReason.OTHER: _l("Another reason")}
STATUS_WORDS = {SupporterStatus.ACTIVE: _l("Active"), SupporterStatus.PAUSED: _l("Paused"),
                SupporterStatus.LEFT: _l("Left")}
LIST_NAMES = {"new": _l("New"), "accepted": _l("Accepted"), "declined": _l("Declined")}
TAG_NAMES = {Decision.NEW: _l("New"), Decision.ACCEPTED: _l("Accepted"), Decision.DECLINED: _l("Declined")}
TAG_COLOURS = {Decision.NEW: "govuk-tag--blue", Decision.ACCEPTED: "govuk-tag--green",
               Decision.DECLINED: "govuk-tag--grey", SupporterStatus.ACTIVE: "govuk-tag--green",
               SupporterStatus.PAUSED: "govuk-tag--yellow", SupporterStatus.LEFT: "govuk-tag--grey"}


class ChecksForm(PortalForm):
    """The organisation's own checks, with dates (empty for not done yet)."""

    training_completed_on = GovDateField(_l("Training completed on (optional)"), what=_l("the training date"),
                                         required=False, description=_l("For example, 27 3 2026"))
    references_received_on = GovDateField(_l("References received on (optional)"), what=_l("the references date"),
                                          required=False, description=_l("For example, 27 3 2026"))
    safeguarding_checked_on = GovDateField(_l("Safeguarding check (for example, enhanced DBS) on (optional)"),
                                           what=_l("the safeguarding check date"), required=False,
                                           description=_l("For example, 27 3 2026"))
    submit = submit(_l("Save the checks"))

    fallback_error_field = "training_completed_on"


class AcceptForm(PortalForm):
    """Take the person on as a peer supporter."""

    submit = submit(_l("Accept as a peer supporter"))


class DeclineForm(PortalForm):
    """Decline an offer with a reason from the list."""

    reason = RadioField(_l("Why are you declining this offer?"), widget=RadioInput(),
                        choices=options(list(DECLINE_WORDS.items())),
                        validators=[InputRequired(message=_l("Select a reason"))])
    note = StringField(_l("If another reason, say what it is"), widget=TextInput(),
                       validators=[Length(max=200, message=_l("The reason must be 200 characters or fewer"))])
    submit = submit(_l("Decline the offer"))

    fallback_error_field = "reason"


class StatusForm(PortalForm):
    """An accepted peer supporter's status."""

    status = RadioField(_l("Status"), widget=RadioInput(), choices=options(list(STATUS_WORDS.items())),
                        validators=[InputRequired(message=_l("Select the status"))])
    submit = submit(_l("Save the status"))

    fallback_error_field = "status"
