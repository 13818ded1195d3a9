"""The 'Your data' download holds everything linked to the person, checked against the models: a table or a column
added later is either in the download or on a list of what is left out, with the reason
(portal/data_rights/export.py)."""

import io
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader
from sqlalchemy import select

import portal.models  # noqa: F401 - every model, so the metadata holds every table
from portal.auth.roles import Role
from portal.cases.models import EvidenceFile, PropertyItem, Report, TimelineEvent, WitnessLink
from portal.clock import utcnow
from portal.data_rights.export import EXPORTED_TABLES, LEFT_OUT, NOT_EXPORTED_TABLES, PDF_HEADINGS, RENAMED
from portal.equality.models import EqualityRecord
from portal.extensions import db
from portal.messages.models import CaseMessage, ReferralMessage, WitnessMessage
from portal.peers.enums import Decision, SupporterStatus
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.match_models import PeerConcern, PeerMatch, PeerMessage
from portal.peers.models import PeerOffer, PeerSupporter
from portal.reporting.services import start_draft
from portal.support.enums import ConsentSource, Delivery, ReferralStatus
from portal.support.models import Consent, NeedsAssessment, Referral, ReferralEvent
from portal.surveys.models import CheckIn, Survey, SurveyKind
from portal.tasks.enums import Asker, TaskType
from portal.tasks.services import raise_task
from portal.tracking.models import CourtAvailability
from tests.conftest import sign_in_as
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report

# Where a person's records hang from: their account, and the reports they made.
ROOTS = {"users", "reports"}


def linked_tables() -> set[str]:
    """Every table linked to an account or a report: by a foreign key to one, or to another such table."""
    linked = set(ROOTS)
    while more := {table.name for table in db.metadata.sorted_tables if table.name not in linked
                   and any(key.column.table.name in linked for key in table.foreign_keys)}:
        linked |= more
    return linked


def records_at(data: dict, path: str) -> list[dict]:
    """The records at a path such as `reports[].support.consents[]` (each `[]` a list to go through)."""
    found: list = [data]
    for part in path.split("."):
        values = [record[part.removesuffix("[]")] for record in found]
        found = [item for value in values for item in (value if isinstance(value, list) else [value])]
    return found


def keys_of(record: dict, prefix: str = "") -> set[str]:
    """A record's keys, a nested record's also as `outer_inner` (`contact.name` is `contact_name`)."""
    keys = set()
    for key, value in record.items():
        keys |= {key, prefix + key}
        if isinstance(value, dict):
            keys |= keys_of(value, f"{key}_")
    return keys


def test_every_table_linked_to_a_person_is_in_the_download_or_left_out_with_a_reason(app):
    """Walk the models from the users and reports tables."""
    linked = linked_tables()
    assert set(EXPORTED_TABLES) & set(NOT_EXPORTED_TABLES) == set()
    missing = linked - set(EXPORTED_TABLES) - set(NOT_EXPORTED_TABLES)
    assert missing == set(), "put each in the download, or in NOT_EXPORTED_TABLES with the reason"
    assert set(EXPORTED_TABLES) <= linked
    assert all(len(reason) > 20 for reason in NOT_EXPORTED_TABLES.values())
    for table, columns in LEFT_OUT.items():
        assert table in EXPORTED_TABLES
        assert set(columns) <= set(db.metadata.tables[table].columns.keys()), table
        assert all(len(reason) > 10 for reason in columns.values()), table


@pytest.fixture
def everything(app, make_user) -> dict:
    """A victim with a row in every table the download covers, each with words that are easy to find."""
    victim = make_user(Role.VICTIM, display_name="Sam", locale="pl")
    crime_number = make_report(app, victim, description="Someone took my red bicycle.")
    helper = make_user(Role.VICTIM)
    followed = make_report(app, helper, description="Another person's report.")
    now = utcnow()
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        report.quiet_from_hour, report.quiet_until_hour = 22, 7
        report.interpreter_language, report.needs_bsl, report.needs_large_print = "Polish", True, True
        db.session.add(PropertyItem(report_id=report.id, description="Red bicycle", value_pence=25000, damaged=False))
        db.session.add(EvidenceFile(report_id=report.id, storage_key="k" * 32, original_name="lock.jpg",
                                    content_type="image/jpeg", size_bytes=1234, sha256="0" * 64))
        draft, _token = start_draft(db.session.merge(victim))
        db.session.add(EvidenceFile(draft_id=draft.id, storage_key="d" * 32, original_name="draft.jpg",
                                    content_type="image/jpeg", size_bytes=99, sha256="1" * 64))
        db.session.add(NeedsAssessment(
            report_id=report.id, recommended_level="specialist", recommended_peer=True,
            answers={"daily_life": 2, "feelings": 3, "feels_safe": False, "practical_needs": ["locks"],
                     "mental_health_worry": True, "happened_before": False, "wants_to_talk": True,
                     "interested_in_peer_support": True},
            reasons=["You told us you are worried about your mental health."], chosen_level="specialist",
            wants_peer=True, chosen_at=now, language="pl", interpreter=True, contact_method="phone",
            contact_time="Weekday evenings after six"))
        organisation = make_organisation("Camden Victim Support")
        service = make_service(organisation, "Support after theft")
        consent = Consent(report_id=report.id, organisation_id=organisation.id,
                          scopes=["category_and_dates", "contact_details"], source=ConsentSource.ONLINE, given_at=now)
        db.session.add(consent)
        db.session.flush()
        referral = Referral(reference="RF-EXPORT01", report_id=report.id, organisation_id=organisation.id,
                            service_id=service.id, consent_id=consent.id, status=ReferralStatus.CONTACTED,
                            support_level="specialist", sent_at=now, first_contact_due_at=now + timedelta(days=2),
                            accepted_at=now, first_contact_at=now, note="The organisation's working note")
        db.session.add(referral)
        db.session.flush()
        db.session.add(ReferralEvent(referral_id=referral.id, occurred_at=now, kind="status", status="contacted",
                                     note="Another working note"))
        db.session.add(ReferralMessage(referral_id=referral.id, sender_id=victim.id, from_partner=False,
                                       body="Can we talk on Tuesday?", sent_at=now, read_at=now))
        db.session.add(Survey(report_id=report.id, kind=SurveyKind.AFTER_DECISION, invited_at=now, answered_at=now,
                              overall=4, kept_informed=3, treated_fairly=5, ease_of_reporting=4,
                              comment="The officer was kind."))
        db.session.add(CheckIn(referral_id=referral.id, report_id=report.id, organisation_id=organisation.id,
                               support_level="specialist", weeks=4, due_at=now, invited_at=now, answered_at=now,
                               coping=2, safety=3, wellbeing=2, confidence=4, daily_life=3))
        raise_task(report, TaskType.CALL_BACK, Asker.VICTIM, db.session.merge(victim), "After six, please")
        db.session.add(CaseMessage(report_id=report.id, sender_id=victim.id, from_staff=False,
                                   body="Is there CCTV?", sent_at=now))
        db.session.add(EqualityRecord(user_id=victim.id, disability="yes"))
        other = db.session.scalar(select(Report).where(Report.crime_number == followed))
        link = WitnessLink(report_id=other.id, invited_email=victim.email, code_hash="h" * 64,
                           code_expires_at=now + timedelta(days=14), witness_user_id=victim.id, linked_at=now)
        hearing = TimelineEvent(report_id=other.id, occurred_at=now, kind="key_event", title="A court hearing is set",
                                body="At the magistrates' court.", visible_to_victim=True, visible_to_witness=True,
                                reason_code="court_hearing_scheduled")
        db.session.add_all([link, hearing])
        db.session.flush()
        db.session.add(CourtAvailability(witness_link_id=link.id, hearing_event_id=hearing.id, available=False,
                                         note="I am away that week", answered_at=now))
        offer = PeerOffer(user_id=victim.id, report_id=report.id, first_name="Sammy", categories=["bicycle_theft"],
                          languages=["pl"], availability=["weekends"], delivery=Delivery.ONLINE,
                          shared_contact="sammy@example.org", borough="Camden", consented_at=now)
        db.session.add(offer)
        db.session.flush()
        db.session.add(PeerSupporter(offer_id=offer.id, organisation_id=organisation.id, decision=Decision.ACCEPTED,
                                     status=SupporterStatus.ACTIVE, decided_at=now, decline_reason=None,
                                     decline_note=None, training_completed_on=now.date(),
                                     references_received_on=now.date(), safeguarding_checked_on=now.date(),
                                     ended_at=None))
        # The victim paired on their referral with another person's peer supporter record (Jo), a message each way
        # and a concern from each side: only the victim's own concern is theirs to download.
        jo_offer = PeerOffer(user_id=helper.id, report_id=other.id, first_name="Jo", categories=["bicycle_theft"],
                             languages=["en"], availability=["weekends"], delivery=Delivery.ONLINE,
                             borough="Camden", consented_at=now)
        db.session.add(jo_offer)
        db.session.flush()
        jo = PeerSupporter(offer_id=jo_offer.id, organisation_id=organisation.id, decision=Decision.ACCEPTED,
                           status=SupporterStatus.ACTIVE, decided_at=now)
        db.session.add(jo)
        db.session.flush()
        match = PeerMatch(referral_id=referral.id, supporter_id=jo.id, status=MatchStatus.ENDED, proposed_at=now,
                          answered_at=now, paused_at=now, ended_at=now, ended_by=Side.ORGANISATION,
                          person_first_name="Sammy", person_contact="sammy.chat@example.org",
                          supporter_contact="jo.chat@example.org")
        db.session.add(match)
        db.session.flush()
        db.session.add_all([
            PeerMessage(match_id=match.id, sender_id=victim.id, from_supporter=False, body="Hello Jo from Sammy",
                        sent_at=now, read_at=now),
            PeerMessage(match_id=match.id, sender_id=helper.id, from_supporter=True, body="Hello Sammy from Jo",
                        sent_at=now),
            PeerConcern(match_id=match.id, organisation_id=organisation.id, raised_by=Side.PERSON,
                        raised_by_id=victim.id, reason="Sammy's own concern", raised_at=now, dealt_with_at=now,
                        note="The coordinator's safeguarding note"),
            PeerConcern(match_id=match.id, organisation_id=organisation.id, raised_by=Side.SUPPORTER,
                        raised_by_id=helper.id, reason="Jo's concern about Sammy", raised_at=now)])
        db.session.add(WitnessMessage(witness_link_id=link.id, sender_id=victim.id, from_staff=False,
                                      body="Where do I wait?", sent_at=now, read_at=now))
        db.session.commit()
    return {"victim": victim, "crime_number": crime_number, "followed": followed}


def test_every_column_of_those_tables_is_in_the_download_or_left_out_with_a_reason(client, everything):
    """Each covered table's records are where EXPORTED_TABLES says, with every column not in LEFT_OUT."""
    sign_in_as(client, everything["victim"])
    data = client.get("/account/data/download.json").get_json()
    for table, path in EXPORTED_TABLES.items():
        records = records_at(data, path)
        assert records, f"{table}: nothing at {path}"
        keys = set().union(*(keys_of(record) for record in records))
        for column in db.metadata.tables[table].columns.keys():
            if column not in LEFT_OUT.get(table, {}):
                assert RENAMED.get(table, {}).get(column, column) in keys, f"{table}.{column} is not at {path}"


def test_the_download_has_the_answers_consents_contact_preferences_and_surveys(client, everything):
    """What finding 11 found missing: the needs assessment (the mental-health question too), consent records,
    quiet hours and contact needs, survey and check-in answers, and a witness's answer about court."""
    sign_in_as(client, everything["victim"])
    data = client.get("/account/data/download.json").get_json()
    [report] = data["reports"]
    [assessment] = report["support"]["needs_assessments"]
    assert assessment["answers"]["mental_health_worry"] is True
    assert assessment["contact_time"] == "Weekday evenings after six"
    [consent] = report["support"]["consents"]
    assert consent["organisation"] == "Camden Victim Support"
    assert consent["scopes"] == ["category_and_dates", "contact_details"]
    [referral] = report["support"]["referrals"]
    assert (referral["reference"], referral["status"]) == ("RF-EXPORT01", "contacted")
    assert [event["status"] for event in referral["history"]] == ["contacted"]
    contact = report["contact"]
    assert (contact["quiet_from_hour"], contact["quiet_until_hour"]) == (22, 7)
    assert (contact["interpreter_language"], contact["needs_bsl"], contact["needs_large_print"]) == ("Polish", True,
                                                                                                     True)
    assert [survey["comment"] for survey in report["surveys"]] == ["The officer was kind."]
    assert [(check_in["weeks"], check_in["coping"]) for check_in in report["check_ins"]] == [(4, 2)]
    assert {deadline["kind"] for deadline in report["victims_code"]}
    [followed] = data["witness_cases"]
    assert [answer["note"] for answer in followed["court_answers"]] == ["I am away that week"]
    assert data["account"]["language"] == "pl" and data["account"]["display_name"] == "Sam"
    text = str(data)
    for left_out in ("The organisation's working note", "Another working note", "h" * 64, "k" * 32,
                     "Jo's concern about Sammy", "The coordinator's safeguarding note"):
        assert left_out not in text
    [pairing] = data["peer_conversations"]
    assert (pairing["peer_supporter"], pairing["person_first_name"], pairing["referral"]) == ("Jo", "Sammy",
                                                                                              "RF-EXPORT01")
    assert (pairing["person_contact"], pairing["supporter_contact"]) == ("sammy.chat@example.org",
                                                                         "jo.chat@example.org")
    assert [m["body"] for m in pairing["messages"]] == ["Hello Jo from Sammy", "Hello Sammy from Jo"]
    assert [c["reason"] for c in pairing["concerns_you_reported"]] == ["Sammy's own concern"]


def test_the_pdf_holds_the_same_sections_and_answers(app, client, everything):
    """Every section of the JSON has its heading in the PDF, and the answers are there in words (in the reader's
    language, Polish here: what people typed stays as they typed it)."""
    sign_in_as(client, everything["victim"])
    data = client.get("/account/data/download.json").get_json()
    assert set(PDF_HEADINGS) == set(data) - {"generated_at", "retention"}
    pdf = client.get("/account/data/download.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    with app.test_request_context(), force_locale("pl"):
        headings = [gettext(heading) for heading in PDF_HEADINGS.values()]
        in_words = [gettext("Since this happened, have you been worried about your mental health?"),
                    gettext("No messages from %(start)s to %(end)s", start="22:00", end="07:00"),
                    gettext("An interpreter (%(language)s)", language="Polish")]
    for heading in headings:
        assert heading in text
    for words in (*in_words, "Weekday evenings after six", "Camden Victim Support", "RF-EXPORT01",
                  "The officer was kind.", "Is there CCTV?", everything["followed"], "I am away that week",
                  "A court hearing is set", "Red bicycle", "lock.jpg", "Sammy", "sammy@example.org",
                  "Hello Sammy from Jo", "Sammy's own concern", "jo.chat@example.org"):
        assert words in text, words
    assert "working note" not in text and "Jo's concern" not in text and "safeguarding note" not in text


def test_the_data_page_says_the_download_has_them(client, signed_in):
    """'What we hold about you' names what the download now holds."""
    signed_in(Role.VICTIM)
    html = client.get("/account/data").get_data(as_text=True)
    for words in ("your quiet hours", "your answer about your mental health too",
                  "what you agreed to share with support organisations", "your answers to surveys and check-ins",
                  "your answers about court dates"):
        assert words in html, words
