"""Read the development mailbox in the browser."""

import re
from email import message_from_bytes, policy
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from portal.auth.access import public

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")

_NAME = re.compile(r"^[0-9]+-[0-9a-f]{8}\.eml$")


def _mailbox() -> Path:
    """The folder the sink writes to."""
    return Path(current_app.config["DEV_MAILBOX_DIR"])


def _read(path: Path) -> dict:
    """Parse one saved message."""
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    return {
        "id": path.name,
        "from": message["From"],  # the neutral sender's name shows here, as the person's inbox would show it
        "to": message["To"],
        "subject": message["Subject"],
        "date": message["Date"],
        "body": body.get_content() if body else "",
    }


@bp.route("/")
@public
def inbox():
    """Every message the sink received, newest first."""
    folder = _mailbox()
    paths = sorted(folder.glob("*.eml"), reverse=True) if folder.exists() else []
    return render_template("devmail/inbox.html", messages=[_read(p) for p in paths[:200]])


@bp.route("/<name>")
@public
def message(name: str):
    """One message."""
    if not _NAME.match(name):
        abort(404)
    path = _mailbox() / name
    if not path.exists():
        abort(404)
    return render_template("devmail/message.html", message=_read(path))
