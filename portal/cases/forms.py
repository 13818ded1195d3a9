"""Form fields for the case core."""

from flask import current_app
from wtforms import StringField
from wtforms.validators import ValidationError

from portal.cases.crime_numbers import InvalidCrimeNumber, parse_crime_number


class CrimeNumberField(StringField):
    """A crime number, or an information report's reference number, checked (format and check letter) before any
    lookup."""

    def pre_validate(self, form):
        """Normalise and check the number."""
        if not self.data:
            return
        try:
            self.data = str(parse_crime_number(self.data, current_app.config["CRIME_NUMBER_PREFIX"],
                                               current_app.config["INFORMATION_REPORT_PREFIX"]))
        except InvalidCrimeNumber as error:
            raise ValidationError(str(error)) from None
