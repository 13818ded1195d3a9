"""Places in peer-support groups: members, waiting lists, and meetings cancelled or moved.

The only code that writes group places. A referral closed as "joined the group" (portal.support.referrals) takes
one of the group's places, or a place on its waiting list when the group is full; a member holds the place until
a coordinator records that they left, and the first person waiting then moves up.

Every join, leave and move up first locks the group's row (a no-op UPDATE: a row lock on PostgreSQL, the write
lock on SQLite), then counts the members, so people joining or leaving at the same time are counted one after the
other: a group never has more members than places, and never fewer than none.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy import func, select, update

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, WitnessLink
from portal.cases.timeline import add_timeline_event
from portal.clock import LONDON, today_in_london, utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.services import notify_victim, queue_for_witness
from portal.support import schedules
from portal.support.enums import ServiceKind
from portal.support.group_models import LEFT, MEMBER, WAITING, GroupPlace, GroupSessionChange
from portal.support.models import Referral, SupportService, whose

# The closing outcome that makes someone a member of the group.
JOINED = "joined_group"
CHANGES = ("cancelled", "moved")
# How far ahead a coordinator may cancel or move a meeting.
AHEAD_DAYS = 366


@dataclass(frozen=True)
class PersonPlace:
    """One person's place in a group, as they see it: a member, or their position on the waiting list."""

    place: GroupPlace
    service: SupportService
    position: int | None


def _lock_group(service_id: int) -> None:
    """Hold the group's row until the transaction ends, so that joins and leaves are counted one at a time."""
    db.session.execute(update(SupportService).where(SupportService.id == service_id)
                       .values(id=SupportService.id, updated_at=SupportService.updated_at)
                       .execution_options(synchronize_session=False))


def member_count(service_id: int) -> int:
    """How many people hold one of the group's places now."""
    return db.session.scalar(select(func.count()).select_from(GroupPlace).where(
        GroupPlace.service_id == service_id, GroupPlace.status == MEMBER)) or 0


def member_counts(service_ids) -> dict[int, int]:
    """Members holding a place, for each of these groups."""
    ids = list(service_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(GroupPlace.service_id, func.count()).where(
        GroupPlace.service_id.in_(ids), GroupPlace.status == MEMBER).group_by(GroupPlace.service_id))
    return {service_id: count for service_id, count in rows}


def _has_room(service: SupportService) -> bool:
    return service.capacity is None or member_count(service.id) < service.capacity


def _tell(report: Report, referral: Referral, title: str, body: str | None, values: dict, actor_id: int | None,
          notify: bool) -> None:
    """What the person reads about their place: the victim on their case's timeline, told by their safe channel
    that there is an update; a witness (whose support is theirs alone) by their safe channel, and on their support
    page."""
    if referral.witness_link_id is None:
        add_timeline_event(report.id, "support", title, body, actor_id=actor_id, victim=True, values=values)
        if notify and not report.safeguarding:
            notify_victim(report)
    elif notify:
        link = db.session.get(WitnessLink, referral.witness_link_id)
        if link is not None and link.witness_user_id is not None:
            queue_for_witness(link, db.session.get(User, link.witness_user_id), "case_update",
                              sign_in_link=absolute_url("auth.login"))


def join(referral: Referral, change, now: datetime):
    """A referral to a peer-support group is being closed as 'joined the group' (in the caller's transaction): the
    person takes a place, or, when every place is taken, joins the end of the waiting list. Returns the change,
    with what the victim reads when they are waiting."""
    service = referral.service
    if service.kind != ServiceKind.PEER_GROUP:
        return change
    _lock_group(service.id)
    if db.session.scalar(select(GroupPlace.id).where(GroupPlace.referral_id == referral.id)):
        return change
    member = _has_room(service)
    db.session.add(GroupPlace(service_id=service.id, referral_id=referral.id, status=MEMBER if member else WAITING,
                              waiting_since=now, joined_at=now if member else None))
    if member:
        return change
    return replace(change, victim_title=N_("You are on the waiting list for %(group)s"),
                   victim_body=N_("Every place in the group is taken. We will tell you when a place comes up. Your "
                                  "support page shows where you are on the list."),
                   values={**(change.values or {}), "group": service.name})


def _own_group(actor: User, service_id: int) -> SupportService:
    """A peer-support group of the acting partner's organisation, or 'not available'."""
    service = db.session.get(SupportService, service_id)
    if (actor.role != Role.PARTNER or service is None or actor.organisation_id is None
            or service.organisation_id != actor.organisation_id or service.kind != ServiceKind.PEER_GROUP):
        raise DomainError("This group is not available")
    return service


def _move_up(service: SupportService, actor: User, now: datetime) -> list[GroupPlace]:
    """Give free places to the people waiting longest, in order, and tell each of them. The group is locked."""
    moved = []
    while _has_room(service):
        first = db.session.scalar(select(GroupPlace).where(
            GroupPlace.service_id == service.id, GroupPlace.status == WAITING)
            .order_by(GroupPlace.waiting_since, GroupPlace.id).limit(1))
        if first is None:
            break
        first.status, first.joined_at = MEMBER, now
        db.session.flush()
        report = db.session.get_one(Report, first.referral.report_id)
        _tell(report, first.referral, N_("A place has come up for you in %(group)s"),
              N_("You were first on the waiting list. The group will be in touch about your first meeting."),
              {"group": service.name}, actor.id, notify=True)
        record_audit(actor.id, "group.moved_up", "referral", first.referral.reference, report.crime_number)
        moved.append(first)
    return moved


@refusals_roll_back
def record_left(actor: User, service_id: int, place_id: int) -> GroupPlace:
    """A coordinator records that a member left the group (their place goes to the first person waiting), or that
    someone waiting no longer wants a place."""
    service = _own_group(actor, service_id)
    _lock_group(service.id)
    place = db.session.get(GroupPlace, place_id)
    if place is not None:
        db.session.refresh(place)
    if place is None or place.service_id != service.id or place.status == LEFT:
        raise DomainError("This person is not in the group or on its waiting list now")
    now = utcnow()
    was_member = place.status == MEMBER
    place.status, place.left_at = LEFT, now
    db.session.flush()
    report = db.session.get_one(Report, place.referral.report_id)
    if was_member:
        _tell(report, place.referral, N_("Your place in %(group)s has ended"),
              N_("The group told us you have left. You can ask for support again at any time."),
              {"group": service.name}, actor.id, notify=False)
    else:
        _tell(report, place.referral, N_("You are no longer on the waiting list for %(group)s"),
              N_("You can ask for support again at any time."), {"group": service.name}, actor.id, notify=False)
    record_audit(actor.id, "group.left" if was_member else "group.left_waiting_list", "referral",
                 place.referral.reference, report.crime_number)
    _move_up(service, actor, now)
    db.session.commit()
    return place


@refusals_roll_back
def fill_free_places(actor: User, service_id: int) -> list[GroupPlace]:
    """After a coordinator adds places to a group, the people waiting longest take them."""
    service = _own_group(actor, service_id)
    _lock_group(service.id)
    moved = _move_up(service, actor, utcnow())
    db.session.commit()
    return moved


def _starts(on: date, clock: str | None) -> dict:
    """A meeting's date and time, as a timeline value (shown in the reader's language)."""
    hour, minute = (int(part) for part in (clock or "00:00").split(":"))
    return {"datetime": datetime.combine(on, time(hour, minute), tzinfo=LONDON).isoformat()}


def _check_change(service: SupportService, session_on: date | None, change: str, moved_to: date | None,
                  starts_at: str | None) -> str | None:
    today = today_in_london()
    if change not in CHANGES:
        raise DomainError("Select whether the meeting is cancelled or moved", field="change")
    if session_on is None:
        raise DomainError("Enter the date of the meeting", field="session_on")
    if session_on < today or (session_on - today).days > AHEAD_DAYS:
        raise DomainError("The meeting must be today or in the next year", field="session_on")
    days = schedules.days_of(service.schedule_byday)
    if days and list(schedules.DAYS)[session_on.weekday()] not in days:
        raise DomainError("The group does not meet on that day. Enter the date of one of its meetings",
                          field="session_on")
    if change == "cancelled":
        return None
    if moved_to is None:
        raise DomainError("Enter the new date of the meeting", field="moved_to")
    if moved_to < today or (moved_to - today).days > AHEAD_DAYS:
        raise DomainError("The new date must be today or in the next year", field="moved_to")
    starts_at = (starts_at or "").strip() or service.opens_at
    if not starts_at or not schedules.TIME.match(starts_at):
        raise DomainError("Enter the new start time in 24-hour form, like 18:30", field="starts_at")
    if moved_to == session_on and starts_at == service.opens_at:
        raise DomainError("Enter a different date or time for the meeting", field="moved_to")
    return starts_at


@refusals_roll_back
def change_session(actor: User, service_id: int, session_on: date | None, change: str,
                   moved_to: date | None = None, starts_at: str | None = None) -> GroupSessionChange:
    """A coordinator cancels or moves one meeting of the group. Every member is told by their safe channels,
    in neutral words; the victim reads the change on their case, a witness on their support page."""
    service = _own_group(actor, service_id)
    starts_at = _check_change(service, session_on, change, moved_to, starts_at)
    assert session_on is not None  # checked just above
    now = utcnow()
    made = GroupSessionChange(service_id=service.id, session_on=session_on, change=change,
                              moved_to=moved_to if change == "moved" else None, starts_at=starts_at, made_at=now,
                              made_by_id=actor.id)
    db.session.add(made)
    values = {"group": service.name, "when": _starts(session_on, service.opens_at)}
    if change == "moved":
        title = N_("A meeting of %(group)s has moved")
        body = N_("The meeting on %(when)s is now on %(moved_to)s.")
        assert moved_to is not None  # checked above
        values["moved_to"] = _starts(moved_to, starts_at)
    else:
        title = N_("A meeting of %(group)s is cancelled")
        body = N_("The meeting on %(when)s will not take place. The next meetings are as usual.")
    for place in members(service.id):
        report = db.session.get_one(Report, place.referral.report_id)
        _tell(report, place.referral, title, body, values, actor.id, notify=True)
    record_audit(actor.id, "group.session_moved" if change == "moved" else "group.session_cancelled",
                 "support_service", str(service.id))
    db.session.commit()
    return made


# Reading ----------------------------------------------------------------------------------------------------


def members(service_id: int) -> list[GroupPlace]:
    """The group's members, longest-standing first."""
    return list(db.session.scalars(select(GroupPlace).where(
        GroupPlace.service_id == service_id, GroupPlace.status == MEMBER)
        .order_by(GroupPlace.joined_at, GroupPlace.id)))


def waiting_list(service_id: int) -> list[GroupPlace]:
    """The group's waiting list, in order: the first gets the next free place."""
    return list(db.session.scalars(select(GroupPlace).where(
        GroupPlace.service_id == service_id, GroupPlace.status == WAITING)
        .order_by(GroupPlace.waiting_since, GroupPlace.id)))


def position(place: GroupPlace) -> int | None:
    """Where someone waiting is on the list (1 is next), or None when they are not waiting."""
    if place.status != WAITING:
        return None
    ahead = db.session.scalar(select(func.count()).select_from(GroupPlace).where(
        GroupPlace.service_id == place.service_id, GroupPlace.status == WAITING,
        (GroupPlace.waiting_since < place.waiting_since)
        | ((GroupPlace.waiting_since == place.waiting_since) & (GroupPlace.id < place.id)))) or 0
    return ahead + 1


def places_of(report_id: int, witness_link_id: int | None = None,
              referrals: list[Referral] | None = None) -> list[PersonPlace]:
    """One person's places in groups and on waiting lists (not those they left), for their support page. Given
    the person's referrals, asks nothing unless one of them was closed as 'joined the group'."""
    if referrals is not None and not any(r.reason_code == JOINED for r in referrals):
        return []
    found = db.session.scalars(select(GroupPlace).join(Referral, Referral.id == GroupPlace.referral_id).where(
        Referral.report_id == report_id, whose(Referral, witness_link_id), GroupPlace.status != LEFT)
        .order_by(GroupPlace.id))
    return [PersonPlace(place, db.session.get_one(SupportService, place.service_id),
                        position(place))
            for place in found]


def session_changes(service_id: int) -> list[GroupSessionChange]:
    """The group's meetings cancelled or moved from today on, soonest first."""
    return list(db.session.scalars(select(GroupSessionChange).where(
        GroupSessionChange.service_id == service_id, GroupSessionChange.session_on >= today_in_london())
        .order_by(GroupSessionChange.session_on, GroupSessionChange.id)))


def group_of(actor: User, service_id: int) -> SupportService | None:
    """A peer-support group of the partner's own organisation, or None (another organisation's is 'not found')."""
    try:
        return _own_group(actor, service_id)
    except DomainError:
        return None
