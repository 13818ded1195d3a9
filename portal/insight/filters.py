"""The dashboard's filters: a range of whole months on when reports were made, a borough and a category, read
from the query string. Bad values are errors on the page, never a crash.

Whole months, because two ranges that differ by a day could be subtracted to reveal a group too small to show
(everyone who reported on one day in one borough): every range starts on a month's first day and ends on a month's
last, so any two differ by whole months. A day in the address is refused with a message, not rounded.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import StopValidation

from portal.clock import LONDON
from portal.fields import GovMonthField
from portal.reporting.boroughs import BOROUGHS

# Every query-string parameter the filters read, so links and downloads can carry them on.
DATE_FIELDS = ("date_from", "date_to")
PARAMETERS = tuple(f"{name}-{part}" for name in DATE_FIELDS for part in GovMonthField.parts) + ("borough", "category")
MAX_VALUE = 100  # longer values are cut before they are looked at
DAYS_REFUSED = _l("The figures are for whole months. Choose a month and year, without a day")


@dataclass(frozen=True)
class Filters:
    """What every figure is narrowed to. Dates are London days, both ends included (the form and the published
    summary only ever make whole months)."""

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


def end_of_month(day: date) -> date:
    """The last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def whole_months_before(today: date, months: int) -> tuple[date, date]:
    """The first and last days of the ``months`` whole months before today's month (today's month, not yet over,
    is left out, so the period is the same every day of a month)."""
    last = today.replace(day=1) - timedelta(days=1)
    first_index = last.year * 12 + last.month - months  # months since year 0, counting from 0
    return date(first_index // 12, first_index % 12 + 1, 1), last


class FilterForm(FlaskForm):
    """Filters sent as GET parameters (no CSRF token: nothing changes)."""

    class Meta:
        """Read-only: no CSRF."""

        csrf = False

    date_from = GovMonthField(_l("From"), what=_l("the start date"), required=False, allow_future=True,
                              description=_l("Reports made in this month or later. For example, 4 2026"))
    date_to = GovMonthField(_l("To"), what=_l("the end date"), required=False, allow_future=True,
                            description=_l("Reports made in this month or earlier. For example, 6 2026"))
    borough = SelectField(_l("Borough"), widget=GovSelect())
    category = SelectField(_l("Crime category"), widget=GovSelect())

    def __init__(self, categories, args, **kwargs):
        trimmed = args.__class__({key: (args.get(key) or "")[:MAX_VALUE] for key in PARAMETERS if key in args})
        super().__init__(formdata=trimmed if trimmed else None, **kwargs)
        self._days_given = [name for name in DATE_FIELDS if (args.get(f"{name}-day") or "").strip()]
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
        """Each field, then no day (whole months only), then the range: the start must not be after the end."""
        valid = super().validate(extra_validators)
        for name in self._days_given:
            field = getattr(self, name)
            field.errors = [*field.errors, DAYS_REFUSED]
            valid = False
        if valid and self.date_from.data and self.date_to.data and self.date_from.data > self.date_to.data:
            self.date_to.invalid_parts = list(GovMonthField.parts)
            self.date_to.errors.append(_l("The end date must be the same as or after the start date"))
            valid = False
        return valid

    def filters(self) -> Filters:
        """The valid filters (call after validate): from the first day of the first month to the last day of the
        last."""
        return Filters(date_from=self.date_from.data or None,
                       date_to=end_of_month(self.date_to.data) if self.date_to.data else None,
                       borough=self.borough.data or None,
                       category_id=self._category_ids.get(self.category.data or ""))


def carried(args) -> dict[str, str]:
    """The filter parameters of a request, to put on links and downloads."""
    return {key: args.get(key)[:MAX_VALUE] for key in PARAMETERS if args.get(key)}
