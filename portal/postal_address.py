"""A UK postal address, asked for only when a letter is a safe way to reach someone.

The fields follow the GOV.UK address pattern ("Address line 1", "Address line 2 (optional)", "Town or city",
"Postcode"), for the report wizard and for a case's contact preferences. A report keeps the lines joined by
newlines (`contact_address`) and the postcode apart (`contact_address_postcode`), in its usual written form:
capitals and one space ("sw1a1aa" is kept as "SW1A 1AA").
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from portal.widgets import TextInput

LINE_MAX = 100
TOWN_MAX = 60
# The field names, in the report's draft answers and in both forms.
FIELDS = ("address_line_1", "address_line_2", "address_town", "address_postcode")
# The outward code (an area, a district, perhaps a sub-district letter) and the inward code (a sector digit and a
# unit of two letters), written without spaces: "SW1A" + "1AA".
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(text: str | None) -> str | None:
    """A UK postcode in capitals with one space before its last three characters, or None when the text is not
    one ("sw1a1aa" and " SW1A  1AA " are both "SW1A 1AA")."""
    match = _POSTCODE.match("".join((text or "").upper().split()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def _one_line(text: str | None) -> str:
    """A line as typed, with runs of spaces (and any line break someone managed to send) made one space."""
    return " ".join((text or "").split())


@dataclass(frozen=True)
class PostalAddress:
    """An address as the person typed it (each line on one line; the postcode as typed until it is kept)."""

    line_1: str = ""
    line_2: str = ""
    town: str = ""
    postcode: str = ""

    @classmethod
    def typed(cls, line_1: str | None, line_2: str | None, town: str | None, postcode: str | None) -> "PostalAddress":
        """From a form or the draft's answers."""
        return cls(_one_line(line_1), _one_line(line_2), _one_line(town), _one_line(postcode))

    @classmethod
    def of_answers(cls, answers: dict) -> "PostalAddress":
        """From the report wizard's saved answers."""
        return cls.typed(*(answers.get(name) for name in FIELDS))

    @classmethod
    def kept(cls, lines: str | None, postcode: str | None) -> "PostalAddress":
        """From what a report keeps: two lines are line 1 and the town, three are line 1, line 2 and the town."""
        parts = [part for part in (lines or "").split("\n") if part.strip()]
        if not parts:
            return cls(postcode=postcode or "")
        line_2 = parts[1] if len(parts) > 2 else ""
        return cls(parts[0], line_2, parts[-1] if len(parts) > 1 else "", postcode or "")

    def problems(self) -> list[tuple[str, str]]:
        """Everything wrong with the address, as (field, message) in the order of the fields; empty when it will
        do."""
        found: list[tuple[str, str]] = []
        if not self.line_1:
            found.append(("address_line_1", _l("Enter address line 1, typically the building and street")))
        elif len(self.line_1) > LINE_MAX:
            found.append(("address_line_1", _l("Address line 1 must be %(max)d characters or fewer", max=LINE_MAX)))
        if len(self.line_2) > LINE_MAX:
            found.append(("address_line_2", _l("Address line 2 must be %(max)d characters or fewer", max=LINE_MAX)))
        if not self.town:
            found.append(("address_town", _l("Enter town or city")))
        elif len(self.town) > TOWN_MAX:
            found.append(("address_town", _l("Town or city must be %(max)d characters or fewer", max=TOWN_MAX)))
        if not self.postcode:
            found.append(("address_postcode", _l("Enter postcode")))
        elif normalise_postcode(self.postcode) is None:
            found.append(("address_postcode", _l("Enter a real postcode, like SW1A 2AA")))
        return found

    @property
    def lines(self) -> str:
        """The lines to keep, joined by newlines (line 2 only when there is one)."""
        return "\n".join(line for line in (self.line_1, self.line_2, self.town) if line)

    @property
    def kept_postcode(self) -> str | None:
        """The postcode as a report keeps it."""
        return normalise_postcode(self.postcode)

    def form_data(self) -> dict:
        """Values for the address fields of a form."""
        return dict(zip(FIELDS, (self.line_1, self.line_2, self.town, self.postcode), strict=True))


def line_1_field() -> StringField:
    """Address line 1 (checked by PostalAddress.problems, only when a letter is safe)."""
    return StringField(_l("Address line 1"), widget=TextInput(), render_kw={"autocomplete": "address-line1"})


def line_2_field() -> StringField:
    """Address line 2, optional."""
    return StringField(_l("Address line 2 (optional)"), widget=TextInput(), render_kw={"autocomplete": "address-line2"})


def town_field() -> StringField:
    """Town or city."""
    return StringField(_l("Town or city"), widget=TextInput(),
                       render_kw={"autocomplete": "address-level2", "class": "govuk-!-width-two-thirds"})


def postcode_field() -> StringField:
    """Postcode."""
    return StringField(_l("Postcode"), widget=TextInput(),
                       render_kw={"autocomplete": "postal-code", "class": "govuk-input--width-10"})


def check_form(form) -> bool:
    """Put each problem of a form's address on its field, and write the postcode as it will be kept. True when the
    address will do."""
    address = PostalAddress.typed(*(getattr(form, name).data for name in FIELDS))
    problems = address.problems()
    for name, message in problems:
        getattr(form, name).errors = [*getattr(form, name).errors, message]
    if not problems:
        for name, value in address.form_data().items():
            getattr(form, name).data = value
        form.address_postcode.data = address.kept_postcode
    return not problems
