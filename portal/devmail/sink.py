"""An aiosmtpd server that saves each message it receives as a .eml file."""

import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class MailboxHandler:
    """Write every message to a folder, newest last."""

    def __init__(self, folder: str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        """Save the raw message."""
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def start_sink(host: str, port: int, folder: str) -> Controller:
    """Start the sink in a background thread and return its controller."""
    controller = Controller(MailboxHandler(folder), hostname=host, port=port)
    controller.start()
    return controller


def run_sink(host: str, port: int, folder: str) -> None:
    """Run the sink until interrupted."""
    controller = start_sink(host, port, folder)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
