"""The insight page on witnesses (issue 20): by calendar month in London time, the share of witnesses' answers
saying they cannot attend a hearing, the share of witnesses with no answer 7 days before a hearing, and hearings
adjourned, moved and vacated; with the dashboard's filters, small-number suppression on the page and in CSV, the
words saying what counts, and the dashboard's access rules."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from portal.auth.roles import Role
from portal.cases.models import TimelineEvent, WitnessLink
from portal.clock import utcnow
from portal.extensions import db
from portal.insight import queries
from portal.insight.filters import Filters
from portal.insight.suppression import FEWER_THAN, HIDDEN
from portal.tracking.models import CourtAvailability
from tests.conftest import sign_in_as
from tests.integration.test_hearing_changes import change as change_through_the_form
from tests.integration.test_hearing_changes import moved_to
from tests.integration.test_hearing_reminders import starts as hearing_starts
from tests.integration.test_insight import add_reports, csv_rows, page, table
from tests.integration.test_witness_tasks import answer as answer_through_the_form
from tests.integration.test_witness_tasks import build_hearing, signed_in_people
from tests.sql_counting import counting_statements

URL = "/insight/witnesses"
CANNOT_ATTEND, NO_REPLY, CHANGES = ("witness-cannot-attend-by-month", "witness-no-reply-by-month",
                                    "hearing-changes-by-month")
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def months(first: tuple[int, int], last: tuple[int, int]) -> str:
    return (f"?date_from-month={first[1]}&date_from-year={first[0]}"
            f"&date_to-month={last[1]}&date_to-year={last[0]}")


@pytest.fixture
def hearing(app):
    """The witness tasks' hearing, built for each test that asks for it rather than kept for the module: the other
    tests here count every witness's answer in the database, and must find only their own."""
    return signed_in_people(app, build_hearing(app))


@pytest.fixture
def commissioner(client, make_user):
    user = make_user(Role.COMMISSIONER)
    sign_in_as(client, user)
    return user


# --- known data, built through the models ------------------------------------------------------------------------


def a_case(borough: str = "Camden") -> int:
    return add_reports(1, borough=borough, submitted=at(2025, 6, 2))[0]


def list_hearing(report_id: int, starts: datetime, listed: datetime, *, witness: bool = True,
                 victim: bool = False) -> int:
    """A hearing as an officer lists it: an update with the court and the time in its values."""
    event = TimelineEvent(report_id=report_id, occurred_at=listed, kind="update", title="A court hearing is set",
                          body="The hearing will be at %(place)s on %(when)s.", visible_to_victim=victim,
                          visible_to_witness=witness, reason_code="court_hearing_scheduled",
                          text_values={"place": "Wood Green Crown Court", "when": {"datetime": starts.isoformat()}})
    db.session.add(event)
    db.session.commit()
    return event.id


def change_hearing(report_id: int, change: str, made: datetime, replaces: list[int],
                   new_start: datetime | None = None) -> int:
    """A change as hearings.change_hearing records it: a "hearing_change" update naming the updates it replaces;
    a move is itself a hearing, with its new time."""
    reason = {"moved": "court_hearing_scheduled", "adjourned": "hearing_adjourned",
              "vacated": "hearing_vacated"}[change]
    values: dict = {"replaces": ",".join(str(event_id) for event_id in replaces)}
    if new_start is not None:
        values |= {"place": "Snaresbrook Crown Court", "when": {"datetime": new_start.isoformat()}}
    event = TimelineEvent(report_id=report_id, occurred_at=made, kind="hearing_change", title="The hearing changed",
                          body=None, visible_to_victim=True, visible_to_witness=True, reason_code=reason,
                          text_values=values)
    db.session.add(event)
    db.session.commit()
    return event.id


def add_witnesses(report_id: int, count: int, linked: datetime | None) -> list[int]:
    """Witnesses invited to a case, who joined it then (None: the invitation was never used)."""
    links = []
    for _ in range(count):
        number = next(_numbers)
        links.append(WitnessLink(report_id=report_id, invited_email=f"witness{number}@example.org",
                                 code_hash=f"{number:064x}", code_expires_at=at(2025, 1, 1) + timedelta(days=14),
                                 linked_at=linked))
    db.session.add_all(links)
    db.session.commit()
    return [link.id for link in links]


def add_answers(link_ids: list[int], event_id: int, when: datetime, available: bool = True) -> None:
    db.session.add_all(CourtAvailability(witness_link_id=link_id, hearing_event_id=event_id, available=available,
                                         answered_at=when) for link_id in link_ids)
    db.session.commit()


def answers_in_known_months() -> None:
    """Witnesses' answers about two February 2026 hearings, October 2025 to January 2026 (London left summer time
    on 26 October 2025). October: 12 witnesses on two cases answer, 3 that they cannot attend; one of the 9 who can
    first said they could not and then changed their answer, and one answered at 11:30pm on 30 September UTC, which
    is 12:30am on 1 October in London. November: nothing. December: 5 answers, 1 "cannot attend". January: 10
    answers, all "can attend"."""
    camden_case, hackney_case = a_case("Camden"), a_case("Hackney")
    camden_hearing = list_hearing(camden_case, at(2026, 2, 2), at(2025, 9, 1))
    hackney_hearing = list_hearing(hackney_case, at(2026, 2, 3), at(2025, 9, 1))
    camden, hackney = add_witnesses(camden_case, 6, at(2025, 9, 2)), add_witnesses(hackney_case, 6, at(2025, 9, 2))
    add_answers(camden[:2], camden_hearing, at(2025, 10, 6), available=False)
    add_answers(camden[2:5], camden_hearing, at(2025, 10, 7))
    add_answers(camden[5:], camden_hearing, at(2025, 9, 30, 23, 30))
    add_answers(hackney[:2], hackney_hearing, at(2025, 10, 6), available=False)
    add_answers(hackney[1:], hackney_hearing, at(2025, 10, 8))  # hackney[1] changed their answer
    december = add_witnesses(camden_case, 5, at(2025, 11, 2))
    add_answers(december[:1], camden_hearing, at(2025, 12, 1), available=False)
    add_answers(december[1:], camden_hearing, at(2025, 12, 1))
    add_answers(add_witnesses(hackney_case, 10, at(2025, 12, 2)), hackney_hearing, at(2026, 1, 14))


CANNOT_ATTEND_HEADINGS = ["Month", "Witnesses answering", "Said they cannot attend", "Answers"]


def test_a_commissioner_sees_the_share_who_cannot_attend_by_month(app, ctx, client, commissioner):
    answers_in_known_months()
    html = page(client, URL + months((2025, 10), (2025, 10)))
    shown = table(html, CANNOT_ATTEND)
    assert shown[""] == CANNOT_ATTEND_HEADINGS
    # 3 of the 12 latest answers: the changed answer counts once, as "can attend"; the answer given at 12:30am on
    # 1 October London time is October's.
    assert shown["October 2025"] == ["12", "25%", "12"]
    assert shown["All months"] == ["12", "25%", "12"]
    assert set(shown) == {"", "October 2025", "All months"}
    notes = html[html.index('id="notes-witness-cannot-attend-by-month"'):]
    assert "only the new answer counts" in notes[:notes.index("</ul>")]


def test_every_month_is_shown_and_a_small_month_is_hidden_with_the_next_smallest(app, ctx, client,
                                                                                   commissioner):
    answers_in_known_months()
    shown = table(page(client, URL), CANNOT_ATTEND)
    assert list(shown)[:-1] == ["All months", "October 2025", "November 2025", "December 2025", "January 2026"]
    assert shown["All months"] == ["27", "15%", "27"]  # 4 of 27
    assert shown["December 2025"] == [FEWER_THAN] * 3
    # Else the total less October and November would give December's 5 away.
    assert shown["January 2026"] == [HIDDEN] * 3
    assert shown["October 2025"] == ["12", "25%", "12"]
    # A month with no answers: nobody, and no share to work out.
    assert shown["November 2025"] == ["0", "–", "0"]
    rows = csv_rows(client, CANNOT_ATTEND)
    assert rows[""] == ["Month", "Witnesses answering", "Said they cannot attend (%)", "Answers"]
    assert rows["October 2025"] == ["12", "25.0", "12"]
    assert rows["December 2025"] == [FEWER_THAN] * 3 and rows["January 2026"] == [HIDDEN] * 3
    assert rows["November 2025"] == ["0", "", "0"]


def test_the_filters_narrow_the_answers(app, ctx, client, commissioner):
    answers_in_known_months()
    hackney = table(page(client, URL + months((2025, 10), (2025, 10)) + "&borough=Hackney"), CANNOT_ATTEND)
    assert hackney["October 2025"] == [FEWER_THAN] * 3  # 6 witnesses
    january = table(page(client, URL + months((2026, 1), (2026, 1))), CANNOT_ATTEND)
    assert january["January 2026"] == ["10", "0%", "10"]
    nothing = page(client, URL + months((2025, 11), (2025, 11)))
    empty = nothing[nothing.index('id="figure-witness-cannot-attend-by-month"'):]
    assert "There is no data for these filters." in empty[:empty.index("</section>")]
    assert table(nothing, CANNOT_ATTEND)["All months"] == ["0", "–", "0"]


def hearings_with_known_replies() -> None:
    """Witnesses asked about hearings in November and December 2025 (London time is UTC then).

    November, 12 witnesses asked, 3 with no answer 7 days before:
    - a hearing on 12 November listed with words for the victim, so in two copies (the witnesses' and the
      victim's): 6 witnesses; 5 answered on 3 November, 1 only on 8 November (after the point, 5 November);
    - a hearing on 24 November, adjourned on 22 November (after its point): 6 witnesses; 4 answered on 10 November,
      2 never. Not asked: a witness who joined on 20 November, and one who never used the invitation;
    - a hearing listed on 20 November for 25 November (too late to ask 7 days before), with a witness who never
      answered.
    December, 10 witnesses, 6 with no answer: a hearing on 20 November moved on 5 November (before its point) to 10
    December. 5 witnesses had answered about 20 November; of the 10, 4 answered about 10 December by 1 December.
    And a hearing 30 days from now, its witness not yet counted either way."""
    first = a_case()
    listed = at(2025, 10, 1)
    list_hearing(first, at(2025, 11, 12), listed, witness=False, victim=True)  # the victim's copy
    twelfth = list_hearing(first, at(2025, 11, 12), listed)
    witnesses = add_witnesses(first, 6, at(2025, 10, 2))
    add_answers(witnesses[:5], twelfth, at(2025, 11, 3))
    add_answers(witnesses[5:], twelfth, at(2025, 11, 8), available=False)

    second = a_case()
    twenty_fourth = list_hearing(second, at(2025, 11, 24), listed)
    witnesses = add_witnesses(second, 6, at(2025, 10, 2))
    add_answers(witnesses[:4], twenty_fourth, at(2025, 11, 10))
    change_hearing(second, "adjourned", at(2025, 11, 22), [twenty_fourth])
    add_answers(add_witnesses(second, 1, at(2025, 11, 20)), twenty_fourth, at(2025, 11, 21))
    add_witnesses(second, 1, None)

    late = a_case()
    list_hearing(late, at(2025, 11, 25), at(2025, 11, 20))
    add_witnesses(late, 1, at(2025, 10, 2))

    moved = a_case()
    twentieth = list_hearing(moved, at(2025, 11, 20), listed)
    witnesses = add_witnesses(moved, 10, at(2025, 10, 2))
    add_answers(witnesses[:5], twentieth, at(2025, 11, 1))
    tenth = change_hearing(moved, "moved", at(2025, 11, 5), [twentieth], new_start=at(2025, 12, 10))
    add_answers(witnesses[:4], tenth, at(2025, 12, 1))
    add_answers(witnesses[4:6], tenth, at(2025, 12, 5))

    upcoming = a_case()
    list_hearing(upcoming, utcnow() + timedelta(days=30), utcnow() - timedelta(days=1))
    add_witnesses(upcoming, 1, utcnow() - timedelta(days=1))


NO_REPLY_HEADINGS = ["Month", "Witnesses asked", "No answer 7 days before", "Answers asked for"]


def test_a_commissioner_sees_the_share_with_no_answer_7_days_before_a_hearing(app, ctx, client, commissioner):
    hearings_with_known_replies()
    html = page(client, URL)
    shown = table(html, NO_REPLY)
    assert shown[""] == NO_REPLY_HEADINGS
    assert shown["November 2025"] == ["12", "25%", "12"]
    # The moved hearing is asked about once, on its new date: not also in November.
    assert shown["December 2025"] == ["10", "60%", "10"]
    assert shown["All months"] == ["22", "41%", "22"]  # 9 of 22
    assert set(shown) == {"", "November 2025", "December 2025", "All months"}
    notes = html[html.index('id="notes-witness-no-reply-by-month"'):]
    notes = notes[:notes.index("</ul>")]
    assert "not from witness care’s “no answer” requests" in notes
    assert "a hearing that moved is not counted twice" in notes
    assert csv_rows(client, NO_REPLY)["December 2025"] == ["10", "60.0", "10"]


def test_no_reply_counts_only_once_the_point_7_days_before_has_passed(app, ctx, client, commissioner):
    case_id = a_case()
    soon = utcnow() + timedelta(days=8)
    list_hearing(case_id, soon, utcnow() - timedelta(days=30))
    add_witnesses(case_id, 12, utcnow() - timedelta(days=29))
    assert table(page(client, URL), NO_REPLY)["All months"] == ["0", "–", "0"]
    with app.app_context():
        later = queries.witnesses(Filters(), now=soon - timedelta(days=6))
    assert (later.no_reply_overall.people, later.no_reply_overall.total, later.no_reply_overall.met) == (12, 12, 12)


def hearing_changes_in_known_months() -> None:
    """November 2025: 12 hearings adjourned on 12 cases; 2 moved on 2 others, one of them listed with words for the
    victim, so the move replaces two copies; 1 vacated. December: nothing. January 2026: 3 adjourned."""
    listed = at(2025, 9, 1)
    for _ in range(12):
        case_id = a_case()
        change_hearing(case_id, "adjourned", at(2025, 11, 10), [list_hearing(case_id, at(2025, 12, 1), listed)])
    case_id = a_case()
    copies = [list_hearing(case_id, at(2025, 12, 1), listed, witness=False, victim=True),
              list_hearing(case_id, at(2025, 12, 1), listed)]
    change_hearing(case_id, "moved", at(2025, 11, 11), copies, new_start=at(2026, 3, 2))
    case_id = a_case()
    change_hearing(case_id, "moved", at(2025, 11, 30, 23, 30), [list_hearing(case_id, at(2025, 12, 1), listed)],
                   new_start=at(2026, 3, 2))
    case_id = a_case()
    change_hearing(case_id, "vacated", at(2025, 11, 12), [list_hearing(case_id, at(2025, 12, 1), listed)])
    for _ in range(3):
        case_id = a_case("Hackney")
        change_hearing(case_id, "adjourned", at(2026, 1, 5), [list_hearing(case_id, at(2026, 2, 1), listed)])


CHANGES_HEADINGS = ["Month", "Cases", "Adjourned", "Moved to a new date", "Vacated"]


def test_a_commissioner_sees_hearings_adjourned_moved_and_vacated_by_month(app, ctx, client, commissioner):
    hearing_changes_in_known_months()
    html = page(client, URL + months((2025, 11), (2025, 11)))
    shown = table(html, CHANGES)
    assert shown[""] == CHANGES_HEADINGS
    # The move of a hearing in two copies is one move.
    assert shown["November 2025"] == ["15", "12", FEWER_THAN, FEWER_THAN]
    assert shown["Total"] == ["15", "12", FEWER_THAN, FEWER_THAN]
    everything = table(page(client, URL), CHANGES)
    assert list(everything)[:-1] == ["Total", "November 2025", "December 2025", "January 2026"]
    assert everything["Total"] == ["18", "15", FEWER_THAN, FEWER_THAN]
    assert everything["December 2025"] == ["0", "0", "0", "0"]
    # January's 3 adjournments are hidden, and so are November's, else the total would give January's away.
    assert everything["January 2026"] == [FEWER_THAN] * 4
    assert everything["November 2025"] == [HIDDEN, HIDDEN, FEWER_THAN, FEWER_THAN]
    rows = csv_rows(client, CHANGES, months((2025, 11), (2025, 11)))
    assert rows[""] == CHANGES_HEADINGS
    assert rows["November 2025"] == ["15", "12", FEWER_THAN, FEWER_THAN]
    assert "Each change is counted once" in html


def test_a_page_with_no_witness_data_says_so(app, ctx, client, commissioner):
    html = page(client, URL)
    for figure_id in (CANNOT_ATTEND, NO_REPLY, CHANGES):
        section = html[html.index(f'id="figure-{figure_id}"'):]
        assert "There is no data for these filters." in section[:section.index("</section>")], figure_id
    assert "worked out when you opened this page" in html


# --- the witness journey, through the service's own forms ------------------------------------------------------


def test_answers_and_changes_made_through_the_service_are_counted(app, hearing, make_user):  # noqa: F811
    """The data the figures read has the shape the witness's and the officer's forms write."""
    answer_through_the_form(hearing, "no")
    answer_through_the_form(hearing, "yes", who="other")
    new_start = hearing_starts(app, hearing) + timedelta(days=14)
    assert change_through_the_form(hearing, moved_to(new_start)).status_code == 302
    with app.app_context():
        now = queries.witnesses(Filters())
        at_the_new_date = queries.witnesses(Filters(), now=new_start)
    assert (now.cannot_attend_overall.people, now.cannot_attend_overall.total,
            now.cannot_attend_overall.met) == (2, 2, 1)
    assert now.changes_overall.counts == {"moved": (1, 1), "adjourned": (0, 0), "vacated": (0, 0)}
    assert now.no_reply == []  # the new date's point has not come yet
    # The old date was moved before its point; neither witness has answered about the new one.
    assert [(r.key, r.people, r.total, r.met) for r in at_the_new_date.no_reply] == [
        (queries.month_of(new_start), 2, 2, 2)]
    client = app.test_client()
    sign_in_as(client, make_user(Role.SUPERVISOR))
    month = queries.month_of(utcnow())
    html = client.get(URL).get_data(as_text=True)
    label = datetime.strptime(month, "%Y-%m").strftime("%B %Y")
    assert table(html, CANNOT_ATTEND)[label] == [FEWER_THAN] * 3
    assert table(html, CHANGES)[label] == [FEWER_THAN] * 4  # a hidden row hides its zeros too


def test_the_page_runs_the_same_statements_however_many_witnesses(app, ctx, client, commissioner):
    hearings_with_known_replies()
    url = URL + "?borough=Camden"
    client.get(url)

    def measure() -> int:
        db.session.remove()
        with counting_statements(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = measure()
    for _ in range(3):
        hearings_with_known_replies()
        answers_in_known_months()
        hearing_changes_in_known_months()
    # At most the signed-in user, the categories (for the filter), the answers, the changes, and each witness
    # with each hearing.
    assert measure() == few <= 5


def test_the_dates_are_whole_months_and_say_what_they_are_of(app, ctx, client, commissioner):
    html = page(client, URL + "?date_from-day=2&date_from-month=11&date_from-year=2025")
    assert "The figures are for whole months. Choose a month and year, without a day" in html
    assert 'class="govuk-table app-figure-table"' not in html
    form = page(client, URL)
    assert "Answers given, hearings due and changes made in this month or later" in form
    assert 'name="borough"' in form and 'name="category"' in form


def test_every_insight_page_links_to_witnesses_keeping_the_filters(app, client, commissioner):
    for url in ("/insight/", "/insight/demand", "/insight/experience", "/insight/requests", URL):
        html = client.get(url + "?borough=Hackney").get_data(as_text=True)
        assert 'href="/insight/witnesses?borough=Hackney"' in html, url
    assert 'aria-current="page">Witnesses<' in client.get(URL).get_data(as_text=True)


# --- access -----------------------------------------------------------------------------------------------------

URLS = (URL, *(f"/insight/figures/{figure_id}.csv" for figure_id in (CANNOT_ATTEND, NO_REPLY, CHANGES)))


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COMMISSIONER])
def test_supervisors_and_commissioners_see_the_witnesses_page(client, make_user, role):
    sign_in_as(client, make_user(role))
    for url in URLS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.VICTIM, Role.WITNESS, Role.OFFICER, Role.PARTNER, Role.ADMIN,
                                  Role.WITNESS_CARE])
def test_people_without_insight_are_refused(client, make_user, role):
    sign_in_as(client, make_user(role))
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "cannot attend" not in response.get_data(as_text=True)


def test_signed_out_people_are_sent_to_sign_in(client):
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
