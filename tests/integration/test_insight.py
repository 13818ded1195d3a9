"""The insight dashboard and the published summary: exact figures from known data, suppression on the page and
in CSV, filters, access and a fixed number of SQL statements per page."""

import csv
import io
import itertools
import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.enums import CaseStatus, DeadlineKind, FollowUp, ReporterRole
from portal.cases.models import CrimeCategory, Report, VictimsCodeDeadline
from portal.clock import utcnow
from portal.equality.models import EqualityRecord
from portal.extensions import db
from portal.insight.refresh import refresh
from portal.insight.suppression import FEWER_THAN, HIDDEN
from portal.support.enums import ReferralStatus
from portal.support.models import Referral
from portal.surveys.models import CheckIn, Survey, SurveyKind
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page
from tests.sql_counting import counting_statements
from tests.support_helpers import make_organisation, make_service

PAGES = ("/insight/", "/insight/demand", "/insight/experience")
_numbers = itertools.count(1)


# --- building known data sets through the models ---------------------------------------------------------------


def category_id(code: str) -> int:
    return db.session.scalar(select(CrimeCategory.id).where(CrimeCategory.code == code))


def add_reports(count: int, *, borough: str = "Camden", category: str = "bicycle_theft",
                submitted: datetime | None = None, triage_minutes: float | None = None,
                response_hours: float | None = None, would_have_reported: str = "yes",
                user_id: int | None = None, status: CaseStatus = CaseStatus.TRIAGED,
                information: bool = False) -> list[int]:
    """Reports made ``submitted`` (default two days ago), triaged and responded to after the given times.
    Needs an app context; commits."""
    submitted = submitted or utcnow() - timedelta(days=2)
    reports = []
    for _ in range(count):
        number = next(_numbers)
        reports.append(Report(
            crime_number=f"CR-26-{number:07d}-T", status=status, is_information_report=information,
            reporter_user_id=user_id, reporter_role=ReporterRole.VICTIM, category_id=category_id(category),
            occurred_on=submitted.date(), borough=borough, description="Test report.", contact_name="Test Person",
            contact_email="test.person@example.org", safe_channels=["email"],
            follow_up=FollowUp.NONE, would_have_reported=would_have_reported, submitted_at=submitted,
            triage_due_at=submitted + timedelta(minutes=45), response_due_at=submitted + timedelta(hours=48),
            triaged_at=submitted + timedelta(minutes=triage_minutes) if triage_minutes is not None else None,
            first_response_at=submitted + timedelta(hours=response_hours) if response_hours is not None else None,
        ))
    db.session.add_all(reports)
    db.session.commit()
    return [r.id for r in reports]


def add_surveys(report_ids, *, overall: int | None, kept_informed: int | None = None,
                treated_fairly: int | None = None, ease_of_reporting: int | None = None,
                kind: SurveyKind = SurveyKind.AFTER_DECISION, answered: bool = True) -> None:
    now = utcnow()
    db.session.add_all(Survey(report_id=report_id, kind=kind, invited_at=now - timedelta(days=1),
                              answered_at=now if answered else None, overall=overall, kept_informed=kept_informed,
                              treated_fairly=treated_fairly, ease_of_reporting=ease_of_reporting)
                       for report_id in report_ids)
    db.session.commit()


def add_equality(*, report_ids=(), user_ids=(), **answers) -> None:
    db.session.add_all([*(EqualityRecord(report_id=i, **answers) for i in report_ids),
                        *(EqualityRecord(user_id=i, **answers) for i in user_ids)])
    db.session.commit()


_organisations: dict[str, tuple[int, int]] = {}


def organisation_and_service(name: str = "Camden Victim Support") -> tuple[int, int]:
    organisation = make_organisation(name)
    service = make_service(organisation, f"{name} service")
    return organisation.id, service.id


def add_referrals(report_ids, organisation: tuple[int, int], *, level: str = "contact",
                  accept_hours: float | None = None, contact_hours: float | None = None,
                  sent: datetime | None = None) -> list[int]:
    sent = sent or utcnow() - timedelta(days=100)
    referrals = [Referral(
        reference=f"RF-{next(_numbers):07d}", report_id=report_id, organisation_id=organisation[0],
        service_id=organisation[1], status=ReferralStatus.SENT, support_level=level, sent_at=sent,
        accepted_at=sent + timedelta(hours=accept_hours) if accept_hours is not None else None,
        first_contact_at=sent + timedelta(hours=contact_hours) if contact_hours is not None else None,
    ) for report_id in report_ids]
    db.session.add_all(referrals)
    db.session.commit()
    return [r.id for r in referrals]


def add_check_ins(referral_ids, *, start: tuple, end: tuple | None, level: str = "contact") -> None:
    """Week 0 answered with the ``start`` items and week 12 with the ``end`` items (None: not answered)."""
    rows = []
    for referral_id in referral_ids:
        referral = db.session.get(Referral, referral_id)
        for weeks, items in ((0, start), (12, end)):
            answered = items is not None
            values = dict(zip(("coping", "safety", "wellbeing", "confidence", "daily_life"), items or (None,) * 5,
                              strict=True))
            rows.append(CheckIn(referral_id=referral_id, report_id=referral.report_id,
                                organisation_id=referral.organisation_id, support_level=level, weeks=weeks,
                                due_at=referral.sent_at + timedelta(weeks=weeks), invited_at=referral.sent_at,
                                answered_at=referral.sent_at + timedelta(weeks=weeks) if answered else None,
                                **values))
    db.session.add_all(rows)
    db.session.commit()


def add_deadlines(report_ids, kind: DeadlineKind, *, met_after_hours: float | None, due_hours: float = 48,
                  due_in_past: bool = True) -> None:
    now = utcnow()
    due = now - timedelta(days=1) if due_in_past else now + timedelta(days=1)
    starts = due - timedelta(hours=due_hours)
    db.session.add_all(VictimsCodeDeadline(
        report_id=report_id, kind=kind, description="A promise", starts_at=starts, due_at=due,
        met_at=starts + timedelta(hours=met_after_hours) if met_after_hours is not None else None)
        for report_id in report_ids)
    db.session.commit()


# --- reading what the pages and downloads show ----------------------------------------------------------------


class _TableParser(HTMLParser):
    """The rows of one table (by id), as lists of cell texts."""

    def __init__(self, table_id: str):
        super().__init__(convert_charrefs=True)
        self.table_id = table_id
        self.inside = False
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside = False
        elif self.inside and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(html: str, figure_id: str) -> dict[str, list[str]]:
    """A figure's table on the page: the first cell of each row to the rest (the heading row under "")."""
    parser = _TableParser(f"table-{figure_id}")
    parser.feed(html)
    assert parser.rows, f"no table for {figure_id}"
    rows = {row[0]: row[1:] for row in parser.rows[1:]}
    rows[""] = parser.rows[0]
    return rows


def refresh_rollups(client) -> None:
    """Work out the rollups the pages read, as the scheduled job does (every day, so old test data counts)."""
    with client.application.app_context():
        refresh(everything=True)


def csv_rows(client, figure_id: str, query: str = "") -> dict[str, list[str]]:
    refresh_rollups(client)
    response = client.get(f"/insight/figures/{figure_id}.csv{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{figure_id}.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    result = {row[0]: row[1:] for row in rows[1:]}
    result[""] = rows[0]
    return result


def chart(html: str, figure_id: str) -> str:
    start = html.index(f'<svg class="app-chart" id="chart-{figure_id}"')
    return html[start:html.index("</svg>", start)]


@pytest.fixture
def supervisor(client, make_user):
    user = make_user(Role.SUPERVISOR)
    sign_in_as(client, user)
    return user


def page(client, url: str) -> str:
    refresh_rollups(client)
    response = client.get(url)
    assert response.status_code == 200, url
    assert_good_page(response)
    return response.get_data(as_text=True)


# --- service levels ---------------------------------------------------------------------------------------------


def test_the_45_minute_and_48_hour_targets_by_borough(app, ctx, client, supervisor):
    add_reports(10, borough="Camden", triage_minutes=30, response_hours=20)
    add_reports(2, borough="Camden", triage_minutes=50, response_hours=50)
    add_reports(15, borough="Hackney", triage_minutes=44, response_hours=47)
    add_reports(5, borough="Hackney", triage_minutes=46, response_hours=None)
    add_reports(3, borough="Westminster", triage_minutes=10, response_hours=1)
    # Made just now: inside both targets, so not counted either way yet.
    add_reports(4, borough="Camden", submitted=utcnow() - timedelta(minutes=5), status=CaseStatus.RECEIVED)

    html = page(client, "/insight/")
    triage = table(html, "triage-by-borough")
    assert triage[""] == ["Borough", "Reports", "Triaged within 45 minutes"]
    assert triage["All"] == ["35", "80%"]  # 28 of 35
    assert triage["Hackney"] == ["20", "75%"]  # 15 of 20
    assert triage["Westminster"] == [FEWER_THAN, FEWER_THAN]
    # Westminster's 3 could be worked out from the total, so the next smallest borough is hidden too.
    assert triage["Camden"] == [HIDDEN, HIDDEN]
    response = table(html, "response-by-borough")
    assert response["All"] == ["35", "80%"]  # 10 + 15 + 3 of 35
    assert response["Hackney"] == ["20", "75%"]
    svg = chart(html, "triage-by-borough")
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Westminster" in svg and FEWER_THAN in svg and HIDDEN in svg and "75%" in svg
    assert svg.count("<rect") == 2  # All and Hackney: no bar for a hidden group
    downloaded = csv_rows(client, "triage-by-borough")
    assert downloaded[""] == ["Borough", "Reports", "Triaged within 45 minutes (%)"]
    assert downloaded["All"] == ["35", "80.0"]
    assert downloaded["Hackney"] == ["20", "75.0"]
    assert downloaded["Westminster"] == [FEWER_THAN, FEWER_THAN]
    assert downloaded["Camden"] == [HIDDEN, HIDDEN]


def test_the_targets_with_every_borough_large_enough(app, ctx, client, supervisor):
    add_reports(10, borough="Camden", triage_minutes=30, response_hours=20)
    add_reports(2, borough="Camden", triage_minutes=50, response_hours=50)
    add_reports(10, borough="Hackney", triage_minutes=45, response_hours=48)

    triage = table(page(client, "/insight/"), "triage-by-borough")
    assert triage["Camden"] == ["12", "83%"]  # 10 of 12
    assert triage["Hackney"] == ["10", "100%"]  # exactly on the deadline counts as met
    assert triage["All"] == ["22", "91%"]  # 20 of 22 = 90.9


def test_victims_code_promises_and_the_referral_offer(app, ctx, client, supervisor):
    camden = add_reports(12, borough="Camden")
    hackney = add_reports(10, borough="Hackney")
    add_deadlines(camden[:9], DeadlineKind.SUPPORT_REFERRAL, met_after_hours=10)
    add_deadlines(camden[9:], DeadlineKind.SUPPORT_REFERRAL, met_after_hours=60)
    add_deadlines(hackney, DeadlineKind.SUPPORT_REFERRAL, met_after_hours=None)
    add_deadlines(camden, DeadlineKind.KEY_EVENT, met_after_hours=1)
    add_deadlines(hackney, DeadlineKind.KEY_EVENT, met_after_hours=None, due_in_past=False)  # not due yet

    html = page(client, "/insight/")
    offer = table(html, "referral-offer-by-borough")
    assert offer["All"] == ["22", "41%"]  # 9 of 22
    assert offer["Camden"] == ["12", "75%"]
    assert offer["Hackney"] == ["10", "0%"]
    by_kind = table(html, "victims-code-by-kind")
    assert by_kind["Referral to support offered within 2 working days"] == ["22", "41%"]
    assert by_kind["Told of a key event in time"] == ["12", "100%"]
    assert by_kind["All"] == ["22", "62%"]  # 21 of the 34 promises due
    by_borough = table(html, "victims-code-by-borough")
    assert by_borough["Camden"] == ["12", "88%"]  # 21 of 24


def test_partner_times_are_means_in_hours(app, ctx, client, supervisor):
    organisation = organisation_and_service()
    reports = add_reports(12, borough="Camden")
    add_referrals(reports[:6], organisation, accept_hours=2, contact_hours=10)
    add_referrals(reports[6:], organisation, accept_hours=4, contact_hours=None)

    html = page(client, "/insight/")
    accept = table(html, "partner-time-to-accept")
    assert accept[""] == ["Borough", "Referrals accepted", "Mean time to accept"]
    assert accept["Camden"] == ["12", "3.0 hours"]
    contact = table(html, "partner-time-to-contact")
    assert contact["All"] == [FEWER_THAN, FEWER_THAN]  # only 6 contacted
    assert csv_rows(client, "partner-time-to-accept")["Camden"] == ["12", "3.0"]


# --- demand -----------------------------------------------------------------------------------------------------


def test_demand_by_category_borough_week_and_new_demand(app, ctx, client, supervisor):
    monday = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    add_reports(14, borough="Camden", category="theft", submitted=monday, would_have_reported="no")
    add_reports(11, borough="Hackney", category="bicycle_theft", submitted=monday + timedelta(days=7))
    add_reports(10, borough="Hackney", category="lost_property", submitted=monday + timedelta(days=8),
                information=True, would_have_reported="not_sure")
    add_reports(10, borough="Camden", category="theft", submitted=monday + timedelta(days=9),
                status=CaseStatus.REFERRED_ELSEWHERE, would_have_reported="no")

    html = page(client, "/insight/demand")
    categories = table(html, "reports-by-category")
    assert categories["Theft"] == ["24"]
    assert categories["Bicycle theft"] == ["11"]
    assert categories["Lost property"] == ["10"]
    assert categories["Total"] == ["45"]
    boroughs = table(html, "reports-by-borough")
    assert boroughs["Camden"] == ["24"] and boroughs["Hackney"] == ["21"]
    weeks = table(html, "reports-by-week")
    assert weeks["Week starting 2 March 2026"] == ["14"]
    assert weeks["Week starting 9 March 2026"] == ["31"]
    new_demand = table(html, "new-demand-by-borough")
    assert new_demand["Camden"] == ["24", "100%"]
    assert new_demand["Hackney"] == ["21", "0%"]
    assert new_demand["All"] == ["45", "53%"]  # 24 of 45
    other = table(html, "reports-handled-another-way")
    assert other["Recorded as an information report (not a crime)"] == ["10"]
    assert other["Referred to another organisation at triage"] == ["10"]
    assert "People sent elsewhere before reporting" in html


# --- experience and outcomes -------------------------------------------------------------------------------------


def _disability_data(make_user) -> None:
    """20 people without a disability (16 satisfied) and 10 disabled people (4 satisfied); overall 20 of 30."""
    not_disabled = add_reports(20, borough="Camden")
    add_surveys(not_disabled[:16], overall=5, kept_informed=4, treated_fairly=5, ease_of_reporting=2)
    add_surveys(not_disabled[16:], overall=2, kept_informed=4, treated_fairly=5, ease_of_reporting=2)
    add_equality(report_ids=not_disabled, disability="no")
    # Five disabled people answered from their accounts, five with their reports.
    by_account = []
    for _ in range(5):
        user = make_user(Role.VICTIM)
        by_account += add_reports(1, borough="Hackney", user_id=user.id)
        add_equality(user_ids=[user.id], disability="yes")
    by_report = add_reports(5, borough="Hackney")
    add_equality(report_ids=by_report, disability="yes")
    disabled = by_account + by_report
    add_surveys(disabled[:4], overall=4, kept_informed=1, treated_fairly=4, ease_of_reporting=5)
    add_surveys(disabled[4:], overall=1, kept_informed=1, treated_fairly=4, ease_of_reporting=5)
    # Unanswered surveys count for nothing.
    add_surveys(add_reports(7, borough="Camden"), overall=None, answered=False)


def test_are_disabled_victims_less_satisfied_than_others(app, ctx, client, supervisor, make_user):
    _disability_data(make_user)

    html = page(client, "/insight/experience?by=disability")
    rows = table(html, "satisfaction-by-disability")
    assert rows[""] == ["Disability", "People answering", "Satisfied overall", "Satisfied with being kept informed",
                        "Satisfied with being treated fairly and with respect",
                        "Satisfied with how easy it was to report online", "Compared with overall"]
    assert rows["All"] == ["30", "67%", "67%", "100%", "33%", ""]
    assert rows["Yes"] == ["10", "40%", "0%", "100%", "100%", "▼ Notable gap: 27 percentage points below overall"]
    assert rows["No"] == ["20", "80%", "100%", "100%", "0%", "▲ Notable gap: 13 percentage points above overall"]
    assert "app-gap--below" in html
    by_question = table(html, "satisfaction-by-question")
    assert by_question["Satisfied overall"] == ["30", "67%"]
    assert by_question["Satisfied with how easy it was to report online"] == ["30", "33%"]

    downloaded = csv_rows(client, "satisfaction-by-disability")
    assert downloaded["Yes"] == ["10", "40.0", "0.0", "100.0", "100.0", "27 percentage points below overall"]
    assert downloaded["All"][:2] == ["30", "66.7"]


def test_do_peer_support_groups_help_people_recover(app, ctx, client, supervisor):
    organisation = organisation_and_service()
    peer = add_referrals(add_reports(10), organisation, level="peer")
    add_check_ins(peer, start=(2, 2, 2, 2, 2), end=(3, 3, 3, 3, 3), level="peer")  # +1.0
    other = add_referrals(add_reports(10, borough="Hackney"), organisation, level="contact")
    add_check_ins(other[:5], start=(2, 2, 2, 2, 2), end=(2, 2, 2, 3, 3), level="contact")  # +0.4
    add_check_ins(other[5:], start=(3, 3, 3, 3, None), end=(3, 3, 3, 3, 3), level="contact")  # 0
    # Without a 12-week answer a referral is not counted.
    add_check_ins(add_referrals(add_reports(3), organisation, level="peer"), start=(1, 1, 1, 1, 1), end=None,
                  level="peer")

    html = page(client, "/insight/experience")
    rows = table(html, "coping-change-peer-vs-other")
    assert rows["All"] == ["20", "+0.6", ""]
    assert rows["Peer-support group"] == ["10", "+1.0", "▲ Notable gap: 0.4 points above overall"]
    assert rows["Other support"] == ["10", "+0.2", "▼ Notable gap: 0.4 points below overall"]
    by_level = table(page(client, "/insight/experience?by=support_level"), "coping-change-by-support-level")
    assert by_level["A peer-support group"][:2] == ["10", "+1.0"]
    assert csv_rows(client, "coping-change-peer-vs-other")["Other support"] == ["10", "0.20",
                                                                                "0.4 points below overall"]


def test_every_breakdown_of_experience_renders(app, ctx, client, supervisor, make_user):
    _disability_data(make_user)
    organisation = organisation_and_service()
    add_referrals(add_reports(3), organisation, level="peer")
    for dimension in ("borough", "support-level", "organisation", "age-band", "sex", "gender-identity",
                      "ethnicity", "disability", "sexuality", "religion", "mental-health", "repeat-victimisation"):
        html = page(client, f"/insight/experience?by={dimension.replace('-', '_')}")
        assert f'id="table-satisfaction-by-{dimension}"' in html
        assert f'id="table-coping-change-by-{dimension}"' in html
        assert csv_rows(client, f"coping-change-by-{dimension}")[""][0]
    organisations = table(page(client, "/insight/experience?by=organisation"), "satisfaction-by-organisation")
    assert organisations["No referral"][0] == "30"
    assert client.get("/insight/experience?by=shoe_size").status_code == 404


# --- suppression on the page and in CSV --------------------------------------------------------------------------


def test_a_breakdown_with_one_small_group_hides_the_next_smallest(app, ctx, client, supervisor):
    add_reports(25, borough="Camden")
    add_reports(12, borough="Hackney")
    add_reports(14, borough="Lambeth")
    add_reports(4, borough="Westminster")

    html = page(client, "/insight/demand")
    boroughs = table(html, "reports-by-borough")
    assert boroughs["Total"] == ["55"]
    assert boroughs["Westminster"] == [FEWER_THAN]
    assert boroughs["Hackney"] == [HIDDEN]  # else 55 - 25 - 14 - 12 = 4 gives Westminster away
    assert boroughs["Camden"] == ["25"] and boroughs["Lambeth"] == ["14"]
    downloaded = csv_rows(client, "reports-by-borough")
    assert downloaded["Westminster"] == [FEWER_THAN] and downloaded["Hackney"] == [HIDDEN]
    assert downloaded["Total"] == ["55"]
    svg = chart(html, "reports-by-borough")
    assert ">4<" not in svg and ">12<" not in svg


def test_a_total_of_fewer_than_10_is_hidden_everywhere(app, ctx, client, supervisor):
    add_reports(6, borough="Camden", triage_minutes=5)
    html = page(client, "/insight/")
    assert table(html, "triage-by-borough")["All"] == [FEWER_THAN, FEWER_THAN]
    assert table(html, "triage-by-borough")["Camden"] == [FEWER_THAN, FEWER_THAN]
    assert table(html, "headline-service-levels")["Reports triaged within 45 minutes"] == [FEWER_THAN, FEWER_THAN]
    assert csv_rows(client, "triage-by-borough")["All"] == [FEWER_THAN, FEWER_THAN]


def test_csv_cells_cannot_run_as_formulas(app, ctx, client, supervisor):
    organisation = organisation_and_service("=HYPERLINK(\"http://evil.example\")")
    reports = add_reports(10)
    add_referrals(reports, organisation, level="peer")
    add_surveys(reports, overall=5)
    refresh_rollups(client)
    rows = list(csv.reader(io.StringIO(client.get("/insight/figures/satisfaction-by-organisation.csv")
                                       .get_data(as_text=True))))
    labels = [row[0] for row in rows]
    assert "'=HYPERLINK(\"http://evil.example\")" in labels
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


# --- filters ----------------------------------------------------------------------------------------------------


def _filter_data():
    add_reports(10, borough="Camden", category="theft", submitted=datetime(2026, 1, 10, 9, tzinfo=UTC))
    add_reports(12, borough="Camden", category="bicycle_theft", submitted=datetime(2026, 2, 10, 9, tzinfo=UTC))
    add_reports(15, borough="Hackney", category="theft", submitted=datetime(2026, 2, 20, 9, tzinfo=UTC))
    # 23:30 on 28 February in UTC is still 28 February in London (GMT); 23:30 UTC on 31 March is 1 April in London.
    add_reports(11, borough="Hackney", category="theft", submitted=datetime(2026, 2, 28, 23, 30, tzinfo=UTC))
    add_reports(13, borough="Hackney", category="theft", submitted=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))


# February and March 2026: the filters take whole months (see the differencing tests below).
RANGE = "?date_from-month=2&date_from-year=2026&date_to-month=3&date_to-year=2026"
DAYS_REFUSED = "The figures are for whole months. Choose a month and year, without a day"


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"Camden": "22", "Hackney": "39", "Total": "61"}),
    (RANGE, {"Camden": "12", "Hackney": "26", "Total": "38"}),
    (RANGE + "&borough=Hackney", {"Hackney": "26", "Total": "26"}),
    ("?category=theft", {"Camden": "10", "Hackney": "39", "Total": "49"}),
    (RANGE + "&category=theft&borough=Camden", {"Total": "0"}),
])
def test_filters_narrow_the_data_exactly(app, ctx, client, supervisor, query, expected):
    _filter_data()
    html = page(client, f"/insight/demand{query}")
    shown = {label: cells[0] for label, cells in table(html, "reports-by-borough").items() if label}
    assert shown == expected
    assert {label: cells[0] for label, cells in csv_rows(client, "reports-by-borough", query).items()
            if label} == expected
    # The filters stay on the links to the other pages and on every download.
    if query:
        assert f'/insight/figures/reports-by-borough.csv{query}'.replace("&", "&amp;") in html or \
            all(part.replace("&", "&amp;") in html for part in query.lstrip("?").split("&"))


def test_filters_are_kept_in_links_and_downloads(app, ctx, client, supervisor):
    html = page(client, "/insight/demand?borough=Hackney&category=theft&date_from-month=2&date_from-year=2026")
    for link in ("/insight/figures/reports-by-week.csv?", "/insight/experience?", "/insight/?"):
        start = html.index(f'href="{link}')
        href = html[start:html.index('"', start + 6)]
        assert "borough=Hackney" in href and "category=theft" in href and "date_from-year=2026" in href
    assert 'selected>Hackney' in html.replace('selected="selected"', "selected").replace(" selected", "selected") \
        or 'value="Hackney" selected' in html


@pytest.mark.parametrize(("query", "message"), [
    ("?date_from-month=13&date_from-year=2026", "The start date must be a real date"),
    ("?date_from-month=&date_from-year=2026", "The start date must include a month"),
    ("?date_to-month=x&date_to-year=2026", "The end date must be a real date"),
    ("?date_to-month=9999999999&date_to-year=2026", "The end date must be a real date"),
    ("?date_from-month=3&date_from-year=2026&date_to-month=2&date_to-year=2026",
     "The end date must be the same as or after the start date"),
    ("?date_from-month=1&date_from-year=99999999999999999999", "The start date must be a real date"),
    ("?date_from-day=2&date_from-month=1&date_from-year=2026", DAYS_REFUSED),
    ("?date_to-day=27&date_to-month=2&date_to-year=2026", DAYS_REFUSED),
    ("?borough=Atlantis", "Select a borough from the list"),
    ("?borough=" + "A" * 5000, "Select a borough from the list"),
    ("?category=%00%3Cscript%3E", "Select a crime category from the list"),
])
def test_invalid_filters_are_explained_never_a_crash(app, ctx, client, supervisor, query, message):
    add_reports(10)
    for url in PAGES:
        response = client.get(url + query)
        assert response.status_code == 200
        assert_good_page(response)
        html = response.get_data(as_text=True)
        assert "There is a problem" in html and message in html
        assert "<title>Error: " in html
        assert 'class="govuk-table app-figure-table"' not in html  # no figures for filters that are not valid
    download = client.get(f"/insight/figures/reports-by-borough.csv{query}")
    assert download.status_code == 400 and message in download.get_data(as_text=True)


# --- differencing: two ranges may differ by whole months only ----------------------------------------------------


def _hackney_in_february():
    """15 reports in Hackney on 10 February and 3 on 28 February: a group of 3 is too small to show."""
    add_reports(15, borough="Hackney", submitted=datetime(2026, 2, 10, 9, tzinfo=UTC))
    add_reports(3, borough="Hackney", submitted=datetime(2026, 2, 28, 9, tzinfo=UTC))
    add_reports(12, borough="Hackney", submitted=datetime(2026, 3, 10, 9, tzinfo=UTC))


def days(first: str, last: str) -> str:
    """A range of days as the filters took them before (day, month and year of each end)."""
    (d1, m1), (d2, m2) = (tuple(part.split()) for part in (first, last))
    return (f"?date_from-day={d1}&date_from-month={m1}&date_from-year=2026"
            f"&date_to-day={d2}&date_to-month={m2}&date_to-year=2026")


def test_ranges_a_day_apart_cannot_be_asked_for(app, ctx, client, supervisor):
    """'Hackney, 1 to 28 February' minus 'Hackney, 1 to 27 February' would give the 3 reports of 28 February,
    each range big enough to show. A day in the filters is refused, with the reason and no figures, on every page
    and in every download; and the form offers no day to type."""
    _hackney_in_february()
    for query in (days("1 2", "28 2"), days("1 2", "27 2"), days("28 2", "31 3"), days("1 3", "31 3")):
        for url in PAGES:
            html = page(client, f"{url}{query}&borough=Hackney")
            assert DAYS_REFUSED in html and "There is a problem" in html
            assert 'class="govuk-table app-figure-table"' not in html
        download = client.get(f"/insight/figures/reports-by-borough.csv{query}&borough=Hackney")
        assert download.status_code == 400 and DAYS_REFUSED in download.get_data(as_text=True)
    form = page(client, "/insight/demand")
    assert 'name="date_from-month"' in form and 'name="date_to-year"' in form
    assert "-day" not in form


def test_ranges_differ_by_whole_months_so_a_difference_shows_no_small_group(app, ctx, client, supervisor):
    """Every range the filters allow starts on the 1st and ends on a month's last day, so two of them differ by
    whole months: February (18) and February to March (30) differ by March's 12, never by the 3 of 28 February."""
    _hackney_in_february()
    shown = {}
    for name, query in (("February", "?date_from-month=2&date_from-year=2026&date_to-month=2&date_to-year=2026"),
                        ("February to March", RANGE), ("From March", "?date_from-month=3&date_from-year=2026"),
                        ("Up to February", "?date_to-month=2&date_to-year=2026")):
        shown[name] = int(table(page(client, f"/insight/demand{query}"), "reports-by-borough")["Hackney"][0])
        assert int(csv_rows(client, "reports-by-borough", query)["Hackney"][0]) == shown[name]
    assert shown == {"February": 18, "February to March": 30, "From March": 12, "Up to February": 18}
    # Nested ranges differ by whole months, figures the filters show (or suppress) by themselves anyway ...
    assert shown["February to March"] - shown["February"] == shown["From March"]
    assert shown["February to March"] - shown["From March"] == shown["Up to February"]
    # ... and no two ranges differ by the 3 reports of 28 February.
    assert 3 not in {abs(a - b) for a, b in itertools.combinations(shown.values(), 2)}


def test_the_published_summary_covers_the_last_twelve_whole_months(app, ctx, client, monkeypatch):
    """The public page has no filters, but a window ending today would move a day at a time, and two days' pages
    would differ by a day's reports. It shows the twelve months to the end of last month: the same all month."""
    import portal.insight.views as views

    for today, period in ((date(2026, 7, 1), "1 July 2025 to 30 June 2026"),
                          (date(2026, 7, 31), "1 July 2025 to 30 June 2026"),
                          (date(2026, 8, 1), "1 August 2025 to 31 July 2026"),
                          (date(2026, 1, 15), "1 January 2025 to 31 December 2025")):
        monkeypatch.setattr(views, "today_in_london", lambda today=today: today)
        assert f"Reports made online from {period}." in page(client, "/insight/public"), today


def test_unknown_figure_is_not_found(app, client, supervisor):
    assert client.get("/insight/figures/nothing-here.csv").status_code == 404


# --- access -----------------------------------------------------------------------------------------------------

DASHBOARD_URLS = (*PAGES, "/insight/experience?by=disability", "/insight/figures/triage-by-borough.csv")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COMMISSIONER])
def test_supervisors_and_commissioners_see_the_dashboard(app, client, make_user, role):
    sign_in_as(client, make_user(role))
    for url in DASHBOARD_URLS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PARTNER, Role.ADMIN, Role.VICTIM, Role.WITNESS])
def test_everyone_else_is_refused(app, client, make_user, role):
    sign_in_as(client, make_user(role))
    for url in DASHBOARD_URLS:
        assert client.get(url).status_code == 403, url


def test_signed_out_people_are_sent_to_sign_in(app, client):
    for url in DASHBOARD_URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_the_published_summary_is_public_and_suppressed(app, ctx, client, make_user):
    # The summary covers the 12 whole months before this one, so the reports are made last month.
    last_month = utcnow().replace(day=1, hour=12) - timedelta(days=10)
    add_reports(12, borough="Camden", triage_minutes=30, response_hours=30, submitted=last_month)
    add_reports(3, borough="Hackney", triage_minutes=60, response_hours=60, submitted=last_month)
    add_reports(10, borough="Lambeth", triage_minutes=60, response_hours=1,
                submitted=utcnow() - timedelta(days=400))  # before the published period
    add_reports(4, borough="Westminster", submitted=utcnow())  # this month: not published yet
    add_surveys(add_reports(10, borough="Camden", triage_minutes=30, submitted=last_month), overall=5)
    for signed_in_as in (None, Role.VICTIM, Role.COMMISSIONER):
        if signed_in_as:
            sign_in_as(client, make_user(signed_in_as))
        html = page(client, "/insight/public")
        headline = table(html, "headline-service-levels")
        assert headline["Reports triaged within 45 minutes"] == ["25", "88%"]  # 22 of 25
        assert headline["People satisfied overall (survey answers of 4 or 5 out of 5)"] == ["10", "100%"]
        triage = table(html, "triage-by-borough")
        assert triage["Hackney"] == [FEWER_THAN, FEWER_THAN] and "Lambeth" not in triage \
            and "Westminster" not in triage
        assert table(html, "satisfaction-by-borough")["Camden"][:2] == ["10", "100%"]
        assert "Download this data" not in html


# --- scale: a fixed number of statements per page -------------------------------------------------------------------


def _grow(organisation, times: int) -> None:
    for borough in ("Camden", "Hackney", "Lambeth"):
        reports = add_reports(4 * times, borough=borough, triage_minutes=20, response_hours=5)
        add_surveys(reports, overall=4)
        add_equality(report_ids=reports[:times], disability="yes")
        add_deadlines(reports, DeadlineKind.SUPPORT_REFERRAL, met_after_hours=3)
        add_check_ins(add_referrals(reports[:times], organisation, accept_hours=2, contact_hours=3),
                      start=(2, 2, 2, 2, 2), end=(3, 3, 3, 3, 3))


def test_each_page_runs_the_same_statements_however_many_reports(app, ctx, client, supervisor):
    organisation = organisation_and_service()
    urls = (*PAGES, "/insight/experience?by=disability", "/insight/experience?by=organisation",
            "/insight/public", "/insight/figures/satisfaction-by-disability.csv")
    _grow(organisation, 3)
    refresh_rollups(client)
    for url in urls:
        client.get(url)

    def measure():
        counts = {}
        for url in urls:
            db.session.remove()  # the test's own session must not save the request a query
            with counting_statements(app) as statements:
                assert client.get(url).status_code == 200
            counts[url] = len(statements)
        return counts

    small = measure()
    _grow(organisation, 9)
    refresh_rollups(client)
    assert measure() == small
    assert max(small.values()) <= 8, small


def test_every_page_says_when_its_figures_were_worked_out(app, ctx, client, supervisor):
    add_reports(3)
    for url in ("/insight/", "/insight/demand", "/insight/experience", "/insight/public"):
        html = page(client, url)
        when = r'Figures as of \d{1,2} \w+ \d{4} at [\d:]+[ap]m \(London time\)\.'
        assert re.search(rf'id="figures-as-of">{when}<', html), url
