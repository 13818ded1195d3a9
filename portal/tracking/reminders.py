"""Reminders to witnesses before each hearing, and witness care's task when a witness has not answered.

A witness following a case is emailed (their channel: a witness has an account and an email address) 7 days and 1
day before each hearing, in the neutral words every email uses: a date coming up, and a link to sign in. Each
reminder goes once (a row per witness, hearing and kind, unique in the database), never to a closed account and
never once the hearing has started. A hearing listed so late that the 7-day mark has passed gets the 1-day
reminder only when that is due, or the 7-day one straight away. At the first reminder, a witness who has not said
whether they can attend raises the "no answer" task for witness care (due in 1 working day). A hearing that was
moved, adjourned or vacated gets no more reminders; the new date of a moved one gets its own
(portal/tracking/hearings.py).

Run every 15 minutes by the scheduler (`hearing-reminders`), or `flask jobs run hearing-reminders` from cron.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import Report, TimelineEvent, WitnessLink
from portal.clock import LONDON, utcnow
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.services import queue_for_witness
from portal.tasks.enums import Asker, TaskType
from portal.tasks.services import raise_task
from portal.tracking.hearings import replaced_hearings
from portal.tracking.models import CourtAvailability, HearingReminder

HEARING = "court_hearing_scheduled"
# Each kind of reminder and how long before the hearing it is due, latest first.
REMINDERS = (("1 day", timedelta(days=1)), ("7 days", timedelta(days=7)))
# Hearings listed longer ago than this are not looked at again (no hearing is listed a year ahead).
LOOK_BACK = timedelta(days=400)


def hearing_time(event: TimelineEvent) -> datetime | None:
    """When the hearing starts, from the update that listed it."""
    when = ((event.text_values or {}).get("when") or {}).get("datetime")
    if not when:
        return None
    moment = datetime.fromisoformat(when)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due_reminder(starts: datetime, now: datetime) -> str | None:
    """The reminder due now for a hearing starting then, if any: the latest whose time has come."""
    if now >= starts:
        return None
    for kind, before in REMINDERS:
        if now >= starts - before:
            return kind
    return None


def send_hearing_reminders(now: datetime | None = None) -> int:
    """Queue the reminders that are due, raise the no-answer tasks, and commit. Returns how many were sent."""
    now = now or utcnow()
    hearings = [(event, starts) for event in db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.reason_code == HEARING, TimelineEvent.visible_to_witness.is_(True),
                                    TimelineEvent.occurred_at >= now - LOOK_BACK))
                if (starts := hearing_time(event)) is not None and due_reminder(starts, now)]
    if not hearings:
        return 0
    report_ids = {event.report_id for event, _starts in hearings}
    replaced = replaced_hearings(report_ids)  # moved, adjourned or vacated: a moved one is a new hearing
    hearings = [(event, starts) for event, starts in hearings if event.id not in replaced]
    links = db.session.execute(
        select(WitnessLink, User).join(User, User.id == WitnessLink.witness_user_id)
        .where(WitnessLink.report_id.in_(report_ids), WitnessLink.linked_at.is_not(None),
               User.is_active_account.is_(True))).all()
    links_on: dict[int, list] = defaultdict(list)  # each case's joined witnesses with open accounts
    for link, witness in links:
        links_on[link.report_id].append((link, witness))
    event_ids = [event.id for event, _starts in hearings]
    sent_before: dict[tuple[int, int], set[str]] = defaultdict(set)  # (witness link, hearing): kinds already sent
    for row in db.session.scalars(select(HearingReminder).where(HearingReminder.hearing_event_id.in_(event_ids))):
        sent_before[(row.witness_link_id, row.hearing_event_id)].add(row.kind)
    answered = set(db.session.execute(select(CourtAvailability.witness_link_id, CourtAvailability.hearing_event_id)
                                      .where(CourtAvailability.hearing_event_id.in_(event_ids))).tuples())
    sent = 0
    for event, starts in hearings:
        kind = due_reminder(starts, now)
        for link, witness in links_on[event.report_id]:
            already = sent_before[(link.id, event.id)]
            if kind in already:
                continue
            db.session.add(HearingReminder(witness_link_id=link.id, hearing_event_id=event.id, kind=kind,
                                           sent_at=now))
            queue_for_witness(link, witness, "hearing_reminder", sign_in_link=absolute_url("auth.login"))
            first = not already
            already.add(kind)
            if first and (link.id, event.id) not in answered:
                raise_task(db.session.get(Report, event.report_id), TaskType.WITNESS_NO_ANSWER, Asker.SYSTEM, None,
                           f"The witness invited as {link.invited_email} has not said whether they can attend the "
                           f"hearing on {starts.astimezone(LONDON):%d %B %Y at %H:%M}.", now=now)
            sent += 1
    db.session.commit()
    return sent
