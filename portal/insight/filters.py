"""The dashboard's filters: a date range on when reports were made, a borough and a category, read from the
query string. Bad values are errors on the page, never a crash."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import StopValidation

from portal.clock import LONDON
from portal.fields import PARTS, GovDateField
from portal.reporting.boroughs import BOROUGHS

# Every query-string parameter the filters read, so links and downloads can carry them on.
DATE_FIELDS = ("date_from", "date_to")
PARAMETERS = tuple(f"{name}-{part}" for name in DATE_FIELDS for part in PARTS) + ("borough", "category")
MAX_VALUE = 100  # longer values are cut before they are looked at


@dataclass(frozen=True)
class Filters:
    """What every figure is narrowed to. Dates are London days, both ends included."""

    date_from: date | None = None
    date_to: date | None = None
    borough: str | None = None
    category_id: int | None = None

    @property
    def submitted_from(self) -> datetime | None:
        """The first moment of the first day, in UTC."""
        return london_midnight(self.date_from) if self.date_from else None

    @property
    def submitted_before(self) -> datetime | None:
        """The first moment after the last day, in UTC."""
        return london_midnight(self.date_to + timedelta(days=1)) if self.date_to else None


def london_midnight(day: date) -> datetime:
    """The start of a London day, as an aware datetime in UTC."""
    return datetime.combine(day, time(), tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


class FilterForm(FlaskForm):
    """Filters sent as GET parameters (no CSRF token: nothing changes)."""

    class Meta:
        """Read-only: no CSRF."""

        csrf = False

    date_from = GovDateField(_l("From"), what=_l("the start date"), required=False, allow_future=True,
                             description=_l("Reports made on or after this day. For example, 1 4 2026"))
    date_to = GovDateField(_l("To"), what=_l("the end date"), required=False, allow_future=True,
                           description=_l("Reports made on or before this day. For example, 30 6 2026"))
    borough = SelectField(_l("Borough"), widget=GovSelect())
    category = SelectField(_l("Crime category"), widget=GovSelect())

    def __init__(self, categories, args, **kwargs):
        trimmed = args.__class__({key: (args.get(key) or "")[:MAX_VALUE] for key in PARAMETERS if key in args})
        super().__init__(formdata=trimmed if trimmed else None, **kwargs)
        self.borough.choices = [("", _l("All boroughs")), *((b, b) for b in BOROUGHS)]
        self.category.choices = [("", _l("All categories")), *((c.code, c.name) for c in categories)]
        self._category_ids = {c.code: c.id for c in categories}
        self.borough.pre_validate = self._choice_check(self.borough, _l("Select a borough from the list"))
        self.category.pre_validate = self._choice_check(self.category, _l("Select a crime category from the list"))

    @staticmethod
    def _choice_check(field, message):
        """A choice outside the list gets a GOV.UK message rather than WTForms' own."""
        def check(_form):
            if (field.data or "") not in {value for value, _label in field.choices}:
                field.data = ""
                raise StopValidation(message)

        return check

    def validate(self, extra_validators=None) -> bool:
        """Each field, then the range: the start must not be after the end."""
        valid = super().validate(extra_validators)
        if valid and self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.invalid_parts = list(PARTS)
            self.date_to.errors.append(_l("The end date must be the same as or after the start date"))
            valid = False
        return valid

    def filters(self) -> Filters:
        """The valid filters (call after validate)."""
        return Filters(date_from=self.date_from.data or None, date_to=self.date_to.data or None,
                       borough=self.borough.data or None,
                       category_id=self._category_ids.get(self.category.data or ""))


def carried(args) -> dict[str, str]:
    """The filter parameters of a request, to put on links and downloads."""
    return {key: args.get(key)[:MAX_VALUE] for key in PARAMETERS if args.get(key)}
