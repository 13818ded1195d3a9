"""Keeping anonymous feedback: what is stored (a rating, a comment, the day, a page's pattern) and how long."""

import re
import typing
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import CursorResult, update

from portal.clock import LONDON, utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.feedback.models import RATINGS, Feedback
from portal.i18n import N_

COMMENT_MAX = 1200
PAGE_MAX = 200
# A comment is kept this long, then emptied (the rating and the day stay for the figures): people type their
# names and crime numbers into free text whatever the hint says.
COMMENT_KEEP_DAYS = 180
# Invisible characters that only disguise text: C0 and C1 controls but tab and new lines, and the bidirectional
# overrides and isolates that can make a comment read differently from what it holds.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_comment(comment: str | None) -> str | None:
    """The comment as stored: without invisible control characters, with plain new lines, trimmed; None if empty.
    Refused over COMMENT_MAX characters."""
    text = _INVISIBLE.sub("", (comment or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > COMMENT_MAX:
        raise DomainError(N_("Your answer must be %(max)d characters or fewer"), field="comment", max=COMMENT_MAX)
    return text or None


def page_pattern(page: str | None) -> str | None:
    """The page the feedback link was on, if it is the pattern of one of this site's pages (``/cases/<crime_number>``
    as the banner gives it), else None: anything else (another site, a real crime number, a made-up path) is
    dropped, not refused, since the person cannot see or change it."""
    if not page or len(page) > PAGE_MAX or not page.startswith("/") or page.startswith("/feedback"):
        return None
    patterns = {rule.rule for rule in current_app.url_map.iter_rules() if "GET" in (rule.methods or ())
                and rule.endpoint != "static"}
    return page if page in patterns else None


@refusals_roll_back
def record_feedback(rating: int, comment: str | None = None, page: str | None = None,
                    today: date | None = None) -> Feedback:
    """Keep one piece of anonymous feedback (and commit). Nothing about the person is kept."""
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise DomainError(N_("Select how you felt about the service"), field="rating")
    feedback = Feedback(given_on=today or utcnow().astimezone(LONDON).date(), rating=rating,
                        comment=clean_comment(comment), page=page_pattern(page))
    db.session.add(feedback)
    db.session.commit()
    return feedback


def forget_old_comments(now: datetime | None = None, keep_days: int = COMMENT_KEEP_DAYS) -> int:
    """Empty the comments given more than keep_days ago (the caller commits); how many were emptied."""
    before = (now or utcnow()).astimezone(LONDON).date() - timedelta(days=keep_days)
    # An UPDATE's result is a CursorResult, which has the rowcount (Session.execute is typed as a plain Result).
    emptied = typing.cast(CursorResult, db.session.execute(
        update(Feedback).where(Feedback.given_on < before, Feedback.comment.is_not(None)).values(comment=None)
        .execution_options(synchronize_session=False)))
    return emptied.rowcount
