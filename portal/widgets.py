"""Small fixes on top of govuk-frontend-wtf's widgets.

- A ``class`` given in ``render_kw`` becomes the component's ``classes`` (the macros otherwise drop it).
- Radios and checkboxes with no description get no empty hint.
- Radios can have the "or" divider before a choice.
"""

from flask_babel import gettext as _
from govuk_frontend_wtf import wtforms_widgets as gov


class _ClassesFromRenderKw:
    """Move a ``class`` attribute into the GOV.UK ``classes`` parameter."""

    def map_gov_params(self, field, **kwargs):
        """Build the parameters, then lift the CSS classes."""
        params = super().map_gov_params(field, **kwargs)
        extra = params.get("attributes", {}).pop("class", None)
        if extra:
            params["classes"] = " ".join(filter(None, [params.get("classes"), extra]))
        return params


class _NoEmptyHint:
    """Drop the hint when the field has no description."""

    def map_gov_params(self, field, **kwargs):
        """Build the parameters without an empty hint."""
        params = super().map_gov_params(field, **kwargs)
        hint = params.get("hint")
        if not hint or not hint.get("text"):
            params.pop("hint", None)
        return params


class TextInput(_ClassesFromRenderKw, gov.GovTextInput):
    """A GOV.UK text input."""


class RadioInput(_NoEmptyHint, gov.GovRadioInput):
    """GOV.UK radios. ``dividerBefore`` (a choice's value) puts the "or" divider before that choice."""

    def map_gov_params(self, field, **kwargs):
        """Build the parameters, then add the divider if one was asked for."""
        params = super().map_gov_params(field, **kwargs)
        before = params.pop("dividerBefore", None)
        values = [item.get("value") for item in params["items"]]
        if before in values:
            params["items"].insert(values.index(before), {"divider": _("or")})
        return params


class CheckboxesInput(_NoEmptyHint, gov.GovCheckboxesInput):
    """GOV.UK checkboxes."""


class CheckboxInput(_NoEmptyHint, gov.GovCheckboxInput):
    """A single GOV.UK checkbox."""


class PasswordInput(gov.GovPasswordInput):
    """A GOV.UK password input whose show and hide button speaks the page's language."""

    def map_gov_params(self, field, **kwargs):
        """Add the button's words, translated when the page is drawn. The GOV.UK macro writes `autocomplete`
        itself (current-password unless told otherwise), so a field's own value is passed to it, not repeated as
        a second attribute: a new password must say new-password to password managers."""
        params = super().map_gov_params(field, **kwargs)
        attributes = params.get("attributes") or {}
        if "autocomplete" in attributes:
            params["autocomplete"] = attributes.pop("autocomplete")
        for key, words in (("showPasswordText", _("Show")), ("hidePasswordText", _("Hide")),
                           ("showPasswordAriaLabelText", _("Show password")),
                           ("hidePasswordAriaLabelText", _("Hide password")),
                           ("passwordShownAnnouncementText", _("Your password is visible")),
                           ("passwordHiddenAnnouncementText", _("Your password is hidden"))):
            params.setdefault(key, words)
        return params


class CharacterCount(gov.GovCharacterCount):
    """A GOV.UK character count whose messages (on the page and from its script) speak the page's language."""

    def map_gov_params(self, field, **kwargs):
        """Add the component's words, translated when the page is drawn. %{count} is filled in by GOV.UK
        Frontend, not by gettext."""
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("textareaDescriptionText", _("You can enter up to %{count} characters"))
        params.setdefault("charactersUnderLimitText", {"one": _("You have %{count} character remaining"),
                                                       "other": _("You have %{count} characters remaining")})
        params.setdefault("charactersAtLimitText", _("You have 0 characters remaining"))
        params.setdefault("charactersOverLimitText", {"one": _("You have %{count} character too many"),
                                                      "other": _("You have %{count} characters too many")})
        return params
