"""What the notifications layer asks of the layers above it, connected once by the app factory.

Messages sit below the case core (cases, tasks), yet two things they find out need it: that only a person can
reach someone (no email, text or letter is safe or possible: a call task), and that a message could not be
delivered (staff see it on the case). The factory connects `portal.tasks.contact`'s functions here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Hooks:
    """The functions the factory connects."""

    report_for: Callable[[int], Any]  # the report a message was about, by id
    person_needed: Callable[[Any], None]  # nobody can be reached by machine: ask someone to call
    not_delivered: Callable[[Any, Any, Any], None]  # (report, failed message, its replacement)


_connected: list[Hooks] = []


def connect(hooks: Hooks) -> None:
    """Connect the functions (the app factory calls this; calling it again replaces them)."""
    _connected[:] = [hooks]


def hooks() -> Hooks:
    """The connected functions."""
    if not _connected:
        raise RuntimeError("portal.notifications.hooks is not connected: build the app with create_app")
    return _connected[0]
