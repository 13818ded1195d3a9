"""Read the development mailbox in the browser: emails, text messages and letters, newest first."""

from io import BytesIO
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_file

from portal.auth.access import public
from portal.devmail.mailbox import find, listing, read

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")


def _mailbox() -> Path:
    """The folder the sink and the development delivery write to."""
    return Path(current_app.config["DEV_MAILBOX_DIR"])


@bp.route("/")
@public
def inbox():
    """Every message saved, of every channel, newest first."""
    return render_template("devmail/inbox.html", messages=listing(_mailbox()))


@bp.route("/<name>")
@public
def message(name: str):
    """One message: an email's or a text's words; a letter's text and a link to its PDF."""
    path = find(_mailbox(), name)
    if path is None:
        abort(404)
    return render_template("devmail/message.html", message=read(path))


@bp.route("/<name>/letter.pdf")
@public
def letter(name: str):
    """A letter as it would be printed and posted."""
    path = find(_mailbox(), name, kind="pdf")
    if path is None:
        abort(404)
    # Read whole (a letter is small): a file handle left to the response stays open until the response is closed.
    return send_file(BytesIO(path.read_bytes()), mimetype="application/pdf", as_attachment=False,
                     download_name=name, max_age=0)
