"""Diversions: people the online form sends elsewhere are counted once per unfinished report, without personal
data, and shown (suppressed like every figure) on the insight demand page."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.cases.enums import Route
from portal.clock import utcnow
from portal.extensions import db
from portal.reporting.models import Diversion
from portal.reporting.services import get_category
from tests.conftest import sign_in_as
from tests.integration.test_insight import csv_rows
from tests.wizard import answer, start


def diversions() -> list[Diversion]:
    return list(db.session.scalars(select(Diversion).order_by(Diversion.id)))


def test_the_fraud_page_counts_one_diversion_per_unfinished_report(app, ctx, client):
    start(client)
    answer(client, "safety-now", {"danger_now": "no"})
    answer(client, "immediate-risk", {"immediate_risk": "no"})
    location = answer(client, "what-happened", {"category": "fraud"})
    client.get(location)
    client.get(location)  # a reload is not a second person

    counted = diversions()
    assert [(d.route, d.category_id) for d in counted] == [(Route.FRAUD, get_category("fraud").id)]
    assert counted[0].occurred_at > utcnow() - timedelta(minutes=1)


def test_stop_pages_and_visits_without_a_report_count_nothing(app, ctx, client):
    for page in ("call-999", "urgent-help", "fraud", "specialist-support", "help-choosing"):
        assert client.get(f"/report/help/{page}").status_code == 200
    assert diversions() == []


@pytest.fixture
def supervisor_client(app, client, make_user):
    sign_in_as(client, make_user(Role.SUPERVISOR))
    return client


def test_the_demand_page_shows_diversions_by_route_with_small_numbers_hidden(app, ctx, supervisor_client):
    now = utcnow()
    db.session.add_all([Diversion(occurred_at=now - timedelta(days=1), route=Route.FRAUD) for _ in range(12)]
                       + [Diversion(occurred_at=now - timedelta(days=1), route=Route.SPECIALIST) for _ in range(3)]
                       + [Diversion(occurred_at=now - timedelta(days=400), route=Route.FRAUD) for _ in range(20)])
    db.session.commit()
    assert db.session.scalar(select(func.count(Diversion.id))) == 35

    rows = csv_rows(supervisor_client, "diversions-by-route")
    assert rows["Sent to the national fraud reporting service"][0] == "32"
    assert rows["Sent to specialist support (for example domestic abuse or sexual offences)"][0] == "fewer than 10"

    since = now - timedelta(days=30)  # the filters take whole months: from the start of that month
    recent = csv_rows(supervisor_client, "diversions-by-route",
                      f"?date_from-month={since.month}&date_from-year={since.year}")
    assert recent["Sent to the national fraud reporting service"][0] == "12"
    page = supervisor_client.get("/insight/demand").get_data(as_text=True)
    assert "People sent elsewhere before reporting" in page
