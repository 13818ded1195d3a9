"""Hearings that change: moved to a new date, adjourned, or vacated (cancelled).

A hearing is the update that listed it: a timeline event with the reason "court_hearing_scheduled" and its court
and time in the event's values (when an officer added words for the victim there are two copies, the victim's and
the witnesses'). A change is a new update that names the copies it replaces (values["replaces"]); a hearing that
has been replaced is no longer current: witnesses are not asked about it or reminded of it. A move is itself a
hearing (same reason, the new court and time), so witnesses answer for it and are reminded of it afresh.

The change goes through the case's one change function (portal/cases/changes.py: timeline, audit, the victim's
update and its notification, in one transaction) and every witness following the case is told there is an update,
in the neutral words every email uses.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.access import POLICE_ROLES
from portal.cases.changes import Event, commit_change
from portal.cases.models import Report, TimelineEvent, WitnessLink
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.services import queue_for_witness

HEARING = "court_hearing_scheduled"
# Who may change a hearing: officers, supervisors and the Witness Care Unit.
HEARING_ROLES = POLICE_ROLES | {Role.WITNESS_CARE}
# Each change: the reason code of the new update, its title and its standard wording, and the audit action.
CHANGES = {
    "moved": (HEARING, N_("The hearing has moved"), N_("The hearing will now be at %(place)s on %(when)s."),
              "hearing.moved"),
    "adjourned": ("hearing_adjourned", N_("The hearing has been adjourned"),
                  N_("The hearing has been put off until a later date. We will tell you the new date when the court "
                     "sets it."), "hearing.adjourned"),
    "vacated": ("hearing_vacated", N_("The hearing will not go ahead"),
                N_("The hearing has been cancelled and will not go ahead. We will tell you what happens next."),
                "hearing.vacated"),
}


def replaced_hearings(report_ids: set[int] | list[int]) -> set[int]:
    """The ids of hearing updates a later change replaced, on these cases."""
    replaced: set[int] = set()
    for values in db.session.scalars(select(TimelineEvent.text_values).where(
            TimelineEvent.report_id.in_(report_ids), TimelineEvent.kind == "hearing_change")):
        replaced |= {int(part) for part in str((values or {}).get("replaces", "")).split(",") if part.isdigit()}
    return replaced


def current_hearings(report: Report, now: datetime | None = None) -> list[TimelineEvent]:
    """The case's hearings still to come and not replaced, soonest first: the ones a witness answers about and
    staff can change."""
    now = now or utcnow()
    replaced = replaced_hearings([report.id])
    found = []
    for event in db.session.scalars(select(TimelineEvent).where(TimelineEvent.report_id == report.id,
                                                                TimelineEvent.reason_code == HEARING)):
        when = ((event.text_values or {}).get("when") or {}).get("datetime")
        if event.id not in replaced and when and datetime.fromisoformat(when) > now:
            found.append(event)
    return sorted(found, key=lambda event: event.text_values["when"]["datetime"])


@dataclass(frozen=True)
class HearingToCome:
    """A hearing as staff see it listed: the update's id (and its copies' ids), the court and when it starts."""

    id: int
    place: str
    starts: datetime
    ids: frozenset[int]


def hearings_to_come(report: Report) -> list[HearingToCome]:
    """Each current hearing once (not its victim's and witnesses' copies twice), soonest first."""
    copies: dict[tuple, list[TimelineEvent]] = {}
    for event in current_hearings(report):
        copies.setdefault((event.occurred_at, event.text_values["when"]["datetime"]), []).append(event)
    return [HearingToCome(events[0].id, events[0].text_values.get("place", ""),
                          datetime.fromisoformat(events[0].text_values["when"]["datetime"]),
                          frozenset(event.id for event in events))
            for events in copies.values()]


def _copies(report: Report, event: TimelineEvent) -> list[TimelineEvent]:
    """The hearing update and its twin (the victim's copy with the officer's words, or the witnesses' copy)."""
    return [other for other in db.session.scalars(select(TimelineEvent).where(
        TimelineEvent.report_id == report.id, TimelineEvent.reason_code == HEARING,
        TimelineEvent.occurred_at == event.occurred_at)) if other.text_values == event.text_values]


@refusals_roll_back
def change_hearing(actor: User, report: Report, event_id: int, change: str, place: str | None = None,
                   starts: datetime | None = None, note: str | None = None) -> TimelineEvent:
    """Move, adjourn or vacate a hearing: a new update for whoever was told of the hearing, staff's note on the
    timeline, and a neutral email to each witness following the case. Returns the new update."""
    event = db.session.get(TimelineEvent, event_id)
    if event is None or event.report_id != report.id or event.reason_code != HEARING \
            or event.id in replaced_hearings([report.id]):
        raise DomainError("That hearing is not a current hearing on this case")
    if change not in CHANGES:
        raise DomainError("Select what has happened to the hearing", field="change")
    reason, title, body, action = CHANGES[change]
    copies = _copies(report, event)
    values: dict = {"replaces": ",".join(str(copy.id) for copy in copies)}
    if change == "moved":
        place = (place or "").strip()
        if not place or starts is None:
            raise DomainError("Enter the court and the new date and time of the hearing", field="place")
        if starts <= utcnow():
            raise DomainError("The new date must be in the future", field="starts")
        values |= {"place": place[:200], "when": {"datetime": starts.isoformat()}}
    victim = any(copy.visible_to_victim for copy in copies)
    witness = any(copy.visible_to_witness for copy in copies)
    if (note or "").strip():
        add_timeline_event(report.id, "note", "About the hearing change", note.strip()[:2000], actor_id=actor.id)
    if witness:
        for link, link_witness in db.session.execute(
                select(WitnessLink, User).join(User, WitnessLink.witness_user_id == User.id)
                .where(WitnessLink.report_id == report.id, User.is_active_account.is_(True))).tuples():
            queue_for_witness(link, link_witness, "case_update", sign_in_link=absolute_url("auth.login"))
    commit_change(actor, report, report.version, action,
                  Event("hearing_change", title, body, victim=victim, witness=witness, reason_code=reason,
                        values=values), roles=HEARING_ROLES)
    return db.session.scalar(select(TimelineEvent).where(TimelineEvent.report_id == report.id,
                                                         TimelineEvent.kind == "hearing_change")
                             .order_by(TimelineEvent.id.desc()).limit(1))
