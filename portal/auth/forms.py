"""Account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from portal.forms import PortalForm, current_password_field, email_field, new_password_field, submit
from portal.widgets import PasswordInput, TextInput

COMMON_PASSWORDS = frozenset({
    "password123", "password1234", "1234567890", "qwertyuiop", "iloveyou12", "passw0rd123",
    "letmein1234", "welcome123", "abcdefghij", "0123456789",
})


def not_common(form, field):
    """Refuse passwords from a short list of the most common ones."""
    if field.data and field.data.lower() in COMMON_PASSWORDS:
        raise ValidationError(_l("Choose a password that is harder to guess"))


class RegisterForm(PortalForm):
    """Create an account."""

    email = email_field()
    password = new_password_field()
    confirm_password = PasswordField(
        _l("Confirm your password"),
        widget=PasswordInput(),
        validators=[
            InputRequired(message=_l("Confirm your password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = submit(_l("Create account"))

    def validate_password(self, field):
        """Apply the common-password rule after the length rules."""
        not_common(self, field)


class LoginForm(PortalForm):
    """Sign in with email and password."""

    email = StringField(
        _l("Email address"),
        widget=TextInput(),
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = current_password_field()
    submit = submit(_l("Sign in"))


class CodeForm(PortalForm):
    """The six-digit code from an authenticator app."""

    code = StringField(
        _l("Security code"),
        widget=TextInput(),
        description=_l("The 6-digit code shown in your authenticator app"),
        validators=[
            DataRequired(message=_l("Enter the security code")),
            Length(max=20, message=_l("Security code must be 6 digits")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false",
                   "class": "govuk-input--width-5"},
    )
    submit = submit(_l("Continue"))


class ResetRequestForm(PortalForm):
    """Ask for a password reset link."""

    email = email_field()
    submit = submit(_l("Send reset link"))


class ResetPasswordForm(PortalForm):
    """Choose a new password."""

    password = new_password_field(_l("New password"))
    confirm_password = PasswordField(
        _l("Confirm your new password"),
        widget=PasswordInput(),
        validators=[
            InputRequired(message=_l("Confirm your new password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = submit(_l("Change password"))

    def validate_password(self, field):
        """Apply the common-password rule after the length rules."""
        not_common(self, field)


class ResendForm(PortalForm):
    """Ask for another verification email (the account comes from the session)."""

    submit = submit(_l("Send the link again"))


class LogoutForm(PortalForm):
    """Sign out (a POST, so a link elsewhere cannot sign someone out)."""

    submit = submit(_l("Sign out"))
