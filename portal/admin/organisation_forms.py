"""Admin forms for support organisations and partner accounts."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSelect
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from portal.fields import GovDateField, WholeNumberField
from portal.forms import EMAIL_MAX, PortalForm, email_field, submit
from portal.widgets import CheckboxInput, TextInput


class OrganisationForm(PortalForm):
    """An organisation, its approval and its accreditation."""

    name = StringField(_l("Name"), widget=TextInput(),
                       validators=[DataRequired(message=_l("Enter the organisation’s name")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    description = TextAreaField(_l("Description"), widget=GovCharacterCount(),
                                description=_l("Who they are and who they help. Shown in the directory."),
                                validators=[DataRequired(message=_l("Enter a description")),
                                            Length(max=5000, message=_l("The description must be 5000 characters "
                                                                        "or fewer"))])
    email = StringField(_l("Email address for referrals (optional)"), widget=TextInput(),
                        description=_l("We send a short notice here when a referral arrives. It never includes "
                                       "case details."),
                        validators=[Optional(),
                                    Length(max=EMAIL_MAX, message=_l("Email address must be %(max)d characters or "
                                                                     "fewer", max=EMAIL_MAX)),
                                    Email(message=_l("Enter an email address in the correct format, like "
                                                     "name@example.com"))],
                        render_kw={"spellcheck": "false", "autocomplete": "off"})
    website = StringField(_l("Website (optional)"), widget=TextInput(),
                          validators=[Length(max=300, message=_l("The website must be 300 characters or fewer"))],
                          render_kw={"spellcheck": "false"})
    phone = StringField(_l("Phone number (optional)"), widget=TextInput(),
                        validators=[Length(max=30, message=_l("The phone number must be 30 characters or fewer"))],
                        render_kw={"class": "govuk-input--width-20", "autocomplete": "off"})
    first_contact_target_days = WholeNumberField(
        _l("First-contact target, in working days"), what=_l("the target"),
        description=_l("How soon after a referral is sent the organisation aims to make first contact. From 1 to "
                       "20."),
        validators=[InputRequired(message=_l("Enter the first-contact target"))])
    approved = BooleanField(_l("Approved to receive referrals"), widget=CheckboxInput(),
                            description=_l("The organisation is listed only while it is approved and its "
                                           "accreditation is in date."))
    accreditation_body = StringField(_l("Accrediting body"), widget=TextInput(),
                                     description=_l("For example, the Support for Victims quality standard"),
                                     validators=[Length(max=200, message=_l("The accrediting body must be 200 "
                                                                            "characters or fewer"))])
    assured_date = GovDateField(_l("Assured date"), what=_l("the assured date"), required=False,
                                description=_l("When the accreditation was given. For example, 27 3 2025"))
    accreditation_expires_on = GovDateField(_l("Expiry date"), what=_l("the expiry date"), required=False,
                                            allow_future=True, description=_l("For example, 27 3 2027"))
    submit = submit(_l("Save organisation"))

    fallback_error_field = "name"


class PartnerForm(PortalForm):
    """A new partner account."""

    email = email_field(_l("Work email address"))
    display_name = StringField(_l("Name"), widget=TextInput(),
                               validators=[DataRequired(message=_l("Enter the person’s name")),
                                           Length(max=100, message=_l("Name must be 100 characters or fewer"))])
    organisation = SelectField(_l("Organisation"), widget=GovSelect(), choices=[],
                               invalid_choice_message=_l("Select the organisation"),
                               validators=[DataRequired(message=_l("Select the organisation"))])
    submit = submit(_l("Create account"))

    fallback_error_field = "email"


class DeactivatePartnerForm(PortalForm):
    """Deactivate a partner account."""

    submit = submit(_l("Deactivate"))
