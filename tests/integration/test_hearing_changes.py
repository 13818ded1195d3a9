"""Issue 20: a hearing that is moved, adjourned or vacated. Officers change it from the case's witnesses page; the
victim and witnesses who were told of the hearing read the change; witnesses are emailed; reminders follow the new
date and stop for a hearing that will not go ahead; nobody is asked about a hearing that is no more."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.clock import LONDON
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.integration.test_hearing_reminders import reminders_to, run_at, starts
from tests.integration.test_witness_tasks import hearing, hearing_world  # noqa: F401 - the fixtures
from tests.pagecheck import assert_good_page


def change(world, data: dict):
    return world["clients"]["officer"].post(f"/staff/cases/{world['number']}/hearings/{world['event_id']}",
                                            data=data)


def moved_to(when) -> dict:
    local = when.astimezone(LONDON)
    return {"change": "moved", "place": "Snaresbrook Crown Court", "starts_date-day": str(local.day),
            "starts_date-month": str(local.month), "starts_date-year": str(local.year),
            "starts_time": local.strftime("%H:%M")}


def emails_to(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == email, OutboxMessage.template == "case_update"))


def test_a_moved_hearing_is_read_by_everyone_told_and_reminders_follow_the_new_date(app, hearing):  # noqa: F811
    officer, number = hearing["clients"]["officer"], hearing["number"]
    witnesses_page = officer.get(f"/staff/cases/{number}/witnesses").get_data(as_text=True)
    assert f"/staff/cases/{number}/hearings/" in witnesses_page and "Wood Green Crown Court" in witnesses_page
    form = officer.get(f"/staff/cases/{number}/hearings/{hearing['event_id']}")
    assert form.status_code == 200
    assert_good_page(form)
    old_start = starts(app, hearing)
    new_start = old_start + timedelta(days=14)
    # Refusals are explained on the page, with what was typed kept.
    assert "Select what has happened to the hearing" in change(hearing, {}).get_data(as_text=True)
    missing = change(hearing, {"change": "moved", "place": "Snaresbrook Crown Court"}).get_data(as_text=True)
    assert "Enter the court and the new date and time of the hearing" in missing and "Snaresbrook" in missing
    assert "The new date must be in the future" in change(
        hearing, moved_to(old_start - timedelta(days=60))).get_data(as_text=True)

    before = emails_to(app, hearing["people"]["witness"].email)
    assert change(hearing, moved_to(new_start)).status_code == 302
    assert emails_to(app, hearing["people"]["witness"].email) == before + 1
    witness_page = hearing["clients"]["witness"].get(f"/cases/{number}").get_data(as_text=True)
    assert "The hearing has moved" in witness_page and "Snaresbrook Crown Court" in witness_page
    # Only the new hearing can be answered; the old one is no more.
    assert f"/hearings/{hearing['event_id']}\"" not in witness_page and witness_page.count("Can you attend") == 1
    assert hearing["clients"]["witness"].post(f"/cases/{number}/hearings/{hearing['event_id']}",
                                              data={"available": "yes"}).status_code == 404
    assert "The hearing has moved" in hearing["clients"]["victim"].get(f"/cases/{number}/updates").get_data(
        as_text=True)

    # Reminders: none for the old date, both for the new one.
    assert run_at(app, old_start - timedelta(days=7) + timedelta(minutes=1)) == 0
    assert run_at(app, old_start - timedelta(days=1) + timedelta(minutes=1)) == 0
    assert run_at(app, new_start - timedelta(days=7) + timedelta(minutes=1)) == 2
    assert run_at(app, new_start - timedelta(days=1) + timedelta(minutes=1)) == 2
    assert len(reminders_to(app, hearing["people"]["witness"].email)) == 2


def test_a_vacated_hearing_gets_no_reminders_and_no_questions(app, hearing):  # noqa: F811
    start = starts(app, hearing)
    assert change(hearing, {"change": "vacated", "note": "The defendant pleaded guilty."}).status_code == 302
    for moment in (start - timedelta(days=7) + timedelta(minutes=1), start - timedelta(days=1) + timedelta(minutes=1)):
        assert run_at(app, moment) == 0
    witness_page = hearing["clients"]["witness"].get(f"/cases/{hearing['number']}").get_data(as_text=True)
    assert "The hearing will not go ahead" in witness_page and "Can you attend" not in witness_page
    assert "The defendant pleaded guilty." not in witness_page  # the note is for staff
    staff_case = hearing["clients"]["officer"].get(f"/staff/cases/{hearing['number']}").get_data(as_text=True)
    assert "The defendant pleaded guilty." in staff_case
    # It cannot be changed again.
    assert change(hearing, {"change": "adjourned"}).status_code == 404


def test_an_adjourned_hearing_says_a_new_date_will_follow(app, hearing):  # noqa: F811
    assert change(hearing, {"change": "adjourned"}).status_code == 302
    witness_page = hearing["clients"]["witness"].get(f"/cases/{hearing['number']}").get_data(as_text=True)
    assert "The hearing has been adjourned" in witness_page and "We will tell you the new date" in witness_page
    assert run_at(app, starts(app, hearing) - timedelta(days=1) + timedelta(minutes=1)) == 0


def test_only_police_staff_can_change_a_hearing(app, hearing):  # noqa: F811
    path = f"/staff/cases/{hearing['number']}/hearings/{hearing['event_id']}"
    for kind in ("victim", "witness"):
        assert hearing["clients"][kind].get(path).status_code == 403
        assert hearing["clients"][kind].post(path, data={"change": "vacated"}).status_code == 403
    assert hearing["clients"]["officer"].get(
        f"/staff/cases/{hearing['number']}/hearings/{hearing['event_id'] + 999}").status_code == 404
