"""The wait shown for a service: measured from its referrals (median working days from sent to first contact, over
the last 90 days) when there are at least five, otherwise the organisation's own estimate, labelled as theirs."""

import math
import statistics
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.auth.roles import Role
from portal.cases.models import Report
from portal.cases.working_days import working_days_between
from portal.clock import utcnow
from portal.extensions import db
from portal.support.enums import ReferralStatus
from portal.support.models import Referral, SupportService
from portal.support.waits import MIN_REFERRALS, WINDOW_DAYS, Wait, waits_for
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report


def _referral(report_id: int, service: SupportService, n: int, sent_at, first_contact_at=None) -> None:
    status = ReferralStatus.CONTACTED if first_contact_at else ReferralStatus.SENT
    db.session.add(Referral(reference=f"W{service.id}-{n}", report_id=report_id,
                            organisation_id=service.organisation_id, service_id=service.id, status=status,
                            support_level="contact", sent_at=sent_at, first_contact_at=first_contact_at))


def _report_id(app) -> int:
    crime_number = make_report(app)
    with app.app_context():
        return db.session.scalar(select(Report.id).where(Report.crime_number == crime_number))


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_the_measured_wait_is_the_median_working_days_of_recent_referrals_rounded_up(app):
    """Known dates: weekends do not count, old and uncontacted referrals are left out, a half day rounds up."""
    report_id = _report_id(app)
    now = _at("2026-11-30", 12)  # a Monday
    with app.app_context():
        service = make_service(make_organisation(), expected_wait_days=10)
        pairs = [("2026-11-02", "2026-11-04"),  # Monday to Wednesday: 2
                 ("2026-11-06", "2026-11-09"),  # Friday to Monday: 1
                 ("2026-11-12", "2026-11-17"),  # Thursday to Tuesday: 3
                 ("2026-11-16", "2026-11-23"),  # a week: 5
                 ("2026-11-18", "2026-11-19")]  # 1
        for n, (sent, contacted) in enumerate(pairs):
            _referral(report_id, service, n, _at(sent), _at(contacted, 15))
        _referral(report_id, service, 10, _at("2026-08-01"), _at("2026-10-30"))  # sent more than 90 days ago
        _referral(report_id, service, 11, _at("2026-11-25"))  # no contact yet
        db.session.commit()
        assert waits_for([service], now)[service.id] == Wait(2, 5, True)  # median of 1, 1, 2, 3, 5

        _referral(report_id, service, 12, _at("2026-11-23"), _at("2026-11-26"))  # 3
        db.session.commit()
        assert waits_for([service], now)[service.id] == Wait(3, 6, True)  # median 2.5 of six, rounded up


def test_with_fewer_than_five_referrals_the_organisations_estimate_is_used(app):
    report_id = _report_id(app)
    now = _at("2026-11-30", 12)
    with app.app_context():
        service = make_service(make_organisation(), expected_wait_days=10)
        for n in range(MIN_REFERRALS - 1):
            _referral(report_id, service, n, _at("2026-11-02"), _at("2026-11-03"))
        db.session.commit()
        assert waits_for([service], now)[service.id] == Wait(10, 0, False)


def test_the_wait_on_the_support_pages_equals_the_one_computed_from_the_referrals_in_the_database(app, client,
                                                                                                     signed_in):
    """The directory shows the measured wait with the number of referrals it rests on; a service with too few
    shows the organisation's estimate, labelled as theirs."""
    signed_in(Role.VICTIM)
    report_id = _report_id(app)
    now = utcnow()
    with app.app_context():
        organisation = make_organisation()
        measured = make_service(organisation, "Measured service", expected_wait_days=9)
        make_service(organisation, "New service", expected_wait_days=7)
        for n, (days_ago, hours) in enumerate([(3, 30), (10, 100), (20, 8), (40, 200), (60, 50), (85, 75),
                                               (89, 26), (WINDOW_DAYS + 5, 10)]):
            sent = now - timedelta(days=days_ago)
            _referral(report_id, measured, n, sent, sent + timedelta(hours=hours))
        db.session.commit()
        rows = db.session.execute(select(Referral.sent_at, Referral.first_contact_at)
                                  .where(Referral.service_id == measured.id)).all()
    recent = [(sent, contacted) for sent, contacted in rows
              if contacted is not None and sent >= now - timedelta(days=WINDOW_DAYS)]
    expected = math.ceil(statistics.median(working_days_between(sent, contacted) for sent, contacted in recent))
    assert len(recent) == 7

    words = " ".join(client.get("/support/directory").get_data(as_text=True).split())
    unit = "working day" if expected == 1 else "working days"
    assert f"Usually first contact within {expected} {unit} (from 7 referrals in the last 90 days)" in words
    assert "The organisation estimates 7 working days" in words
    assert "The organisation estimates 9 working days" not in words
