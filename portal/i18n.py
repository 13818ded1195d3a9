"""Languages: which one a page is shown in, and UK date formatting (stored in UTC, shown in Europe/London).

Victims and witnesses choose English, Polish or Arabic. The choice is kept on the account, and in a cookie for
people who are not signed in. Staff, partner and insight pages are in English.
"""

from datetime import date, datetime
from typing import overload

from flask import has_request_context, request
from flask_babel import format_date, format_datetime, get_locale, gettext
from flask_login import current_user

# Each language's name in itself, as the switcher shows it.
LANGUAGES = {"en": "English", "pl": "Polski", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_DAYS = 365
# Areas used by police, partners and admins: in English, with no "Exit this page".
STAFF_BLUEPRINTS = frozenset({"triage", "partners", "insight", "admin", "admin_organisations", "support_staff"})


def english_only_area() -> bool:
    """Staff, partner, insight and admin pages, and anyone signed in to a staff account."""
    if request.blueprint in STAFF_BLUEPRINTS or request.blueprint == "devmail":
        return True
    return bool(current_user and current_user.is_authenticated and current_user.is_staff)


def N_(text: str) -> str:  # noqa: N802 - the usual name of gettext's "mark only" function
    """Mark text for the catalogue without translating it here: it is stored (a timeline title) or kept as data
    (a status's words), in English, and translated where it is shown, by the `translated` filter."""
    return text


@overload
def translated(text: str) -> str: ...
@overload
def translated(text: None) -> None: ...
@overload
def translated(text: str | None) -> str | None: ...
def translated(text: str | None) -> str | None:
    """Text stored in English, in the page's language if the catalogue has it (otherwise as it is: an officer's
    own words stay as they wrote them). Never formats, so a % in someone's text is safe."""
    return gettext(text) if text else text


def select_locale() -> str:
    """The language for this request: the account's choice, then the cookie's, then English."""
    if not has_request_context() or english_only_area():
        return DEFAULT_LANGUAGE
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language code of the page being drawn (en outside a request)."""
    return str(get_locale() or DEFAULT_LANGUAGE) if has_request_context() else DEFAULT_LANGUAGE


def text_direction(language: str) -> str:
    """rtl for right-to-left languages, otherwise ltr."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def uk_date(value: date | datetime | None) -> str:
    """22 November 2026 (a datetime is first put into London time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM yyyy")
    return format_date(value, "d MMMM yyyy")


def uk_datetime(value: datetime | None) -> str:
    """22 November 2026 at 1:37pm"""
    if value is None:
        return ""

    if current_language() == DEFAULT_LANGUAGE:
        time = format_datetime(value, "h:mma").lower()
    else:
        time = format_datetime(value, "HH:mm")
    return gettext("%(date)s at %(time)s", date=format_datetime(value, "d MMMM yyyy"), time=time)
