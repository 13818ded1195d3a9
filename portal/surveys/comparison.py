"""The comparison sample: a random tenth of the victims who were not referred get the same cope-and-recover check-ins
as referred people, so that recovery with support can be compared with recovery without it.

- Who may be drawn: the victim's report (not a witness's) once the triage decision is made, with no referral sent on
  it, from an account that is still active, with a safe channel we can write to (email, a UK mobile for text, or a
  postal address for a letter, and only if the person said it is safe), never a safeguarding case.
- When: the first run of the survey job after the triage decision, within OFFER_WINDOW of it (a run that was missed,
  or the first run after this is deployed, does not draw cases decided long ago).
- Once: each case has at most one draw (the unique report_id), chosen or not, so a second run adds nothing and a
  case that was not chosen is never drawn again.
- A chosen case gets check-ins at 0, 4 and 12 weeks from the draw, offered and answered as a referral's are.
- Someone referred later leaves the comparison from then on: once a referral is sent on the case, the comparison
  check-ins not yet answered are no longer offered or answerable (the referral brings its own check-ins), and the
  insight comparison counts the case under its referral's kind of support, not as unsupported.

The random source is a parameter (anything with random()), so tests can seed it; the job uses the system's.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import String, cast, exists, or_, select
from sqlalchemy.orm import aliased, contains_eager

from portal.auth.models import User
from portal.cases.models import Report
from portal.extensions import db
from portal.notifications.channels import destinations
from portal.support.models import Referral
from portal.surveys.models import CHECK_IN_WEEKS, CheckIn, ComparisonDraw

# The share of eligible cases chosen for the comparison check-ins.
SAMPLE_RATE = 0.10
# Rows a guarded insert writes in one statement.
INSERT_ROWS = 500


class RandomSource(Protocol):
    """What the draw needs from a random generator (random.Random and random.SystemRandom have it)."""

    def random(self) -> float: ...


@dataclass
class DrawCounts:
    """What one draw did."""

    drawn: int = 0  # eligible cases drawn (chosen or not)
    chosen: int = 0  # of those, chosen for the check-ins


def referred():
    """For the report in the outer query: a referral has been sent on it for the victim (not a witness's own)."""
    return exists().where(Referral.report_id == Report.id, Referral.witness_link_id.is_(None),
                          Referral.sent_at.is_not(None))


def _mentions(channel: str):
    """The report lists this channel as safe (the JSON list as text: the same on SQLite and PostgreSQL)."""
    return cast(Report.safe_channels, String).like(f'%"{channel}"%')


def _may_have_safe_channel():
    """A safe channel with something to send to, as far as SQL can tell; destinations() has the last word."""
    return or_(_mentions("email"),
               _mentions("text") & Report.contact_phone.is_not(None),
               _mentions("letter") & Report.contact_address.is_not(None)
               & Report.contact_address_postcode.is_not(None))


def eligible(now: datetime, window: timedelta):
    """The reports that may be drawn now, oldest decision first (every rule but the exact channel check)."""
    drawn = exists().where(ComparisonDraw.report_id == Report.id)
    return (select(Report)
            .join(User, User.id == Report.reporter_user_id)
            .where(User.is_active_account.is_(True), Report.safeguarding.is_(False),
                   Report.triaged_at.is_not(None), Report.triaged_at <= now, Report.triaged_at >= now - window,
                   _may_have_safe_channel(), ~referred(), ~drawn)
            .order_by(Report.triaged_at, Report.id))


def draw(now: datetime, window: timedelta, rng: RandomSource, limit: int,
         insert: Callable[[type, list[dict], list[str], Any], set], rate: float = SAMPLE_RATE) -> DrawCounts:
    """Draw every eligible case (up to `limit`): each is chosen with probability `rate`. `insert` is the schedule's
    guarded insert returning what it added, so two runs at once cannot draw a case twice. The rows go in a few
    hundred a statement, always in the eligible order, so two runs at once take their locks in the same order and
    one waits for the other rather than deadlocking."""
    rows = []
    for report in db.session.scalars(eligible(now, window).options(contains_eager(Report.reporter)).limit(limit)):
        if not destinations(report):  # the person said a channel was safe but gave nothing it can reach
            continue
        rows.append({"report_id": report.id, "drawn_at": now, "chosen": rng.random() < rate})
    added: set[int] = set()
    for start in range(0, len(rows), INSERT_ROWS):
        added |= insert(ComparisonDraw, rows[start:start + INSERT_ROWS], ["report_id"], ComparisonDraw.report_id)
    return DrawCounts(drawn=len(added), chosen=sum(1 for row in rows if row["chosen"] and row["report_id"] in added))


def check_in_rows(draw_id: int, report_id: int, drawn_at: datetime) -> list[dict]:
    """A chosen case's check-ins: at the draw, and 4 and 12 weeks after it."""
    return [{"draw_id": draw_id, "report_id": report_id, "weeks": weeks, "due_at": drawn_at + timedelta(weeks=weeks)}
            for weeks in CHECK_IN_WEEKS]


def draws_missing_check_ins(now: datetime, window: timedelta, limit: int) -> list:
    """Chosen draws, recent enough to ask about, that lack any of their check-ins."""
    missing = [~exists().where(CheckIn.draw_id == ComparisonDraw.id, CheckIn.weeks == weeks)
               for weeks in CHECK_IN_WEEKS]
    query = (select(ComparisonDraw.id, ComparisonDraw.report_id, ComparisonDraw.drawn_at)
             .where(ComparisonDraw.chosen.is_(True),
                    ComparisonDraw.drawn_at >= now - timedelta(weeks=max(CHECK_IN_WEEKS)) - window,
                    or_(*missing))
             .order_by(ComparisonDraw.id).limit(limit))
    return list(db.session.execute(query).all())


def still_in_comparison():
    """For a CheckIn in the outer query: it is for a referral, or for a comparison draw on a case that has not been
    referred since (a person referred later leaves the comparison)."""
    sent = aliased(Referral, name="sent_referral")  # the outer query may join Referral itself
    later_referral = exists().where(sent.report_id == CheckIn.report_id, sent.witness_link_id.is_(None),
                                    sent.sent_at.is_not(None))
    return or_(CheckIn.draw_id.is_(None), ~later_referral)


def system_random() -> RandomSource:
    """The job's random source."""
    return random.SystemRandom()
