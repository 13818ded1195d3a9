"""Which safe channel a message to the person who reported goes by, and to what address or number.

The person says which channels are safe (`Report.safe_channels`: email, phone, text, letter). A machine can send
an email, a text message or a letter; a phone call needs a person (a task). The gate uses the first channel, in
the order below, that is safe and that has somewhere to send to; if that one fails for good, the next.
"""

import re
from dataclasses import dataclass

from portal.notifications.models import Channel

ORDER = (Channel.EMAIL, Channel.TEXT, Channel.LETTER)

# A UK mobile number, written with or without the country code, once spaces, brackets and dashes are gone.
# "+44 (0)7700 900982" keeps its bracketed 0.
_UK_MOBILE = re.compile(r"^(?:(?:\+44|0044|44)0?|0)(7[0-9]{9})$")


def uk_mobile(number: str | None) -> str | None:
    """The number as "07700900982" when it is a UK mobile (which can receive text messages), else None."""
    match = _UK_MOBILE.match(re.sub(r"[\s()-]", "", number or ""))
    return f"0{match.group(1)}" if match else None


@dataclass(frozen=True)
class Destination:
    """Where one channel reaches the person: an email address, a mobile number, or a name and postal address."""

    channel: Channel
    recipient: str
    postal_address: str | None = None


def _email(report) -> str | None:
    """The account's email when the report belongs to one, else the address given with the report."""
    account = report.reporter if report.reporter_user_id is not None else None
    return (account.email if account is not None else None) or report.contact_email


def _letter(report) -> Destination | None:
    """The person's name and their address (lines, then the postcode), when they gave one."""
    if not (report.contact_address and report.contact_address_postcode):
        return None
    lines = [line for line in report.contact_address.split("\n") if line.strip()]
    return Destination(Channel.LETTER, report.contact_name, "\n".join([*lines, report.contact_address_postcode]))


def destination(report, channel: Channel) -> Destination | None:
    """Where this channel reaches the person, if it is safe for them and they gave an address or number."""
    if channel.value not in (report.safe_channels or []):
        return None
    if channel is Channel.EMAIL:
        email = _email(report)
        return Destination(channel, email) if email else None
    if channel is Channel.TEXT:
        mobile = uk_mobile(report.contact_phone)
        return Destination(channel, mobile) if mobile else None
    return _letter(report)


def destinations(report, *, leaving_out: frozenset[Channel] = frozenset()) -> list[Destination]:
    """Every channel a machine can reach the person by, best first, less those already tried."""
    found = (destination(report, channel) for channel in ORDER if channel not in leaving_out)
    return [one for one in found if one is not None]
