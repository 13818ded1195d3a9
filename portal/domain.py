"""Errors that services raise and views turn into form errors."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from portal.extensions import db
from portal.i18n import translated

P = ParamSpec("P")
R = TypeVar("R")


class DomainError(Exception):
    """A rule of the service was broken; the message is safe to show to the user.

    The message is English, marked with N_ (or lazy), with %(name)s placeholders filled from values; `message`
    gives it in the language of the page that shows it.
    """

    def __init__(self, message, field: str | None = None, **values):
        super().__init__(message)
        self.text = message
        self.field = field
        self.values = values

    @property
    def message(self) -> str:
        """The message in the page's language."""
        words = translated(self.text) if isinstance(self.text, str) else str(self.text)
        return words % self.values if self.values else words


def refusals_roll_back(service: Callable[P, R]) -> Callable[P, R]:
    """A service refused with a DomainError leaves nothing behind: whatever it, or its caller, had prepared in
    the session is rolled back before the error reaches the view (which then shows the form with the error)."""

    @wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return service(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return run
