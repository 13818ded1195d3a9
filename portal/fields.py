"""Form fields the GOV.UK widgets do not cover well."""

from datetime import date

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.gov_form_base import GovFormBase
from wtforms import Field, IntegerField
from wtforms.validators import StopValidation

from portal.clock import today_in_london
from portal.widgets import TextInput

PARTS = ("day", "month", "year")
PART_LABELS = {"day": _l("Day"), "month": _l("Month"), "year": _l("Year")}


class GovDateWidget(GovFormBase):
    """The GOV.UK date input, with one named input per part (``name-day``, ``name-month``, ``name-year``, or the
    month and year only)."""

    template = "govuk_frontend_wtf/date.html"

    def __call__(self, field, **kwargs):
        """Render the inputs with the field's raw values."""
        kwargs.setdefault("id", field.id)
        return super().__call__(field, **kwargs)

    def map_gov_params(self, field, **kwargs):
        """Build the govukDateInput parameters."""
        params = super().map_gov_params(field, **kwargs)
        params.pop("label", None)
        params.pop("value", None)
        params.setdefault("fieldset", {"legend": {"text": field.label.text, "classes": "govuk-fieldset__legend--s"}})
        invalid = set(field.invalid_parts) or (set(field.parts) if field.errors else set())
        params["items"] = [
            {
                "id": f"{field.id}-{part}",
                "name": f"{field.name}-{part}",
                "label": str(PART_LABELS[part]),
                "value": field.raw_parts.get(part, ""),
                "classes": ("govuk-input--width-4" if part == "year" else "govuk-input--width-2")
                + (" govuk-input--error" if part in invalid else ""),
                "autocomplete": "off",
                "inputmode": "numeric",
            }
            for part in field.parts
        ]
        return params


class GovDateField(Field):
    """A date typed as day, month and year, validated with GOV.UK's error messages.

    ``what`` completes the messages, for example "the date it happened". Missing sub-fields in a crafted
    post are treated as empty, never as a crash.
    """

    widget = GovDateWidget()
    parts: tuple[str, ...] = PARTS

    def __init__(self, label=None, validators=None, what="the date", required=True, allow_future=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.required = required
        self.allow_future = allow_future
        self.raw_parts: dict[str, str] = {}
        self.invalid_parts: list[str] = []

    @property
    def error_id(self) -> str:
        """The input the error summary should link to."""
        return f"{self.id}-{self.invalid_parts[0] if self.invalid_parts else self.parts[0]}"

    def process(self, formdata, data=None, extra_filters=None):
        """Read the parts from the form, or the stored date."""
        self.process_errors = []
        self.data = data
        if formdata is not None:
            self.raw_parts = {part: (formdata.get(f"{self.name}-{part}") or "").strip()[:10] for part in self.parts}
            self.raw_data = [self.raw_parts[p] for p in self.parts]
        elif isinstance(data, date):
            self.raw_parts = {part: str(getattr(data, part)) for part in self.parts}
            self.raw_data = None

    def pre_validate(self, form):
        """Turn the parts into a date, or explain what is wrong."""
        if self.raw_data is None:
            return

        parts = self.raw_parts
        missing = [p for p in self.parts if not parts.get(p)]
        self.data = None
        if len(missing) == len(self.parts):
            if self.required:
                raise StopValidation(_l("Enter %(what)s", what=self.what))
            return
        if missing:
            self.invalid_parts = missing
            raise StopValidation(
                _l("%(what)s must include a %(part)s", what=str(self.what).capitalize(),
                   part=" and ".join(missing))
            )
        if not all(parts[p].isdigit() for p in self.parts) or len(parts["year"]) != 4:
            self.invalid_parts = [p for p in self.parts if not parts[p].isdigit()] or ["year"]
            raise StopValidation(_l("%(what)s must be a real date", what=str(self.what).capitalize()))
        try:
            value = date(int(parts["year"]), int(parts["month"]), int(parts.get("day", 1)))
        except (ValueError, OverflowError):  # OverflowError: a day or month too big for date() to take at all
            self.invalid_parts = list(self.parts)
            raise StopValidation(_l("%(what)s must be a real date", what=str(self.what).capitalize())) from None
        if value.year < 1900:
            self.invalid_parts = ["year"]
            raise StopValidation(_l("%(what)s must be after 1900", what=str(self.what).capitalize()))

        if not self.allow_future and value > today_in_london():
            self.invalid_parts = list(self.parts)
            raise StopValidation(_l("%(what)s must be today or in the past", what=str(self.what).capitalize()))
        self.data = value

    def _value(self):
        """Not used by the widget, which shows each part."""
        return ""


class GovMonthField(GovDateField):
    """A month typed as month and year (the GOV.UK date input without the day). Its data is the month's first
    day; the messages are the date input's."""

    parts = ("month", "year")


class WholeNumberField(IntegerField):
    """A whole number typed into a text box, with a GOV.UK error message when it is not one."""

    def __init__(self, label=None, validators=None, what: str = "a number", **kwargs):
        kwargs.setdefault("widget", TextInput())
        kwargs.setdefault("render_kw", {"class": "govuk-input--width-4", "inputmode": "numeric",
                                        "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)
        self.what = what

    def process_formdata(self, valuelist):
        """Read the number, or explain what is wrong."""
        self.data = None
        if not valuelist or not valuelist[0] or not valuelist[0].strip():
            return
        value = valuelist[0].strip()
        if len(value) > 9 or not value.isdigit():
            raise ValueError(_l("Enter %(what)s as a whole number, like 5", what=self.what))
        self.data = int(value)
