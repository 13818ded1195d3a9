"""Time-based one-time passwords for staff, with replay protection."""

import pyotp
import segno
from flask import current_app
from markupsafe import Markup

from portal.clock import utcnow


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=current_app.config["TOTP_ISSUER"])


def qr_code_svg(uri: str) -> Markup:
    """The URI as an inline SVG QR code, with a text alternative."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your authenticator app")
    return Markup(svg)  # noqa: S704 - segno builds the SVG from the URI; no user HTML goes in


def matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time-step the code belongs to (allowing one step of clock drift), or None.

    A step at or before ``last_step`` was already used and is refused.
    """
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(_now())
    for step in (now_step, now_step - 1, now_step + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _now():
    """Now, as pyotp expects it."""
    return utcnow()
