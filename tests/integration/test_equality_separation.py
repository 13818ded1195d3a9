"""Equality answers are kept apart from the case: no page anyone can reach for the case or the account shows them.

One world: a victim who answered every equality question (from their account, and again straight after reporting),
a case that was allocated, charged and listed for court, a witness on it, messages both ways, and a referral with
consent to share everything. Then every GET route in the URL map is requested as the victim, the witness, an
officer, a supervisor, the partner the case was referred to, an admin and a commissioner, with the case's crime
number, the referral's reference and the other ids filled in, and every text response is searched for the
questions and the answers (in tests/integration/test_every_page.py, which builds this world once and crawls it
once for all the checks that read every page). New routes are walked automatically; a route whose address needs
a value this test cannot fill must be listed in UNFILLABLE with the reason, or the test fails.

The only places the answers may appear are the person's own equality page and their own data download, and the
only place they may be used is the insight aggregates.
"""

import itertools
import re
from html import unescape

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent, WitnessLink
from portal.clock import utcnow
from portal.equality.models import CHARACTERISTICS, EqualityRecord
from portal.equality.questions import QUESTIONS
from portal.extensions import db
from portal.peers.enums import Decision
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support import assessments, referrals
from portal.support.enums import ConsentScope, Delivery
from portal.support.recommendation import Impact, NeedsAnswers
from portal.surveys.models import CHECK_IN_WEEKS, SurveyKind
from portal.tasks.models import Task
from tests.conftest import new_user, outbox_rows, sign_in_as
from tests.integration.test_case_access_matrix import allocate_charge_and_list_hearing, invite_and_join
from tests.peer_match_helpers import pair
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report

# Every characteristic answered, with the most telling answer where there is a choice.
EVERY_ANSWER = {"age_band": "25_34", "sex": "female", "gender_identity": "different", "ethnicity": "mixed",
                "disability": "yes", "sexuality": "bisexual", "religion": "muslim", "mental_health": "yes",
                "repeat_victimisation": "yes"}
# Given straight after reporting, before the report was added to the account.
AFTER_REPORTING = {**EVERY_ANSWER, "age_band": "65_plus", "ethnicity": "asian", "religion": "sikh",
                   "sexuality": "gay_lesbian"}

# Answers too common to search for on their own ("Yes", "No", "Female", "White", ...): the questions give them away.
COMMON_WORDS = {"Yes", "No", "Female", "Male", "White", "Prefer not to say", "Not answered"}
FORBIDDEN = sorted(
    {question.text for question in QUESTIONS}
    | {question.hint for question in QUESTIONS if question.hint}
    | {label for question in QUESTIONS for _code, label in question.answers if label not in COMMON_WORDS}
    | {"sexual orientation", "Bisexual", "ethnic group", "Muslim", "disability or long-term health condition",
       "gender you identify with", "sex registered at birth", "mental health condition", "prefer_not_to_say",
       "gay_lesbian", "25_34", "65_plus"},
    key=str.lower)

# The equality questions themselves, where each person sees only their own answers (checked separately below).
QUESTION_PAGES = "equality."
# The victim's own copy of their data, which holds their own answers.
OWN_DOWNLOADS = {"data_rights.download_json", "data_rights.download_pdf"}
# The aggregates: the one place the answers are used.
AGGREGATES = "insight."
# Route values that cannot be filled from the world, and why the route needs no search.
UNFILLABLE = {
    "token": "one-time links from emails (sign-in, password reset, report claims): no case or equality data",
    "filename": "static files",
    "slug": "report wizard questions, which need a draft and show only the draft's answers",
    "number": "removing an item from the report wizard's property list: needs a draft and shows only its answers",
    "evidence_id": "uploaded files, served as they were uploaded",
}
ROLES = {"victim": Role.VICTIM, "witness": Role.WITNESS, "officer": Role.OFFICER, "supervisor": Role.SUPERVISOR,
         "partner": Role.PARTNER, "admin": Role.ADMIN, "commissioner": Role.COMMISSIONER,
         "witness_care": Role.WITNESS_CARE}
TEXT_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml")
DECISION_KINDS = ("allocate", "nfi", "attendance", "call", "escalate", "refer", "information", "duplicate")


def words(body: str) -> str:
    """A response's text with tags removed, entities decoded and spaces collapsed (and the raw markup kept too,
    so that attribute values are searched as well)."""
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    return " ".join(f"{text} {unescape(body)}".split()).lower()


# A term counts only as a whole word: not inside a longer word, nor inside a random token (a CSP nonce, a CSRF
# token, a signed link), where five letters such as "hindu" turn up by chance about once in ten thousand sessions
# (this test failed so, once, in a loaded run; base64url tokens also use "-" and "_").
_EDGE = r"[a-z0-9_-]"


# One pattern for every term (searching a page once, not once a term): each term as a whole word or phrase.
_FORBIDDEN_PATTERN = re.compile(
    rf"(?<!{_EDGE})(?:{'|'.join(re.escape(' '.join(term.lower().split())) for term in FORBIDDEN)})(?!{_EDGE})")


def leaks(body: str) -> list[str]:
    """The equality questions or answers found in a response, each as a whole word or phrase."""
    searched = words(body)
    if not _FORBIDDEN_PATTERN.search(searched):
        return []
    return [term for term in FORBIDDEN
            if re.search(rf"(?<!{_EDGE}){re.escape(' '.join(term.lower().split()))}(?!{_EDGE})", searched)]


def peer_values(values: dict, charity, partner, victim, report, supporter, supporter_crime_number: str) -> None:
    """One-to-one peer support on the case: a peer supporter (a past victim with a report of their own) paired
    with the victim, a message each way and a concern; adds the route values its pages take."""
    supporter_report = db.session.scalar(select(Report).where(Report.crime_number == supporter_crime_number))
    made = pair(charity, partner, victim, report, db.session.get(User, supporter.id), supporter_report.id)
    values["reference"] = [*values["reference"], made["peer_referral"]]
    values.update({"match_id": [made["peer_match"]], "concern_id": [made["peer_concern"]],
                   "supporter_id": [made["peer_supporter_record"]]})


@pytest.fixture
def world(app):
    """The case, its people, its messages and its referral, and the victim's equality answers."""
    return build_world(app)


def build_world(app) -> dict:
    """Make the world (committed, or in the caller's rolled-back transaction): its people by kind, the crime
    number, and the values that fill in every route's address."""
    users = {kind: new_user(app, role) for kind, role in ROLES.items()}
    officer_client = app.test_client()
    sign_in_as(officer_client, users["officer"])
    crime_number = make_report(app, user=users["victim"])
    allocate_charge_and_list_hearing(app, officer_client, users["officer"], crime_number)
    invite_and_join(app, officer_client, users["witness"], crime_number)
    victim_client = app.test_client()
    sign_in_as(victim_client, users["victim"])
    assert victim_client.post(f"/cases/{crime_number}/messages", data={"body": "Is there any news?"}).status_code \
        == 302
    assert officer_client.post(f"/staff/cases/{crime_number}/messages",
                               data={"body": "We are still looking into it."}).status_code == 302
    assert victim_client.post("/equality/", data=EVERY_ANSWER).status_code == 302
    assert victim_client.post(f"/cases/{crime_number}/call", data={"note": "Evenings"}).status_code == 302
    supporter = new_user(app, Role.VICTIM)
    supporter_crime_number = make_report(app, user=supporter)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        db.session.add(EqualityRecord(report_id=report.id, **AFTER_REPORTING))
        charity = make_organisation("Borough Victim Care")
        partner = db.session.get(User, users["partner"].id)
        partner.organisation_id = charity.id
        db.session.commit()
        service = make_service(charity, "Talk it through")
        victim = db.session.get(User, users["victim"].id)
        assessment = assessments.save_assessment(victim, report, NeedsAnswers(daily_life=Impact.QUITE_A_LOT))
        assessments.choose_level(victim, assessment, "contact", peer=True)
        referral = referrals.refer_with_consent(victim, report, service, "contact", [s.value for s in ConsentScope])
        # The victim's offer to be a peer supporter, held by the partner's organisation (issue 24).
        offer = PeerOffer(user_id=victim.id, report_id=report.id, first_name="Sam", categories=[report.category.code],
                          languages=["en"], availability=["weekends"], delivery=Delivery.ONLINE,
                          borough=report.borough, consented_at=utcnow())
        db.session.add(offer)
        db.session.flush()
        held = PeerSupporter(offer_id=offer.id, organisation_id=charity.id, decision=Decision.NEW)
        db.session.add(held)
        db.session.commit()
        values = {
            "supporter_id": [held.id],
            "crime_number": [crime_number], "reference": [referral.reference], "referral_id": [referral.id],
            "consent_id": [referral.consent_id], "service_id": [service.id], "organisation_id": [charity.id],
            "user_id": [users["partner"].id, users["officer"].id],
            "kind": [*DECISION_KINDS, *(kind.value for kind in SurveyKind)], "weeks": list(CHECK_IN_WEEKS),
            "page": ["call-999", "urgent-help", "fraud", "specialist-support", "help-choosing", "start",
                     "what-happens-next", "rights"],
            "category_code": [report.category.code], "code": [report.category.code],
            "task_id": [db.session.scalar(select(Task.id).where(Task.report_id == report.id))],
            "event_id": [db.session.scalar(select(TimelineEvent.id).where(
                TimelineEvent.report_id == report.id, TimelineEvent.reason_code == "court_hearing_scheduled"))],
            "link_id": [db.session.scalar(select(WitnessLink.id).where(WitnessLink.report_id == report.id))],
        }
        peer_values(values, charity, partner, victim, report, supporter, supporter_crime_number)
        stored = db.session.scalars(select(EqualityRecord)).all()
        assert len(stored) == 2 and all(all(getattr(r, c) for c in CHARACTERISTICS) for r in stored)
    return {"crime_number": crime_number, "users": users, "values": values}


def addresses(app, values: dict) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Every GET route with its values filled in, as (endpoint, path); and the routes left out, with why."""
    filled, left_out = [], {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint.startswith(AGGREGATES):
            continue
        unknown = [name for name in rule.arguments if name not in values or not values[name]]
        if unknown:
            reasons = [UNFILLABLE.get(name) for name in unknown]
            assert all(reasons), (f"{rule.rule} needs a value for {unknown}: fill it in the world's values, or "
                                  f"say in UNFILLABLE why the route cannot show equality answers")
            left_out[rule.rule] = "; ".join(reasons)
            continue
        names = sorted(rule.arguments)
        for combination in itertools.product(*(values[name] for name in names)):
            with app.test_request_context():
                from flask import url_for

                filled.append((rule.endpoint, url_for(rule.endpoint, **dict(zip(names, combination, strict=True)))))
    return filled, left_out


def test_the_pages_that_may_show_them_do(app, world):
    """A check on the search itself: the person's own page and download do hold the answers."""
    client = app.test_client()
    sign_in_as(client, world["users"]["victim"])
    assert {"Bisexual", "Muslim", "What is your ethnic group?"} <= set(leaks(client.get("/equality/").get_data(
        as_text=True)))
    assert {"Bisexual", "Gay or lesbian", "Sikh"} <= set(leaks(client.get("/account/data/download.json").get_data(
        as_text=True)))
    assert "checked" in client.get("/equality/").get_data(as_text=True)
    # The witness on the same case gets the questions blank, and their own download holds none of the answers.
    sign_in_as(client, world["users"]["witness"])
    assert "checked" not in client.get("/equality/").get_data(as_text=True)
    assert leaks(client.get("/account/data/download.json").get_data(as_text=True)) == []


def test_the_partner_export_and_emails_hold_no_equality_answers(app, world):
    client = app.test_client()
    sign_in_as(client, world["users"]["partner"])
    export = client.get("/partner/referrals.csv")
    assert export.status_code == 200
    csv = export.get_data(as_text=True)
    assert world["values"]["reference"][0] in csv
    assert leaks(csv) == []
    assert [f"{row.subject}: {term}" for row in outbox_rows(app) for term in leaks(f"{row.subject} {row.body_text}")] \
        == []


def test_a_leak_is_a_whole_word_and_a_random_token_is_not_one():
    assert leaks("<p>Religion: Hindu.</p>") == ["Hindu"]
    assert leaks('{"religion": "hindu"}') == ["Hindu"]
    assert leaks('<input name="csrf_token" value="IjQ5ZhinduX2Rk-Y.aB_c">') == []
    assert leaks('<script nonce="k-Hindu_9">') == []
