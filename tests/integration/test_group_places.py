"""Places in peer-support groups: joining (a referral closed as 'joined the group'), waiting, leaving and moving
up; meetings cancelled or moved; and places never below zero or above capacity when people join and leave at the
same time (on SQLite and, with TEST_DATABASE_URL, PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.clock import today_in_london
from portal.domain import DomainError
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.support import places, referrals
from portal.support.group_models import LEFT, MEMBER, WAITING, GroupPlace, GroupSessionChange
from portal.support.models import Referral, SupportService
from portal.support.schedules import DAYS
from tests.conftest import sign_in_as
from tests.support_helpers import make_organisation, make_peer_group
from tests.triage_helpers import make_report

SCOPES = ["category_and_dates", "contact_details"]


def sent_referral(app, group_id: int, victim: User) -> int:
    """A victim's own case referred to the group, with consent. Returns the referral's id."""
    crime_number = make_report(app, victim)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        return referrals.refer_with_consent(db.session.get(User, victim.id), report,
                                            db.session.get(SupportService, group_id), "peer", SCOPES).id


def accept(app, partner_id: int, referral_id: int) -> None:
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        referrals.accept(db.session.get(User, partner_id), referral, referral.version)


def join(partner_id: int, referral_id: int) -> None:
    referral = db.session.get(Referral, referral_id)
    referrals.close(db.session.get(User, partner_id), referral, referral.version, places.JOINED)


def statuses(group_id: int) -> dict[str, int]:
    rows = db.session.execute(select(GroupPlace.status, func.count()).where(GroupPlace.service_id == group_id)
                              .group_by(GroupPlace.status))
    return dict(rows.tuples().all())


def next_meeting(byday: str = "TU"):
    """The next date the group meets on (a Tuesday), at least a day ahead."""
    day = today_in_london() + timedelta(days=1)
    while list(DAYS)[day.weekday()] != byday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def group_world(app, make_user):
    """A group with two places, its coordinator, another organisation's partner, and four victims each with an
    accepted referral to it."""
    with app.app_context():
        charity = make_organisation("Camden Victim Support")
        other = make_organisation("Other Charity", email="other@charity.example.org")
        group = make_peer_group(charity, "Tuesday peer group", capacity=2)
        group_id, charity_id, other_id = group.id, charity.id, other.id
    partner = make_user(Role.PARTNER, email="coordinator@camden.example.org", organisation_id=charity_id)
    stranger = make_user(Role.PARTNER, email="worker@other.example.org", organisation_id=other_id)
    victims = [make_user(Role.VICTIM, email=f"member{n}@example.org") for n in range(4)]
    # All referred before any is accepted: a group takes no new referral while its places are all spoken for.
    referral_ids = [sent_referral(app, group_id, victim) for victim in victims]
    for referral_id in referral_ids:
        accept(app, partner.id, referral_id)
    return {"group": group_id, "partner": partner, "stranger": stranger, "victims": victims,
            "referrals": referral_ids}


def test_joining_takes_a_place_and_a_full_group_has_a_waiting_list(app, group_world):
    """The first two who join are members; the next wait, in order, and each sees their position."""
    w = group_world
    with app.app_context():
        for referral_id in w["referrals"]:
            join(w["partner"].id, referral_id)
        assert statuses(w["group"]) == {MEMBER: 2, WAITING: 2}
        assert referrals.places_taken([w["group"]]) == {w["group"]: 2}  # joined people keep their place
        waiting = places.waiting_list(w["group"])
        assert [place.referral_id for place in waiting] == w["referrals"][2:]
        assert [places.position(place) for place in waiting] == [1, 2]
        report_id = db.session.get(Referral, w["referrals"][3]).report_id
        [mine] = places.places_of(report_id)
        assert mine.position == 2
        titles = [event.title for event in db.session.scalars(
            select(TimelineEvent).where(TimelineEvent.report_id == report_id))]
        assert "You are on the waiting list for %(group)s" in titles


def test_leaving_frees_the_place_for_the_first_person_waiting(app, group_world):
    """A member leaves: the first person waiting moves up and is told by their safe channel; the second is now
    first."""
    w = group_world
    with app.app_context():
        for referral_id in w["referrals"]:
            join(w["partner"].id, referral_id)
        first_member = places.members(w["group"])[0]
        moved_up_report = db.session.get(Referral, w["referrals"][2]).report_id
        before = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                   .where(OutboxMessage.report_id == moved_up_report))
        places.record_left(db.session.get(User, w["partner"].id), w["group"], first_member.id)
        assert statuses(w["group"]) == {MEMBER: 2, WAITING: 1, LEFT: 1}
        assert db.session.scalar(select(GroupPlace.status).where(
            GroupPlace.referral_id == w["referrals"][2])) == MEMBER
        assert places.position(places.waiting_list(w["group"])[0]) == 1
        after = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.report_id == moved_up_report))
        assert after == before + 1


def test_leaving_twice_and_another_organisation_are_refused(app, group_world):
    """A place already given up cannot be given up again; another organisation's partner cannot touch the group."""
    w = group_world
    with app.app_context():
        join(w["partner"].id, w["referrals"][0])
        place = places.members(w["group"])[0]
        places.record_left(db.session.get(User, w["partner"].id), w["group"], place.id)
        with pytest.raises(DomainError):
            places.record_left(db.session.get(User, w["partner"].id), w["group"], place.id)
        join(w["partner"].id, w["referrals"][1])
        other = places.members(w["group"])[0]
        with pytest.raises(DomainError):
            places.record_left(db.session.get(User, w["stranger"].id), w["group"], other.id)
        assert places.member_count(w["group"]) == 1
        assert places.group_of(db.session.get(User, w["stranger"].id), w["group"]) is None


def test_moving_a_meeting_tells_each_member_neutrally(app, group_world):
    """Each member reads the change on their case and is sent a neutral 'there is an update' message; people
    waiting are not told of a meeting they are not in."""
    w = group_world
    meeting = next_meeting()
    with app.app_context():
        for referral_id in w["referrals"][:3]:
            join(w["partner"].id, referral_id)
        places.change_session(db.session.get(User, w["partner"].id), w["group"], meeting, "moved",
                              meeting + timedelta(days=1), "19:00")
        assert len(places.session_changes(w["group"])) == 1
        for index, referral_id in enumerate(w["referrals"][:3]):
            report_id = db.session.get(Referral, referral_id).report_id
            moved = db.session.scalars(select(TimelineEvent).where(
                TimelineEvent.report_id == report_id,
                TimelineEvent.title == "A meeting of %(group)s has moved")).all()
            assert len(moved) == (1 if index < 2 else 0)
            messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.report_id == report_id,
                                                                      OutboxMessage.template == "case_update"))
            for message in messages:
                assert "Tuesday peer group" not in str(message.template_context)


def test_a_meeting_must_be_on_a_day_the_group_meets(app, group_world):
    w = group_world
    with app.app_context():
        wednesday = next_meeting() + timedelta(days=1)
        with pytest.raises(DomainError) as error:
            places.change_session(db.session.get(User, w["partner"].id), w["group"], wednesday, "cancelled")
        assert error.value.field == "session_on"
        assert db.session.scalar(select(func.count()).select_from(GroupSessionChange)) == 0


def test_partner_pages_list_members_and_waiting_list(app, client, group_world):
    """The coordinator sees members and the waiting list in order, and records that someone left."""
    w = group_world
    with app.app_context():
        for referral_id in w["referrals"]:
            join(w["partner"].id, referral_id)
        references = [db.session.get(Referral, r).reference for r in w["referrals"]]
        first = places.members(w["group"])[0].id
    sign_in_as(client, w["partner"])
    page = client.get(f"/partner/services/{w['group']}/members").get_data(as_text=True)
    assert references[0] in page and references[1] in page and "2 of 2 places taken" in page
    page = client.get(f"/partner/services/{w['group']}/waiting-list").get_data(as_text=True)
    assert page.index(references[2]) < page.index(references[3])
    response = client.post(f"/partner/services/{w['group']}/places/{first}/left", data={"list": "members"})
    assert response.status_code == 302
    page = client.get(f"/partner/services/{w['group']}/waiting-list").get_data(as_text=True)
    assert references[2] not in page and references[3] in page


def test_the_victim_sees_their_position(app, client, group_world):
    w = group_world
    with app.app_context():
        for referral_id in w["referrals"]:
            join(w["partner"].id, referral_id)
        crime_number = db.session.get(Report, db.session.get(Referral, w["referrals"][3]).report_id).crime_number
    sign_in_as(client, w["victims"][3])
    page = client.get(f"/cases/{crime_number}/support").get_data(as_text=True)
    assert "You are number 2 on the waiting list for Tuesday peer group" in page


def _at_once(app, calls) -> list:
    """Run each call in its own thread and session, all starting together. Returns the errors raised."""
    barrier = threading.Barrier(len(calls), timeout=30)
    errors: list = []

    def run(call):
        try:
            with app.app_context():
                barrier.wait()
                try:
                    call()
                except DomainError as error:
                    errors.append(error)
                finally:
                    db.session.remove()
        except BaseException as error:  # handed back to the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return errors


# Threads each take their own connection and must see each other's commits.
@pytest.mark.commits
def test_concurrent_joins_never_go_above_capacity_and_leaves_never_below_zero(app, group_world):
    """Four people join a two-place group at the same moment: two members, two waiting. Then both members leave
    at once, twice over: each place goes to one person waiting, and a place is never given up twice."""
    w = group_world
    errors = _at_once(app, [lambda r=r: join(w["partner"].id, r) for r in w["referrals"]])
    assert not [error for error in errors if not isinstance(error, DomainError)], errors
    assert errors == []
    with app.app_context():
        assert statuses(w["group"]) == {MEMBER: 2, WAITING: 2}
        member_ids = [place.id for place in places.members(w["group"])]
    leave = [lambda p=p: places.record_left(db.session.get(User, w["partner"].id), w["group"], p)
             for p in member_ids + member_ids]
    errors = _at_once(app, leave)
    assert len(errors) == 2 and all(isinstance(error, DomainError) for error in errors), errors
    with app.app_context():
        assert statuses(w["group"]) == {MEMBER: 2, LEFT: 2}
        assert places.member_count(w["group"]) <= 2
