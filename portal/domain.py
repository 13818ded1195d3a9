"""Errors that services raise and views turn into form errors."""
from portal.i18n import translated


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
