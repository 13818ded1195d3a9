"""Forms for the 'Your data' pages."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput
from wtforms import BooleanField, PasswordField
from wtforms.validators import InputRequired, Length

from portal.forms import PASSWORD_MAX, PortalForm, submit
from portal.widgets import CheckboxInput


class CloseAccountForm(PortalForm):
    """Confirm closing the account, with the current password."""

    understand = BooleanField(
        _l("I understand my cases will stay, but will no longer be linked to me"),
        widget=CheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that you understand your cases will stay"))],
    )
    password = PasswordField(
        _l("Your current password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Enter your current password")),
            Length(max=PASSWORD_MAX, message=_l("Password must be %(max)d characters or fewer", max=PASSWORD_MAX)),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    submit = submit("Close my account")
