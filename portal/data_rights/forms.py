"""Forms for the 'Your data' pages."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import InputRequired

from portal.forms import PortalForm, current_password_field, submit
from portal.widgets import CheckboxInput


class CloseAccountForm(PortalForm):
    """Confirm closing the account, with the current password."""

    understand = BooleanField(
        _l("I understand my cases will stay, but will no longer be linked to me"),
        widget=CheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that you understand your cases will stay"))],
    )
    password = current_password_field(_l("Your current password"), _l("Enter your current password"))
    submit = submit(_l("Close my account"))
