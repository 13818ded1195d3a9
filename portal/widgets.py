"""Small fixes on top of govuk-frontend-wtf's widgets.

- A ``class`` given in ``render_kw`` becomes the component's ``classes`` (the macros otherwise drop it).
- Radios and checkboxes with no description get no empty hint.
"""

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
    """GOV.UK radios."""


class CheckboxesInput(_NoEmptyHint, gov.GovCheckboxesInput):
    """GOV.UK checkboxes."""


class CheckboxInput(_NoEmptyHint, gov.GovCheckboxInput):
    """A single GOV.UK checkbox."""
