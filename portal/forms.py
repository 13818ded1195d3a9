"""Shared form pieces: GOV.UK widgets and error wording."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length

from portal.domain import DomainError
from portal.widgets import PasswordInput, TextInput

EMAIL_MAX = 254
PASSWORD_MIN = 10
PASSWORD_MAX = 128


def _drop_nul(value):
    """NUL characters cannot be typed, and PostgreSQL cannot store them in text."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _strip(value):
    """Surrounding spaces are never meant."""
    return value.strip() if isinstance(value, str) else value


class PortalForm(FlaskForm):
    """Base form: CSRF on, text without NUL characters, and stripped single-line text."""

    class Meta:
        """Filters every form field gets."""

        def bind_field(self, form, unbound_field, options):
            """Add the NUL filter to every field, and a strip filter to single-line text."""
            filters = options.setdefault("filters", [])
            filters.append(_drop_nul)
            if unbound_field.field_class.__name__ in ("StringField", "TextAreaField", "EmailField", "TelField"):
                filters.append(_strip)
            if issubclass(unbound_field.field_class, SelectField):
                # A value that is not one of the choices (a hostile or stale post) gets the question's own
                # "Select ..." message, not WTForms' "Not a valid choice."
                required = [v for v in unbound_field.kwargs.get("validators") or ()
                            if isinstance(v, InputRequired | DataRequired) and v.message]
                if required and "invalid_choice_message" not in unbound_field.kwargs:
                    options["invalid_choice_message"] = required[0].message
            return unbound_field.bind(form=form, **options)

    # The field that shows a service's error when the error names no field of this form.
    fallback_error_field: str | None = None

    def show_error(self, message: str, field: str | None = None) -> None:
        """Put a service's error (a DomainError) on the question it is about."""
        target = getattr(self, field, None) if field and field not in ("csrf_token", "submit") else None
        if target is None:
            target = getattr(self, self.fallback_error_field or next(iter(self._fields)))
        target.errors = [*target.errors, message]

    def saved_with(self, save, details) -> bool:
        """Validate, then hand details() to a service; a refusal shows on the form. True when it was saved."""
        if not self.validate_on_submit():
            return False
        try:
            save(details())
        except DomainError as error:
            self.show_error(error.message, error.field)
            return False
        return True


class Answered(InputRequired):
    """InputRequired without the HTML `required` attribute. The service checks answers itself and explains in
    words; on a select whose first option is a real answer (English, chosen for the person) the attribute would
    also be invalid HTML."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}


def options(pairs) -> list[SelectChoice]:
    """Choices for radios, checkboxes and selects from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


EMAIL_LABEL = _l("Email address")
NEW_PASSWORD_LABEL = _l("Create a password")
PASSWORD_LABEL = _l("Password")
PASSWORD_MISSING = _l("Enter your password")


def email_field(label=EMAIL_LABEL) -> StringField:
    """An email address field with GOV.UK error messages."""
    return StringField(
        label,
        widget=TextInput(),
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=EMAIL_MAX, message=_l("Email address must be %(max)d characters or fewer", max=EMAIL_MAX)),
            Email(message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def new_password_field(label=NEW_PASSWORD_LABEL, hint=None) -> PasswordField:
    """A new-password field with length limits; the hint tells people the rule (the length, unless given)."""
    return PasswordField(
        label,
        widget=PasswordInput(),
        description=hint if hint is not None else _l(
            "Use at least %(min)d characters. A few words together are easy to remember.", min=PASSWORD_MIN),
        validators=[
            InputRequired(message=_l("Enter a password")),
            Length(min=PASSWORD_MIN, message=_l("Password must be %(min)d characters or more", min=PASSWORD_MIN)),
            Length(max=PASSWORD_MAX, message=_l("Password must be %(max)d characters or fewer", max=PASSWORD_MAX)),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def current_password_field(label=PASSWORD_LABEL, missing=PASSWORD_MISSING) -> PasswordField:
    """The password someone already has (sign-in, or confirming who they are)."""
    return PasswordField(
        label,
        widget=PasswordInput(),
        validators=[
            InputRequired(message=missing),
            Length(max=PASSWORD_MAX, message=_l("Password must be %(max)d characters or fewer", max=PASSWORD_MAX)),
        ],
        render_kw={"autocomplete": "current-password"},
    )


def submit(label: str) -> SubmitField:
    """A GOV.UK button."""
    return SubmitField(label, widget=GovSubmitInput())
