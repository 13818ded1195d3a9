"""How long a service takes to make first contact, measured from its referrals where there are enough of them.

The measured wait is the median number of working days (portal.cases.working_days) from a referral being sent to
the organisation's first contact, over the referrals sent in the last 90 days that have been contacted. With fewer
than five such referrals the organisation's own estimate is shown instead, labelled as theirs.
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.cases.working_days import working_days_between
from portal.clock import utcnow
from portal.extensions import db
from portal.support.models import Referral, SupportService

WINDOW_DAYS = 90
MIN_REFERRALS = 5


@dataclass(frozen=True)
class Wait:
    """Working days to first contact: measured from `referrals` referrals, or the organisation's estimate."""

    days: int
    referrals: int = 0
    measured: bool = False


def median_working_days(pairs: Iterable[tuple[datetime, datetime]]) -> int:
    """The median working days from sent to first contact, rounded up (so 'within' stays true)."""
    return math.ceil(statistics.median(working_days_between(sent, contacted) for sent, contacted in pairs))


def waits_for(services: Iterable[SupportService], now: datetime | None = None) -> dict[int, Wait]:
    """Each service's wait, by service id, in one query."""
    services = list(services)
    now = now or utcnow()
    pairs: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    if services:
        rows = db.session.execute(
            select(Referral.service_id, Referral.sent_at, Referral.first_contact_at)
            .where(Referral.service_id.in_([s.id for s in services]), Referral.sent_at.is_not(None),
                   Referral.sent_at >= now - timedelta(days=WINDOW_DAYS), Referral.sent_at <= now,
                   Referral.first_contact_at.is_not(None)))
        for service_id, sent_at, first_contact_at in rows:
            pairs[service_id].append((sent_at, first_contact_at))
    waits = {}
    for service in services:
        measured = pairs.get(service.id, [])
        if len(measured) >= MIN_REFERRALS:
            waits[service.id] = Wait(median_working_days(measured), len(measured), True)
        else:
            waits[service.id] = Wait(service.expected_wait_days or 0)
    return waits


def wait_for(service: SupportService, now: datetime | None = None) -> Wait:
    """One service's wait."""
    return waits_for([service], now)[service.id]
