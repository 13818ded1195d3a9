"""The partner portal: a charity's inbox, handling a referral from acceptance to closure, what the consent lets it
see, the CSV export, and one charity kept out of another's referrals."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.support import assessments, referrals
from portal.support.enums import ReferralStatus
from portal.support.models import Consent, Referral, ReferralEvent, SupportService
from portal.support.recommendation import NeedsAnswers
from tests.conftest import sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report
from tests.wizard import error_messages

ALL_SCOPES = ("category_and_dates", "contact_details", "description", "progress")
STALE = "This referral changed while you were looking at it"


@dataclass(frozen=True)
class Setup:
    """An organisation with one service, and the ids the tests need."""

    organisation_id: int
    service_id: int


def charity(app, name: str = "Camden Victim Support", service_name: str = "Support after theft") -> Setup:
    """An accredited organisation with one service."""
    with app.app_context():
        organisation = make_organisation(name)
        service = make_service(organisation, service_name)
        return Setup(organisation.id, service.id)


def referral_to(app, make_user, setup: Setup, scopes=ALL_SCOPES, needs: bool = False, **report_fields) -> str:
    """A victim reports a crime and asks to be referred to the service, sharing these parts. Returns the
    reference."""
    victim = make_user(Role.VICTIM)
    fields = {"contact_phone": "07700 900123", "description": "Someone cut the lock and took my blue bike.",
              **report_fields}
    crime_number = make_report(app, victim, **fields)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        user = db.session.get(User, victim.id)
        if needs:
            assessments.save_assessment(user, report, NeedsAnswers(wants_to_talk=True), language="pl",
                                        interpreter=True, easy_read=True, contact_method="text",
                                        contact_time="Weekday mornings", step_free=True, online_only=True)
        referral = referrals.refer_with_consent(user, report, db.session.get(SupportService, setup.service_id),
                                                "contact", scopes)
        return referral.reference


def state(app, reference: str) -> Referral:
    """A fresh, detached copy of a referral and its events."""
    with app.app_context():
        referral = db.session.scalar(select(Referral).where(Referral.reference == reference))
        events = list(db.session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
                                         .order_by(ReferralEvent.id)))
        db.session.expunge_all()
        referral.__dict__["loaded_events"] = events
        return referral


def version(app, reference: str) -> str:
    """The referral's current version, as a form sends it."""
    return str(state(app, reference).version)


def partner_of(signed_in, setup: Setup) -> User:
    """Sign the client in as a partner of the organisation."""
    return signed_in(Role.PARTNER, organisation_id=setup.organisation_id)


def references_in(response) -> list[str]:
    """The referral references a page links to."""
    return re.findall(r'href="/partner/referrals/(RF-[A-Z0-9]+)"', response.get_data(as_text=True))


def inbox_list(client, view: str) -> list[str]:
    """The references in one of the inbox's lists."""
    response = client.get(f"/partner/referrals?view={view}")
    assert response.status_code == 200
    assert_good_page(response)
    return references_in(response)


def withdraw(app, reference: str) -> None:
    """The victim withdraws the consent behind a referral."""
    with app.app_context():
        referral = db.session.scalar(select(Referral).where(Referral.reference == reference))
        report = db.session.get(Report, referral.report_id)
        victim = db.session.get(User, report.reporter_user_id)
        referrals.withdraw_consent(victim, db.session.get(Consent, referral.consent_id))


# The round trip ---------------------------------------------------------------------------------------------


def test_a_referral_goes_from_new_to_accepted_to_contacted_to_closed(app, client, signed_in, make_user):
    """The charity accepts, records a failed attempt and then a successful one, and closes with an outcome."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner = partner_of(signed_in, setup)

    assert client.get("/partner/").headers["Location"] == "/partner/referrals"
    inbox = client.get("/partner/referrals")
    assert_good_page(inbox)
    assert h1_text(inbox) == "Referrals"
    assert "We aim to make first contact within 2 working days" in inbox.get_data(as_text=True)
    assert references_in(inbox) == [reference]
    assert inbox_list(client, "open") == [] and inbox_list(client, "closed") == []

    page = client.get(f"/partner/referrals/{reference}")
    assert_good_page(page)
    assert h1_text(page) == f"Referral {reference}"
    response = client.post(f"/partner/referrals/{reference}/accept", data={"version": version(app, reference)})
    assert response.status_code == 302 and response.headers["Location"] == f"/partner/referrals/{reference}"
    assert state(app, reference).status == ReferralStatus.ACCEPTED
    assert inbox_list(client, "new") == [] and inbox_list(client, "open") == [reference]

    assert_good_page(client.get(f"/partner/referrals/{reference}/contact"))
    client.post(f"/partner/referrals/{reference}/contact",
                data={"version": version(app, reference), "outcome": "no_answer", "note": "Rang at 10am."})
    assert state(app, reference).status == ReferralStatus.ACCEPTED
    client.post(f"/partner/referrals/{reference}/contact",
                data={"version": version(app, reference), "outcome": "reached"})
    contacted = state(app, reference)
    assert contacted.status == ReferralStatus.CONTACTED and contacted.first_contact_at is not None
    assert inbox_list(client, "open") == [reference]

    assert_good_page(client.get(f"/partner/referrals/{reference}/close"))
    response = client.post(f"/partner/referrals/{reference}/close",
                           data={"version": version(app, reference), "outcome": "support_completed",
                                 "note": "Two calls, locks fitted."})
    assert response.status_code == 302
    closed = state(app, reference)
    assert closed.status == ReferralStatus.CLOSED and closed.reason_code == "support_completed"
    assert closed.closed_at is not None and closed.note == "Two calls, locks fitted."
    events = closed.__dict__["loaded_events"]
    assert [(e.kind, e.status, e.outcome) for e in events] == [
        ("status", "sent", None), ("status", "accepted", None), ("contact_attempt", "accepted", "no_answer"),
        ("contact_attempt", "contacted", "reached"), ("status", "closed", None)]
    assert all(e.actor_id == partner.id for e in events[1:])
    assert inbox_list(client, "open") == [] and inbox_list(client, "closed") == [reference]

    final = client.get(f"/partner/referrals/{reference}")
    assert_good_page(final)
    html = final.get_data(as_text=True)
    assert "Support given and completed" in html and "Contact attempt: No answer" in html
    assert "Rang at 10am." in html
    assert f'action="/partner/referrals/{reference}/accept"' not in html


def test_a_charity_declines_with_a_reason(app, client, signed_in, make_user):
    """The reason is one of the standard codes; the referral moves to the closed list."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    form = client.get(f"/partner/referrals/{reference}/decline")
    assert_good_page(form)
    assert "We do not have capacity at the moment" in form.get_data(as_text=True)
    response = client.post(f"/partner/referrals/{reference}/decline",
                           data={"version": version(app, reference), "reason": "lack_of_capacity",
                                 "note": "Full until March."})
    assert response.status_code == 302
    assert f"You declined referral {reference}." in client.get(response.headers["Location"]).get_data(as_text=True)
    declined = state(app, reference)
    assert declined.status == ReferralStatus.DECLINED and declined.reason_code == "lack_of_capacity"
    assert inbox_list(client, "new") == [] and inbox_list(client, "closed") == [reference]
    page = client.get(f"/partner/referrals/{reference}")
    assert "We do not have capacity at the moment" in page.get_data(as_text=True)
    # Nothing more can be done with it: the action pages send the partner back with a message.
    again = client.get(f"/partner/referrals/{reference}/close")
    assert again.status_code == 302
    assert "You cannot do that with this referral now" in client.get(again.headers["Location"]).get_data(
        as_text=True)


def test_giving_up_marks_the_referral_unable_to_contact(app, client, signed_in, make_user):
    """The 'we have tried enough' box moves the referral on; reaching the person later still counts."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    client.post(f"/partner/referrals/{reference}/accept", data={"version": version(app, reference)})
    client.post(f"/partner/referrals/{reference}/contact",
                data={"version": version(app, reference), "outcome": "wrong_details", "give_up": "y"})
    assert state(app, reference).status == ReferralStatus.UNABLE_TO_CONTACT
    assert inbox_list(client, "open") == [reference]
    client.post(f"/partner/referrals/{reference}/contact", data={"version": version(app, reference),
                                                                 "outcome": "reached"})
    assert state(app, reference).status == ReferralStatus.CONTACTED


def test_overdue_referrals_are_listed_and_tagged(app, client, signed_in, make_user):
    """A referral with no first contact past the organisation's target is in the overdue list, tagged."""
    setup = charity(app)
    late = referral_to(app, make_user, setup)
    on_time = referral_to(app, make_user, setup)
    with app.app_context():
        referral = db.session.scalar(select(Referral).where(Referral.reference == late))
        referral.first_contact_due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    partner_of(signed_in, setup)
    assert inbox_list(client, "overdue") == [late]
    assert sorted(inbox_list(client, "new")) == sorted([late, on_time])
    html = client.get("/partner/referrals?view=overdue").get_data(as_text=True)
    # The list's size is a red badge beside its link; the overdue referral carries a red 'Overdue' badge.
    assert re.search(r'class="moj-badge moj-badge--red" id="count-overdue">1<span class="govuk-visually-hidden"> '
                     r'referral</span>', html)
    assert 'moj-badge--red">Overdue' in html
    assert "First contact overdue" in client.get(f"/partner/referrals/{late}").get_data(as_text=True)
    # First contact made: no longer overdue.
    client.post(f"/partner/referrals/{late}/accept", data={"version": version(app, late)})
    client.post(f"/partner/referrals/{late}/contact", data={"version": version(app, late), "outcome": "reached"})
    assert inbox_list(client, "overdue") == []


def test_the_inbox_pages_through_many_referrals_with_a_fixed_number_of_queries(app, client, signed_in, make_user):
    """Counts are one aggregated query and the list one more, however many referrals there are."""
    from tests.sql_counting import counting_statements

    setup = charity(app)
    partner_of(signed_in, setup)
    with app.app_context():
        second = make_service(db.session.get(SupportService, setup.service_id).organisation, "Second service")
        second_id = second.id
    referral_to(app, make_user, setup)
    client.get("/partner/referrals")
    with counting_statements(app) as few:
        client.get("/partner/referrals")
    for index in range(26):
        referral_to(app, make_user, Setup(setup.organisation_id, second_id if index % 2 else setup.service_id))
    with counting_statements(app) as many:
        page_one = client.get("/partner/referrals")
    assert len(many) == len(few)
    assert len(references_in(page_one)) == 25
    page_two = client.get("/partner/referrals?page=2")
    assert_good_page(page_two)
    assert len(references_in(page_two)) == 2
    assert not set(references_in(page_one)) & set(references_in(page_two))


# What the charity sees -------------------------------------------------------------------------------------


def test_only_what_the_consent_covers_is_shown(app, client, signed_in, make_user):
    """With only 'what and when' shared, the contact details and the victim's words stay out of the page."""
    setup = charity(app)
    narrow = referral_to(app, make_user, setup, scopes=["category_and_dates"], needs=True,
                         contact_email="hidden.person@example.org")
    partner_of(signed_in, setup)
    page = client.get(f"/partner/referrals/{narrow}")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert "Bicycle" in html and "Camden" in html
    for private in ("hidden.person@example.org", "07700 900123", "Someone cut the lock", "Sam Victim",
                    "Polish", "Weekday mornings", "step-free", "only take part online"):
        assert private not in html
    assert "The person did not agree to share" in html


def test_everything_shared_is_shown_with_communication_needs_first(app, client, signed_in, make_user):
    """With every part shared, the page shows contact details, the victim's words and their communication
    needs."""
    setup = charity(app)
    wide = referral_to(app, make_user, setup, needs=True, contact_email="shared.person@example.org",
                       safe_times="After 6pm")
    partner_of(signed_in, setup)
    html = client.get(f"/partner/referrals/{wide}").get_data(as_text=True)
    for shared in ("shared.person@example.org", "07700 900123", "Someone cut the lock", "Sam Victim",
                   "After 6pm", "Do not leave a voicemail", "Preferred language: Polish", "Needs an interpreter",
                   "Needs information in easy read", "Text message", "Weekday mornings", "A call from a support "
                   "worker", "Needs step-free access (no stairs or steps)", "Can only take part online"):
        assert shared in html, shared
    assert html.index("Communication and access needs") < html.index("Contact details")
    assert "did not agree to share" not in html


def test_the_case_view_holds_only_consented_fields(app, make_user):
    """The view built for templates has no contact or description fields when those were not shared."""
    from portal.partners.case_view import case_view

    setup = charity(app)
    reference = referral_to(app, make_user, setup, scopes=["category_and_dates", "description"])
    with app.app_context():
        view = case_view(db.session.scalar(select(Referral).where(Referral.reference == reference)))
    assert view.contact is None
    assert view.description.startswith("Someone cut the lock")
    assert view.category_and_dates.borough == "Camden"


def test_no_partner_page_nor_the_export_shows_the_crime_number(app, client, signed_in, make_user):
    """The victim agreed to share what happened and when, not the police's crime number: the charity knows the
    referral by its own reference, on every page and in the CSV, even with everything shared."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    with app.app_context():
        crime_number = db.session.scalar(select(Report.crime_number).join(Referral, Referral.report_id == Report.id)
                                         .where(Referral.reference == reference))
    partner_of(signed_in, setup)
    inbox = [f"/partner/referrals?view={view}" for view in ("new", "overdue", "open", "closed")]
    new = [f"/partner/referrals/{reference}", f"/partner/referrals/{reference}/decline"]
    accepted = [f"/partner/referrals/{reference}/contact", f"/partner/referrals/{reference}/close"]

    def shown(paths: list[str]) -> str:
        responses = {path: client.get(path) for path in paths}
        assert {path: r.status_code for path, r in responses.items()} == dict.fromkeys(paths, 200)
        return "".join(response.get_data(as_text=True) for response in responses.values())

    seen = shown([*inbox, *new, "/partner/referrals.csv"])
    client.post(f"/partner/referrals/{reference}/accept", data={"version": version(app, reference)})
    seen += shown([*inbox, *new[:1], *accepted, "/partner/referrals.csv"])
    assert crime_number not in seen and crime_number.replace("-", "") not in seen
    assert reference in client.get(f"/partner/referrals/{reference}").get_data(as_text=True)


def test_withdrawn_consent_ends_the_charitys_access_at_once(app, client, signed_in, make_user):
    """After the victim withdraws, the referral page is 'not found' and the referral is gone from the inbox and
    the CSV, with nothing else changing."""
    setup = charity(app)
    kept = referral_to(app, make_user, setup)
    gone = referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    client.post(f"/partner/referrals/{gone}/accept", data={"version": version(app, gone)})
    assert client.get(f"/partner/referrals/{gone}").status_code == 200
    stale_version = version(app, gone)
    withdraw(app, gone)

    assert client.get(f"/partner/referrals/{gone}").status_code == 404
    for view in ("new", "overdue", "open", "closed"):
        assert gone not in inbox_list(client, view)
    assert inbox_list(client, "new") == [kept]
    exported = client.get("/partner/referrals.csv").get_data(as_text=True)
    assert kept in exported and gone not in exported
    for action in ("contact", "close", "decline"):
        assert client.get(f"/partner/referrals/{gone}/{action}").status_code == 404
        assert client.post(f"/partner/referrals/{gone}/{action}",
                           data={"version": stale_version, "outcome": "reached"}).status_code == 404
    assert client.post(f"/partner/referrals/{gone}/accept", data={"version": stale_version}).status_code == 404
    assert state(app, gone).status == ReferralStatus.WITHDRAWN


def test_consent_withdrawn_while_the_partner_is_on_the_form_is_refused(app, client, signed_in, make_user):
    """Access is checked again on every post: a partner who opened the form before the withdrawal gets a 404."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    assert client.get(f"/partner/referrals/{reference}/decline").status_code == 200
    posted_version = version(app, reference)
    withdraw(app, reference)
    response = client.post(f"/partner/referrals/{reference}/decline",
                           data={"version": posted_version, "reason": "client_refused"})
    assert response.status_code == 404
    assert state(app, reference).status == ReferralStatus.WITHDRAWN


def test_every_read_is_audited(app, client, signed_in, make_user):
    """Each view of a referral, and each export, leaves an audit record naming the partner."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner = partner_of(signed_in, setup)
    client.get(f"/partner/referrals/{reference}")
    client.get(f"/partner/referrals/{reference}")
    client.get("/partner/referrals.csv").get_data()
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.action, AuditEvent.object_id).where(
            AuditEvent.actor_id == partner.id).order_by(AuditEvent.id)).all()
    assert rows == [("referral.viewed", reference), ("referral.viewed", reference),
                    ("referral.exported", str(setup.organisation_id))]


# The CSV export ---------------------------------------------------------------------------------------------


def test_the_csv_lists_referrals_without_personal_details(app, client, signed_in, make_user):
    """One row per visible referral with its dates, status and outcome, and nothing about the person."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup, contact_email="private.person@example.org")
    partner_of(signed_in, setup)
    client.post(f"/partner/referrals/{reference}/decline",
                data={"version": version(app, reference), "reason": "no_longer_needed"})
    response = client.get("/partner/referrals.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["reference", "service", "status", "sent", "first_contact_due", "accepted", "first_contact",
                       "closed", "outcome_or_reason", "support_level"]
    assert rows[1][0] == reference and rows[1][1] == "Support after theft" and rows[1][2] == "declined"
    assert rows[1][8] == "no_longer_needed" and rows[1][9] == "contact"
    for private in ("private.person@example.org", "Sam Victim", "Someone cut the lock", "CR-"):
        assert private not in text


def test_the_csv_neutralises_spreadsheet_formulas(app, client, signed_in, make_user):
    """A service name that looks like a formula is written with a leading apostrophe."""
    setup = charity(app, service_name='=HYPERLINK("http://evil.example","click")')
    referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    rows = list(csv.reader(io.StringIO(client.get("/partner/referrals.csv").get_data(as_text=True))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("value, written", [("=1+1", "'=1+1"), ("+44", "'+44"), ("-2", "'-2"),
                                            ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("plain", "plain"),
                                            (None, ""), (3, "3")])
def test_each_risky_first_character_is_neutralised(value, written):
    """Cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe."""
    from portal.partners.views import _cell

    assert _cell(value) == written


# One charity against another -------------------------------------------------------------------------------


def partner_routes(app) -> list:
    """Every rule of the partner blueprint."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("partners.")]


def test_one_charity_cannot_reach_another_charitys_referrals_or_services(app, client, signed_in, make_user):
    """Every /partner/ route that names a referral or a service is 'not found' for another organisation, for
    GET and POST alike, and changes nothing."""
    theirs = charity(app, "Islington Support")
    reference = referral_to(app, make_user, theirs)
    ours = charity(app, "Camden Victim Support", "Our own service")
    referral_to(app, make_user, ours)
    partner_of(signed_in, ours)
    before = version(app, reference)
    checked = 0
    for rule in partner_routes(app):
        if not rule.arguments:
            continue
        url = rule.rule.replace("<reference>", reference).replace("<int:service_id>", str(theirs.service_id))
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {"version": before, "reason": "client_refused", "outcome": "reached", "name": "Taken over",
                    "kind": "service", "levels": "contact", "description": "x", "delivery": "online",
                    "languages": "en", "expected_wait_days": "1", "schedule_freq": "none", "schedule_interval": "1"}
            response = client.open(url, method=method, data=data if method == "POST" else None)
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
            checked += 1
    assert checked >= 9
    assert version(app, reference) == before
    assert state(app, reference).status == ReferralStatus.SENT
    with app.app_context():
        assert db.session.get(SupportService, theirs.service_id).name == "Support after theft"
    # Their referral appears in none of our lists, nor in our CSV.
    for view in ("new", "overdue", "open", "closed"):
        assert reference not in inbox_list(client, view)
    assert reference not in client.get("/partner/referrals.csv").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.VICTIM, Role.WITNESS, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN])
def test_other_roles_are_refused_every_partner_route(app, client, signed_in, make_user, role):
    """Victims, officers and everyone else get 403 from the partner pages."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    signed_in(role)
    for rule in partner_routes(app):
        url = rule.rule.replace("<reference>", reference).replace("<int:service_id>", str(setup.service_id)) \
            .replace("<int:place_id>", "1")
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data={"version": "1"} if method == "POST" else None)
            assert response.status_code == 403, f"{role} {method} {url}"


def test_a_partner_without_an_organisation_is_told_to_contact_the_administrator(app, client, signed_in, make_user):
    """Every partner page explains the missing link instead of failing."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    signed_in(Role.PARTNER)
    for rule in partner_routes(app):
        url = rule.rule.replace("<reference>", reference).replace("<int:service_id>", str(setup.service_id)) \
            .replace("<int:place_id>", "1")
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data={"version": "1"} if method == "POST" else None)
            assert response.status_code == 200, f"{method} {url}"
            assert h1_text(response) == "Your account is not linked to an organisation"
            assert "Contact the administrator" in response.get_data(as_text=True)
            assert_good_page(response)
    assert state(app, reference).status == ReferralStatus.SENT


# Stale pages and bad input ---------------------------------------------------------------------------------


def test_a_stale_version_is_explained_and_changes_nothing(app, client, signed_in, make_user):
    """Two people at the same charity: the second, working from an older page, is told to look again."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    colleague = app.test_client()
    sign_in_as(colleague, make_user(Role.PARTNER, organisation_id=setup.organisation_id))
    partner_of(signed_in, setup)
    seen = version(app, reference)
    colleague.post(f"/partner/referrals/{reference}/accept", data={"version": seen})
    assert state(app, reference).status == ReferralStatus.ACCEPTED

    response = client.post(f"/partner/referrals/{reference}/decline",
                           data={"version": seen, "reason": "lack_of_capacity"})
    assert response.status_code == 200
    assert_good_page(response)
    assert STALE in response.get_data(as_text=True)
    assert response.get_data(as_text=True).count("govuk-error-summary") >= 1
    assert state(app, reference).status == ReferralStatus.ACCEPTED

    accept_again = client.post(f"/partner/referrals/{reference}/accept", data={"version": seen})
    assert accept_again.status_code == 200
    assert_good_page(accept_again)
    assert STALE in accept_again.get_data(as_text=True)


def test_an_action_the_status_does_not_allow_is_explained(app, client, signed_in, make_user):
    """Closing a referral nobody has accepted yet gives the rule in words, on the page."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    response = client.post(f"/partner/referrals/{reference}/contact",
                           data={"version": version(app, reference), "outcome": "no_answer"})
    assert response.status_code == 200
    assert "Accept the referral before recording contact attempts" in response.get_data(as_text=True)
    assert_good_page(response)
    assert state(app, reference).status == ReferralStatus.SENT


@pytest.mark.parametrize("action, data, message", [
    ("decline", {}, "Select why you cannot accept this referral"),
    ("decline", {"reason": "<script>alert(1)</script>"}, "Select why you cannot accept this referral"),
    ("decline", {"reason": "client_refused", "note": "x" * 2001}, "The note must be 2000 characters or fewer"),
    ("decline", {"reason": "client_refused", "version": "abc"}, STALE),
    ("decline", {"reason": "client_refused", "version": "9" * 40}, STALE),
    ("decline", {"reason": ["client_refused", "lack_of_capacity"], "version": ""}, STALE),
    ("contact", {}, "Select what happened when you tried to make contact"),
    ("contact", {"outcome": "' OR 1=1 --"}, "Select what happened when you tried to make contact"),
    ("close", {"outcome": "\x00"}, "Select the outcome"),
    ("close", {"outcome": "support_completed", "note": "y" * 5000}, "The note must be 2000 characters or fewer"),
])
def test_bad_and_hostile_input_on_the_referral_forms_gets_a_message(app, client, signed_in, make_user, action, data,
                                                                    message):
    """Missing, unknown, oversized and malformed answers are errors on the page, never a 500."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    if action != "decline":
        client.post(f"/partner/referrals/{reference}/accept", data={"version": version(app, reference)})
    before = state(app, reference)
    response = client.post(f"/partner/referrals/{reference}/{action}",
                           data={"version": version(app, reference), **data})
    assert response.status_code == 200
    assert_good_page(response)
    assert h1_text(response).startswith(("Decline", "Record", "Close"))
    html = response.get_data(as_text=True)
    assert message in html
    if message != STALE:
        assert f"Error: {message}" in error_messages(response)
    assert "<script>alert(1)</script>" not in html
    after = state(app, reference)
    assert (after.status, after.version) == (before.status, before.version)


@pytest.mark.parametrize("path", [
    "/partner/referrals/RF-NOTHERE", "/partner/referrals/" + "A" * 5000, "/partner/referrals/%00",
    "/partner/referrals/rf-..%2f..", "/partner/services/999999/edit", "/partner/services/0/edit",
])
def test_unknown_or_malformed_addresses_are_not_found(app, client, signed_in, path):
    """A reference or service that is not the partner's own is a plain 'not found'."""
    setup = charity(app)
    partner_of(signed_in, setup)
    response = client.get(path)
    assert response.status_code == 404
    assert_good_page(response)


@pytest.mark.parametrize("query", ["view=bogus", "view=closed&page=-3", "page=abc", "page=99999999999999999999",
                                   "view=%3Cscript%3E"])
def test_odd_inbox_addresses_still_show_the_inbox(app, client, signed_in, make_user, query):
    """Unknown lists and page numbers fall back to something sensible."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup)
    partner_of(signed_in, setup)
    response = client.get(f"/partner/referrals?{query}")
    assert response.status_code == 200
    assert_good_page(response)
    assert "<script>" not in response.get_data(as_text=True).split("<body", 1)[1].split("<script", 1)[0]
    if "closed" not in query:
        assert references_in(response) == [reference]


def test_the_service_layer_refuses_a_partner_of_another_organisation(app, make_user):
    """Even called directly, the referral services refuse a partner the referral was not sent to."""
    setup = charity(app)
    other = charity(app, "Another charity")
    reference = referral_to(app, make_user, setup)
    outsider = make_user(Role.PARTNER, organisation_id=other.organisation_id)
    with app.app_context():
        referral = db.session.scalar(select(Referral).where(Referral.reference == reference))
        with pytest.raises(DomainError):
            referrals.accept(db.session.get(User, outsider.id), referral, referral.version)
    assert state(app, reference).status == ReferralStatus.SENT


def test_a_suggestion_nobody_has_consented_to_is_invisible(app, client, signed_in, make_user):
    """An officer's proposed referral shares nothing until the victim agrees: no inbox entry, no page."""
    setup = charity(app)
    officer = make_user(Role.OFFICER)
    crime_number = make_report(app, make_user(Role.VICTIM))
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        proposed = referrals.propose_referral(db.session.get(User, officer.id), report,
                                              db.session.get(SupportService, setup.service_id), "contact")
        reference = proposed.reference
    partner_of(signed_in, setup)
    for view in ("new", "overdue", "open", "closed"):
        assert inbox_list(client, view) == []
    assert client.get(f"/partner/referrals/{reference}").status_code == 404
    assert reference not in client.get("/partner/referrals.csv").get_data(as_text=True)
