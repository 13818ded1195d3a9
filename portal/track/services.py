"""Following a case without an account: send a six-digit code to a safe channel the report already holds, check
it, and let the person ask for a call from the tracking view.

The page says the same thing whether or not the crime number exists, has a safe email or mobile number, or has had
its codes for the day, and does the same work (a code made and hashed) either way. Only a keyed hash of a code is
kept (HMAC-SHA256 with the app's SECRET_KEY), never the code, not even in the audit trail. A code lives
CODE_MINUTES, allows CODE_ATTEMPTS wrong tries, and works once; a case is sent at most CODES_PER_DAY codes in any
24 hours. Only the channels of the person who reported are used: never a witness's or a partner's details.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app

from portal.audit.services import record_audit
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.channels import Destination, destination
from portal.notifications.models import Channel
from portal.notifications.services import queue_requested, reporter_language
from portal.tasks.enums import Asker, TaskType
from portal.tasks.services import raise_task
from portal.track import queries
from portal.track.models import TrackingCode

CODE_MINUTES = 15
CODE_ATTEMPTS = 5
CODES_PER_DAY = 5
CODE_DIGITS = 6
# Where a code is sent: a safe email first, else a text to a UK mobile. Never a letter (it would come too late).
CODE_CHANNELS = (Channel.EMAIL, Channel.TEXT)


def new_code() -> str:
    """Six random digits, leading zeros kept."""
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(code: str) -> str:
    """The keyed hash kept in place of a code."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def code_destination(report: Report) -> Destination | None:
    """The safe email of the person who reported, else their UK mobile, else None."""
    for channel in CODE_CHANNELS:
        found = destination(report, channel)
        if found is not None:
            return found
    return None


def request_code(crime_number: str) -> None:
    """Send a code for this case if it exists, holds a safe email or mobile number and has not had CODES_PER_DAY
    codes in the last 24 hours. The caller learns nothing either way: it must say the same thing to everyone."""
    code = new_code()
    hashed = code_hash(code)  # made whether or not it is sent, so every answer takes the same work
    now = utcnow()
    report = queries.report_by_crime_number(crime_number)
    found = code_destination(report) if report is not None else None
    if report is None:
        record_audit(None, "tracking.code_not_sent", "report", crime_number, "no case has this crime number")
    elif found is None:
        record_audit(None, "tracking.code_not_sent", "report", crime_number, "no safe email or mobile number")
    elif queries.codes_sent_since(report.id, now - timedelta(days=1)) >= CODES_PER_DAY:
        record_audit(None, "tracking.code_not_sent", "report", crime_number,
                     f"{CODES_PER_DAY} codes sent in the last 24 hours")
    else:
        db.session.add(TrackingCode(report_id=report.id, code_hash=hashed, channel=found.channel.value, sent_at=now,
                                    expires_at=now + timedelta(minutes=CODE_MINUTES), attempts=0))
        queue_requested(found, "tracking_code", locale=reporter_language(report), neutral=report.neutral_sender,
                        code=code, minutes=CODE_MINUTES, track_link=absolute_url("track.start"))
        record_audit(None, "tracking.code_sent", "report", crime_number, f"by {found.channel.value}")
    db.session.commit()


def open_with_code(crime_number: str, code: str) -> Report | None:
    """The case, if this code is one of its live codes (the code is then spent); else None, the same for a crime
    number that does not exist, a wrong code, an expired or used one, and one tried too often. A wrong code counts
    as a try against every live code of the case."""
    given = code_hash(code.strip())
    now = utcnow()
    report = queries.report_by_crime_number(crime_number)
    live = queries.live_codes(report.id, now, CODE_ATTEMPTS) if report is not None else []
    matched = next((row for row in live if hmac.compare_digest(row.code_hash, given)), None)
    if matched is not None and report is not None:
        matched.used_at = now
        record_audit(None, "tracking.opened", "report", crime_number, f"code sent by {matched.channel}")
        db.session.commit()
        return report
    for row in live:
        row.attempts += 1
    record_audit(None, "tracking.code_refused", "report", crime_number,
                 "a live code was tried" if live else "no live code")
    db.session.commit()
    return None


def ask_for_call(report: Report, note: str | None) -> None:
    """Someone following the case with a code asks to talk to someone: a call-back task for the people whose job
    it is, the same line on the case's timeline as when the victim asks from their account, and the audit, in
    one transaction."""
    note = (note or "").strip()[:1000] or None
    add_timeline_event(report.id, "call_requested", N_("You asked us to call you"), note, victim=True)
    raise_task(report, TaskType.CALL_BACK, Asker.VICTIM, None, note)
    record_audit(None, "tracking.call_requested", "report", report.crime_number)
    db.session.commit()


def stopped_following(report_id: int) -> None:
    """The person ended the tracking view ("Stop following"). Audited, as every use is."""
    report = queries.tracked_report(report_id)
    if report is not None:
        record_audit(None, "tracking.stopped", "report", report.crime_number)
        db.session.commit()
