"""The insight page on requests (issue 17): requests by type, the share finished by their due time, the median
and 90th-percentile working days to finish, and those still open past their due time; with the dashboard's
filters, small-number suppression on the page and in CSV, and the dashboard's access rules."""

from datetime import UTC, datetime, timedelta

import pytest

import portal.tasks.services as task_services
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.insight.suppression import FEWER_THAN, HIDDEN
from portal.tasks.enums import Asker, TaskType
from portal.tasks.services import finish_task, raise_task
from tests.conftest import sign_in_as
from tests.integration.test_insight import add_reports, csv_rows, page, table

URL = "/insight/requests"
FIGURE = "requests-by-type"
# London keeps Greenwich time in November, so these UTC times are London times too.
MONDAY = datetime(2026, 11, 2, 10, tzinfo=UTC)  # a call back is due by the end of Wednesday 4 November


def day(number: int, hour: int = 15) -> datetime:
    """A time in November 2026."""
    return datetime(2026, 11, number, hour, tzinfo=UTC)


NOVEMBER = "?date_from-month=11&date_from-year=2026&date_to-month=11&date_to-year=2026"
HEADINGS = ["Request", "Cases", "Requests raised", "Finished", "Finished by the due time", "Median time to finish",
            "90th percentile time to finish", "Still open and past due"]
CALL_BACK, PROPERTY = "Call back requested", "Property to return"


@pytest.fixture
def commissioner(client, make_user):
    user = make_user(Role.COMMISSIONER)
    sign_in_as(client, user)
    return user


@pytest.fixture
def requests(app, ctx, make_user, monkeypatch):
    """Raise a request of one type on each of some new cases, then finish each at the time given (None: left
    open), as a supervisor, with the clock moved to that time. ``could_not`` marks those finished as "we could not
    do this"."""
    supervisor_id = make_user(Role.SUPERVISOR).id

    def _raise(task_type: TaskType, finished: list[datetime | None], *, raised: datetime = MONDAY,
               borough: str = "Camden", could_not: tuple[int, ...] = ()) -> None:
        reports = add_reports(len(finished), borough=borough, submitted=raised - timedelta(hours=1))
        tasks = [raise_task(db.session.get(Report, report_id), task_type, Asker.VICTIM, None, now=raised).id
                 for report_id in reports]
        db.session.commit()
        for index, (task_id, when) in enumerate(zip(tasks, finished, strict=True)):
            if when is None:
                continue
            monkeypatch.setattr(task_services, "utcnow", lambda when=when: when)
            finish_task(db.session.get(User, supervisor_id), task_id, done=index not in could_not,
                        outcome="We called you and talked it through.")
        monkeypatch.setattr(task_services, "utcnow", utcnow)

    return _raise


def known_requests(requests) -> None:
    """November 2026. Call backs, due by the end of Wednesday 4 November, on 12 cases in Camden: 4 finished the
    day they were raised, 3 the next day (one of them "we could not do this"), 2 on the Wednesday (on time), 1 on
    the Thursday and 1 the Monday after (late), and 1 still open. Property to return, due by the end of Monday
    16 November, on 22 cases in Hackney: 5 finished on Friday 6 November, 5 on Friday 13 November, 12 still open.
    And 5 call backs raised in October, still open."""
    requests(TaskType.CALL_BACK, [day(2)] * 4 + [day(3)] * 3 + [day(4)] * 2 + [day(5), day(9), None],
             could_not=(5, 9))
    requests(TaskType.PROPERTY_RETURN, [day(6)] * 5 + [day(13)] * 5 + [None] * 12, borough="Hackney")
    requests(TaskType.CALL_BACK, [None] * 5, raised=datetime(2026, 10, 5, 10, tzinfo=UTC))


def test_a_commissioner_sees_requests_by_type_for_a_month(client, commissioner, requests):
    known_requests(requests)
    html = page(client, URL + NOVEMBER)
    shown = table(html, FIGURE)
    assert shown[""] == HEADINGS
    # Call backs took 0,0,0,0,1,1,1,2,2,3,5 working days: the 6th of 11 is 1, the 10th of 11 is 3. 9 of the 12
    # (the open one is past its due time) were finished by the end of 4 November.
    assert shown[CALL_BACK] == ["12", "12", "11", "75%", "1 working day", "3 working days", FEWER_THAN]
    # Property: 4 and 9 working days, five of each (the 5th of 10 is 4, the 9th is 9); 10 of 22 on time.
    # Its 12 open past due are hidden, or the total less them would give the call backs' one away.
    assert shown[PROPERTY] == ["22", "22", "10", "45%", "4 working days", "9 working days", HIDDEN]
    # All 21 durations: the 11th is 4 working days and the 19th is 9; 19 of 34 on time.
    assert shown["All requests"] == ["34", "34", "21", "56%", "4 working days", "9 working days", "13"]
    assert set(shown) == {"", CALL_BACK, PROPERTY, "All requests"}
    # The page says what counts.
    assert "a request counts once it is finished or its due time has passed" in html
    assert "working days" in html and "Monday to Friday" in html and "nearest-rank" in html


def test_the_download_has_the_same_figures(client, commissioner, requests):
    known_requests(requests)
    rows = csv_rows(client, FIGURE, NOVEMBER)
    assert rows[""] == ["Request", "Cases", "Requests raised", "Finished", "Finished by the due time (%)",
                        "Median time to finish (working days)", "90th percentile time to finish (working days)",
                        "Still open and past due"]
    assert rows[CALL_BACK] == ["12", "12", "11", "75.0", "1", "3", FEWER_THAN]
    assert rows[PROPERTY] == ["22", "22", "10", "45.5", "4", "9", HIDDEN]
    assert rows["All requests"] == ["34", "34", "21", "55.9", "4", "9", "13"]


def test_the_filters_narrow_the_requests(client, commissioner, requests):
    known_requests(requests)
    everything = table(page(client, URL), FIGURE)
    assert everything[CALL_BACK][:4] == ["17", "17", "11", "53%"]  # with October's 5, all past due: 9 of 17
    assert everything["All requests"][:3] == ["39", "39", "21"]
    hackney = table(page(client, URL + NOVEMBER + "&borough=Hackney"), FIGURE)
    assert set(hackney) == {"", PROPERTY, "All requests"}
    assert hackney[PROPERTY] == hackney["All requests"] == ["22", "22", "10", "45%", "4 working days",
                                                              "9 working days", "12"]
    october = table(page(client, URL + "?date_from-month=10&date_from-year=2026&date_to-month=10"
                                       "&date_to-year=2026"), FIGURE)
    assert october[CALL_BACK] == [FEWER_THAN] * 7
    # None of the 5 is finished: a zero is not a person, and is shown.
    assert october["All requests"] == [FEWER_THAN, FEWER_THAN, "0", FEWER_THAN, "–", "–", FEWER_THAN]
    december = page(client, URL + "?date_from-month=12&date_from-year=2026&date_to-month=12&date_to-year=2026")
    assert "There is no data for these filters." in december
    assert table(december, FIGURE)["All requests"][:3] == ["0", "0", "0"]


def test_requests_inside_their_time_are_not_counted_in_the_share(client, commissioner, requests):
    requests(TaskType.CALL_BACK, [None] * 10, raised=utcnow())
    shown = table(page(client, URL), FIGURE)
    assert shown[CALL_BACK] == ["10", "10", "0", "–", "–", "–", "0"]


def test_a_percentile_over_fewer_than_10_people_is_hidden(client, commissioner, requests):
    requests(TaskType.CALL_BACK, [day(3)] * 9 + [None] * 6)
    shown = table(page(client, URL + NOVEMBER), FIGURE)
    assert shown[CALL_BACK] == ["15", "15", FEWER_THAN, "60%", FEWER_THAN, FEWER_THAN, FEWER_THAN]
    assert shown["All requests"] == shown[CALL_BACK]


def test_a_small_type_is_hidden_with_the_next_smallest(client, commissioner, requests):
    requests(TaskType.PERSONAL_STATEMENT, [day(4)] * 3)
    requests(TaskType.CALL_BACK, [day(3)] * 12)
    requests(TaskType.INFORMATION_ADDED, [day(3)] * 25)
    html = page(client, URL + NOVEMBER)
    shown = table(html, FIGURE)
    assert shown["Victim Personal Statement to take"] == [FEWER_THAN] * 7
    assert shown[CALL_BACK] == [HIDDEN] * 7  # else the total less the others gives the 3 away
    assert shown["Information or evidence added by the victim"] == ["25", "25", "25", "100%", "1 working day",
                                                                    "1 working day", "0"]
    assert shown["All requests"][:3] == ["40", "40", "40"]
    assert csv_rows(client, FIGURE, NOVEMBER)[CALL_BACK] == [HIDDEN] * 7
    assert ">3<" not in html and ">12<" not in html


def test_the_dates_are_whole_months_of_when_requests_were_raised(client, commissioner, requests):
    html = page(client, URL + "?date_from-day=2&date_from-month=11&date_from-year=2026")
    assert "The figures are for whole months. Choose a month and year, without a day" in html
    assert 'class="govuk-table app-figure-table"' not in html
    form = page(client, URL)
    assert "Requests raised in this month or later" in form
    assert 'name="borough"' in form and 'name="category"' in form


def test_every_insight_page_links_to_requests_keeping_the_filters(client, commissioner):
    for url in ("/insight/", "/insight/demand", "/insight/experience", URL):
        html = page(client, url + "?borough=Hackney")
        assert 'href="/insight/requests?borough=Hackney"' in html, url
    assert 'aria-current="page">Requests<' in page(client, URL)


# --- access -----------------------------------------------------------------------------------------------------

URLS = (URL, f"/insight/figures/{FIGURE}.csv")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COMMISSIONER])
def test_supervisors_and_commissioners_see_the_requests_page(client, make_user, role):
    sign_in_as(client, make_user(role))
    for url in URLS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.VICTIM, Role.WITNESS, Role.OFFICER, Role.PARTNER, Role.ADMIN])
def test_people_without_insight_are_refused(client, make_user, role):
    sign_in_as(client, make_user(role))
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Call back requested" not in response.get_data(as_text=True)


def test_signed_out_people_are_sent_to_sign_in(client):
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
