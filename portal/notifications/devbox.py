"""Without a Notify key, text messages and letters go to the development mailbox, beside the emails.

The SMTP sink (portal.devmail.sink) writes emails there as `.eml` files; a text message is written as a `.sms`
file (a small header, a blank line, the words) and a letter as a `.pdf`, named as the sink names emails (the time,
then a random part) so that `/dev/mail/` lists every channel in the order sent.
"""

import time
import uuid
from pathlib import Path

from flask import current_app

from portal.notifications.models import Channel, OutboxMessage


def _path(suffix: str) -> Path:
    """A new file in the mailbox folder."""
    folder = Path(current_app.config["DEV_MAILBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.{suffix}"


def save(message: OutboxMessage, pdf: bytes | None = None) -> str:
    """Write the text message or letter to the mailbox; return the file's name (as the provider's id)."""
    if message.channel is Channel.LETTER:
        if pdf is None:
            raise ValueError("a letter needs its PDF")
        path = _path("pdf")
        path.write_bytes(pdf)
        return path.name
    if message.channel is not Channel.TEXT:
        raise ValueError("emails go to the mailbox through the SMTP sink")
    sender = current_app.config["NEUTRAL_SERVICE_NAME"] if message.neutral_sender else current_app.config[
        "SERVICE_NAME"]
    path = _path("sms")
    path.write_text(f"From: {sender}\nTo: {message.recipient}\nReference: {message.delivery_key}\n\n"
                    f"{message.body_text}\n", encoding="utf-8")
    return path.name
