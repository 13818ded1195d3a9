"""Account forms."""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from portal.auth import password_rules
from portal.forms import (
    NEW_PASSWORD_LABEL,
    PortalForm,
    current_password_field,
    email_field,
    new_password_field,
    submit,
)
from portal.widgets import PasswordInput, TextInput


def rule_password_field(label=NEW_PASSWORD_LABEL) -> PasswordField:
    """A new password, with the rule (length, not common, hard to guess) as its hint."""
    return new_password_field(label, hint=password_rules.RULE_HINT)


def check_password_rule(field, user_inputs: Iterable[str]) -> None:
    """Refuse a password that is common or easy to guess, saying why. Skipped when the length rules have already
    failed, so the field shows one error at a time."""
    if field.errors or not field.data:
        return
    reason = password_rules.refusal(field.data, user_inputs)
    if reason is not None:
        raise ValidationError(reason)


class RegisterForm(PortalForm):
    """Create an account."""

    email = email_field()
    password = rule_password_field()
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
        """Apply the password rule after the length rules; the email address counts against the password."""
        check_password_rule(field, password_rules.personal_words(self.email.data))


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


def six_digits(form, field) -> None:
    """A code of 6 digits (spaces between them are allowed, as some apps show them). Anything else cannot be a code,
    so it is refused as the wrong shape, before it is checked (and never counted as a wrong code)."""
    digits = "".join((field.data or "").split())
    if not (digits.isdigit() and digits.isascii() and len(digits) == 6):
        raise ValidationError(_l("Security code must be 6 digits"))


class CodeForm(PortalForm):
    """The six-digit code from an authenticator app. An empty code, one of the wrong shape and a wrong one each get
    their own message (the view adds the last, after checking the code)."""

    code = StringField(
        _l("Security code"),
        widget=TextInput(),
        description=_l("The 6-digit code shown in your authenticator app"),
        validators=[
            DataRequired(message=_l("Enter the security code")),
            Length(max=20, message=_l("Security code must be 6 digits")),
            six_digits,
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
    """Choose a new password. `account_words` are what the link's account is known by (its email address and
    name), which count against the new password."""

    password = rule_password_field(_l("New password"))
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

    def __init__(self, *args, account_words: Iterable[str | None] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.account_words = tuple(account_words)

    def validate_password(self, field):
        """Apply the password rule after the length rules."""
        check_password_rule(field, password_rules.personal_words(*self.account_words))


class ResendForm(PortalForm):
    """Ask for another verification email (the account comes from the session)."""

    submit = submit(_l("Send the link again"))


class LogoutForm(PortalForm):
    """Sign out (a POST, so a link elsewhere cannot sign someone out)."""

    submit = submit(_l("Sign out"))
