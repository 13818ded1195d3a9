"""How members of staff are named on every screen, in task outcomes and in the audit trail: rank, collar number and
name ("PC 1234 Alex Morgan"), never an email address. The one place that puts the three together."""

import re
from collections.abc import Iterable

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db

# Police ranks a collar number goes with, as they are written before a name.
RANKS = ("PC", "DC", "PS", "DS", "Insp", "DI", "PCSO")
# Roles that are police officers, and so have a collar number.
COLLAR_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
COLLAR_NUMBER = re.compile(r"[0-9]{1,7}")
# A name written with rank and collar number in one ("PC 1234 Alex Morgan"), as accounts made before the two had
# their own fields were named.
_COMBINED = re.compile(r"(?P<rank>" + "|".join(RANKS) + r")\s+(?P<collar>[0-9]{1,7})\s+(?P<name>\S.*)")


def full_name(rank: str | None, collar_number: str | None, display_name: str | None) -> str | None:
    """'PC 1234 Alex Morgan' from its parts; None when the account has no name at all."""
    if not display_name:
        return None
    return " ".join(part for part in (rank, collar_number, display_name) if part)


def staff_name(user: User | None, unnamed: str = "A member of staff") -> str:
    """How this member of staff is shown. An account with no name yet (made before names were required) is
    shown as `unnamed`, never by its email address."""
    if user is None:
        return unnamed
    return full_name(user.rank, user.collar_number, user.display_name) or unnamed


# How the public are shown to staff in a case's history: by their part in it, not by name or email address.
PUBLIC_PARTS = {Role.VICTIM: "The victim", Role.WITNESS: "A witness"}


def staff_names(ids: Iterable[int | None], unnamed: str = "A member of staff") -> dict[int, str]:
    """The names of these accounts, in one statement (none when there are no ids). Victims and witnesses among
    them are shown by their part ("The victim")."""
    wanted = {user_id for user_id in ids if user_id is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.role, User.rank, User.collar_number, User.display_name)
                              .where(User.id.in_(wanted)))
    return {user_id: PUBLIC_PARTS.get(role) or full_name(rank, collar, name) or unnamed
            for user_id, role, rank, collar, name in rows}


def split_combined(display_name: str | None) -> tuple[str | None, str | None, str | None]:
    """(rank, collar number, name) from a name written as 'PC 1234 Alex Morgan'; a name without a rank and
    collar number comes back as it is."""
    match = _COMBINED.fullmatch((display_name or "").strip())
    if match is None:
        return None, None, display_name
    return match["rank"], match["collar"], match["name"]
