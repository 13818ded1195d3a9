"""Build the copy of everything we hold about a person: as JSON, and as a readable PDF.

Both documents come from one dictionary, so they always hold the same things. Everything linked to the person is
in it: their account, their reports and what hangs from them (the updates shown to them, the promises made and
whether each was kept, their needs assessment, consents, referrals, surveys and check-ins), unfinished reports,
messages, cases they follow as a witness, equality answers, offers to be a peer supporter, one-to-one peer support
conversations (from either side: only the other's chosen first name, the messages, and contact details both chose
to share) and the emails we sent. What is left out, and why, is
listed below (EXPORTED_TABLES, NOT_EXPORTED_TABLES, LEFT_OUT): staff's own assessments and working notes, secrets,
and nothing from anyone else's report. tests/integration/test_data_export_coverage.py holds the lists to the
models, so a table or column added later cannot be forgotten.
"""

import enum
import json
from datetime import UTC, date, datetime

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import CrimeCategory, EvidenceFile, Report, TimelineEvent
from portal.cases.status_text import STATUS_TEXT
from portal.clock import utcnow
from portal.data_rights import queries
from portal.documents import Document
from portal.equality import services as equality
from portal.equality.questions import QUESTIONS
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, current_language, translated, uk_date, uk_datetime
from portal.messages.models import CaseMessage
from portal.peers.forms import AVAILABILITY_WORDS, DELIVERY_CHOICES
from portal.peers.match_enums import Side
from portal.peers.words import decision_words
from portal.reporting.forms import CHANNELS, HATE_MOTIVATIONS
from portal.support.assessments import LEVEL_WORDS
from portal.support.matching import LANGUAGE_NAMES
from portal.support.models import Referral
from portal.support.referral_text import STAFF_STATUS_NAMES
from portal.surveys.forms import CONFIDENT, GOOD, SAFE, SATISFACTION, WELL
from portal.surveys.models import CheckIn
from portal.tracking.witnesses import witness_timeline

RETENTION_NOTE = N_(
    "Reports are police records. The police force keeps them under its retention schedule: crime reports "
    "for at least 6 years. Closing your account removes the link between you and your cases, not the police record."
)
REPORTER_ROLES = {"victim": N_("The victim"), "witness": N_("A witness"),
                  "on_behalf": N_("Someone reporting for the victim")}
FOLLOW_UPS = {"none": N_("No follow-up"), "call": N_("A phone call"), "visit": N_("A visit")}
ANSWERS = {"yes": N_("Yes"), "no": N_("No"), "not_sure": N_("Not sure")}


# What the download covers ----------------------------------------------------------------------

# Where the download holds each table linked to a person: to their account or their reports, directly or through
# another such table. A path's `[]` marks a list. (Files are also under unfinished_reports[].files[], and updates
# under witness_cases[].updates[], and a witness's own check-ins under witness_cases[].check_ins[].)
EXPORTED_TABLES = {
    "users": "account",
    "reports": "reports[]",
    "property_items": "reports[].property_items[]",
    "evidence_files": "reports[].files[]",
    "timeline_events": "reports[].timeline[]",
    "victims_code_deadlines": "reports[].victims_code[]",
    "needs_assessments": "reports[].support.needs_assessments[]",
    "consents": "reports[].support.consents[]",
    "referrals": "reports[].support.referrals[]",
    "referral_events": "reports[].support.referrals[].history[]",
    "referral_messages": "reports[].support.referrals[].messages[]",
    "surveys": "reports[].surveys[]",
    "check_ins": "reports[].check_ins[]",
    "tasks": "reports[].requests[]",
    "report_drafts": "unfinished_reports[]",
    "case_messages": "messages[]",
    "witness_links": "witness_cases[]",
    "court_availability": "witness_cases[].court_answers[]",
    "witness_messages": "witness_cases[].messages[]",
    "equality_records": "equality_answers[]",
    "peer_offers": "peer_offers[]",
    "peer_supporters": "peer_offers[].organisations[]",
    "peer_matches": "peer_conversations[]",
    "peer_messages": "peer_conversations[].messages[]",
    "peer_concerns": "peer_conversations[].concerns_you_reported[]",
}
# Tables linked to a person that the download leaves out, and why.
NOT_EXPORTED_TABLES = {
    "account_tokens": "One-time links to confirm an email address or reset a password: only a hash of each is kept, "
                      "a secret that tells the person nothing.",
    "account_sessions": "The signed-in sessions of the account, kept so signing out can end them: a hash of each "
                        "session's secret and its times. When the person last signed in is in `account`.",
    "audit_events": "The record of what staff and partners read and changed, kept for accountability. Who has "
                    "looked at the person's cases is on the 'Who has viewed your cases' page, by organisation.",
    "outbox_messages": "The emails, text messages and letters sent to say there is an update: fixed, neutral words "
                       "and a link to sign in, with the address or number they went to, which the report's contact "
                       "details already hold. What each update was is in the timeline.",
    "sla_alerts": "Alerts to police supervisors about their own queue. The promises made to the person, and whether "
                  "each was kept, are in reports[].victims_code.",
    "tracking_codes": "Six-digit codes sent to follow a case without an account: only a keyed hash of each is kept, "
                      "for 15 minutes of use, a secret that tells the person nothing.",
    "resume_links": "Links sent to go on with an unfinished report on another device: only a hash of each is kept, "
                    "a secret that tells the person nothing. The unfinished report is in unfinished_reports.",
    "hearing_reminders": "A note that a reminder of a hearing was sent, so none goes twice: the emails themselves "
                         "are neutral words and a link, and the hearing is in witness_cases[].",
    "service_feedback": "Anonymous feedback on the service (/feedback): a rating, an optional comment, the day and "
                        "the kind of page, with no account, report, address or time of day, so no row can be found "
                        "for one person. It is not personal data.",
    "group_places": "A place in a peer-support group or on its waiting list, from a referral closed as 'joined the "
                    "group'. Joining, waiting, moving up and leaving are each in the timeline (reports[].timeline), "
                    "and the referral's outcome in reports[].support.referrals[].",
    "comparison_draws": "Whether a case was drawn at random for the comparison check-ins (people who were not "
                        "referred, asked how they are coping so that support can be compared): the check-ins it "
                        "brought are in reports[].check_ins, with no referral.",
    "group_session_changes": "Meetings of a group that its coordinator cancelled or moved: about the group, not the "
                             "person. Each change a member was told of is in their timeline.",
}
_ID = "The database's own number for the row."
_LINK = "The link to the record it belongs to, which the download shows it under."
_STAFF = "Which member of staff: staff are not named to the people they help."
_POLICE_VIEW = "The police's own assessment, for staff only."
_TARGETS = ("The police's own targets for the report. The promises made to the person, and whether each was kept, "
            "are in victims_code.")
_WHOSE = ("Whose support it is: empty for the victim's, else the witness's link to the case (a witness's own support "
          "is under witness_cases[].support).")
_BOOKKEEPING = "When the database row was written or last changed; the download gives the times that mean something."
_WORKING_NOTE = "The organisation's own working notes, never shown to the person."
# Columns of the exported tables that are not in the download, and why. Every other column is, under its own name
# or the one in RENAMED.
LEFT_OUT: dict[str, dict[str, str]] = {
    "users": {
        "id": _ID,
        "password_hash": "A one-way hash of the password: a secret that tells the person nothing.",
        "totp_secret": "The authenticator app's secret: staff and partner accounts only.",
        "totp_confirmed_at": "When an authenticator app was set up: staff and partner accounts only.",
        "totp_last_step": "The last authenticator code used, so it cannot be used twice: staff and partner accounts.",
        "is_active_account": "Always yes for an account that can download its data.",
        "organisation_id": "A partner account's organisation: staff and partner accounts only.",
        "rank": "A police officer's rank: police accounts only.",
        "collar_number": "A police officer's collar number: police accounts only.",
    },
    "reports": {
        "id": _ID, "version": "A counter that stops two people overwriting each other's changes.",
        "reporter_user_id": "The link to this account.", "risk_flags": _POLICE_VIEW, "is_repeat_victim": _POLICE_VIEW,
        "enhanced_rights": _POLICE_VIEW, "enhanced_rights_reason": _POLICE_VIEW, "safeguarding": _POLICE_VIEW,
        "named_officer_id": _STAFF, "claimed_by_id": _STAFF,
        "duplicate_of_id": "The police's link to another report about the same thing, which may be someone else's.",
        "triage_due_at": _TARGETS, "response_due_at": _TARGETS, "triaged_at": _TARGETS, "first_response_at": _TARGETS,
        "created_at": _BOOKKEEPING, "updated_at": _BOOKKEEPING,
    },
    "property_items": {"id": _ID, "report_id": _LINK},
    "evidence_files": {
        "id": _ID, "report_id": _LINK, "draft_id": _LINK, "updated_at": _BOOKKEEPING,
        "storage_key": "Where the file is stored: the file is the one the person sent.",
        "sha256": "A fingerprint of the file's contents, used to check it is intact.",
    },
    "timeline_events": {
        "id": _ID, "report_id": _LINK, "actor_id": _STAFF,
        "kind": "The kind of update, which its title says in words.",
        "visible_to_victim": "Only updates shown to the person are in the download.",
        "visible_to_witness": "Only updates shown to the person are in the download.",
        "reason_code": "The code of a standard wording, which the title and text give in words.",
        "text_values": "The values put into the title and text, which hold them.",
    },
    "victims_code_deadlines": {"id": _ID, "report_id": _LINK,
                               "reminded_at": "When the officer was reminded of the promise."},
    "needs_assessments": {"id": _ID, "report_id": _LINK, "witness_link_id": _WHOSE},
    "consents": {"id": _ID, "report_id": _LINK, "recorded_by_id": _STAFF, "witness_link_id": _WHOSE},
    "referrals": {
        "id": _ID, "report_id": _LINK, "suggested_by_id": _STAFF, "note": _WORKING_NOTE, "witness_link_id": _WHOSE,
        "consent_id": "The consent it was sent under, which is in consents.",
        "version": "A counter that stops two people overwriting each other's changes.",
    },
    "referral_events": {"id": _ID, "referral_id": _LINK, "actor_id": _STAFF, "note": _WORKING_NOTE},
    "surveys": {"id": _ID, "report_id": _LINK},
    "check_ins": {"id": _ID, "report_id": _LINK,
                  "draw_id": "Set when the check-in was for the comparison sample rather than a referral: then "
                             "`referral` is empty.",
                  "witness_link_id": "Whose check-in it is: empty for the victim's, else the witness's link to the "
                                     "case (a witness's own check-ins are under witness_cases[].check_ins)."},
    "tasks": {
        "id": _ID, "report_id": _LINK, "raised_by_id": "The person who asked: this account.",
        "assignee_id": _STAFF, "completed_by_id": _STAFF, "decided_by_id": _STAFF,
        "reminded_at": "When the officer was reminded the request was due.",
        "escalated_at": "When supervisors were told the request was late.",
    },
    "report_drafts": {"id": _ID, "user_id": "The link to this account.", "updated_at": _BOOKKEEPING,
                      "token_hash": "A hash of the secret that lets a guest come back to the report."},
    "case_messages": {"id": _ID, "sender_id": _STAFF},
    "witness_links": {
        "id": _ID, "witness_user_id": "The link to this account.", "invited_by_id": _STAFF,
        "code_hash": "A hash of the invitation code: a secret.",
        "code_expires_at": "When the invitation code stopped working.",
        "created_at": _BOOKKEEPING, "updated_at": _BOOKKEEPING,
    },
    "court_availability": {"id": _ID, "witness_link_id": _LINK},
    "witness_messages": {"id": _ID, "witness_link_id": _LINK, "sender_id": _STAFF},
    "referral_messages": {"id": _ID, "referral_id": _LINK,
                          "sender_id": "Which support worker: the organisation is named, not the person."},
    "equality_records": {"id": _ID, "user_id": "The link to this account.", "created_at": _BOOKKEEPING},
    "peer_offers": {"id": _ID, "user_id": "The link to this account.", "created_at": _BOOKKEEPING,
                    "updated_at": _BOOKKEEPING},
    "peer_supporters": {"id": _ID, "offer_id": _LINK, "created_at": _BOOKKEEPING, "updated_at": _BOOKKEEPING,
                        "decided_by_id": "Which member of the organisation: the organisation is named, not the "
                                         "person."},
    "peer_matches": {"id": _ID, "created_at": _BOOKKEEPING, "updated_at": _BOOKKEEPING,
                     "proposed_by_id": "Which member of the organisation: the organisation is named, not the "
                                       "person."},
    "peer_messages": {"id": _ID, "match_id": _LINK,
                      "sender_id": "The account that wrote it, which `from` gives as you or the other side."},
    "peer_concerns": {
        "id": _ID, "match_id": _LINK, "raised_by_id": "The account that reported it: this account.",
        "organisation_id": "The organisation, named on the conversation the concern is under.",
        "dealt_with_by_id": "Which member of the organisation: the organisation is named, not the person.",
        "note": "The organisation's own note on how it dealt with the concern: part of its safeguarding work, "
                "never shown to either side.",
    },
}
# Columns that are in the download under another name (a link given as what it links to, for instance).
RENAMED: dict[str, dict[str, str]] = {
    "users": {"locale": "language"},
    "reports": {"category_id": "category", "locale": "language"},
    "property_items": {"value_pence": "value_pounds"},
    "evidence_files": {"original_name": "name", "created_at": "uploaded_at"},
    "consents": {"organisation_id": "organisation"},
    "referrals": {"organisation_id": "organisation", "service_id": "service"},
    "check_ins": {"referral_id": "referral", "organisation_id": "organisation"},
    "report_drafts": {"created_at": "started_at"},
    "case_messages": {"report_id": "case", "from_staff": "from"},
    "witness_links": {"report_id": "crime_number"},
    "court_availability": {"hearing_event_id": "hearing"},
    "witness_messages": {"from_staff": "from"},
    "referral_messages": {"from_partner": "from"},
    "peer_offers": {"report_id": "crime_number"},
    "peer_supporters": {"organisation_id": "organisation"},
    # The other side's contact details are given only when both sides chose to share, as on the page.
    "peer_matches": {"referral_id": "referral", "supporter_id": "peer_supporter"},
    "peer_messages": {"from_supporter": "from"},
    "equality_records": {"report_id": "crime_number", "updated_at": "saved_at",
                         **{question.characteristic: "answers" for question in QUESTIONS}},
}


def _plain(value):
    """A value as JSON holds it (an enum by its value; dates stay dates until serialised)."""
    return value.value if isinstance(value, enum.Enum) else value


def _record(row, **values) -> dict:
    """A row's columns as plain values, but for those LEFT_OUT or RENAMED (give these in `values`)."""
    table = row.__table__
    skip = set(LEFT_OUT.get(table.name, {})) | set(RENAMED.get(table.name, {}))
    record = {column.name: _plain(getattr(row, column.name)) for column in table.columns if column.name not in skip}
    record.update(values)
    return record


# The data --------------------------------------------------------------------------------------


def personal_data(user: User) -> dict:
    """Everything we hold about this person, as plain values (dates stay date objects until serialised)."""
    reports = queries.linked_reports(user)
    events = queries.victim_events([report.id for report in reports])
    records = queries.case_records([report.id for report in reports])
    support_messages = queries.support_messages(user)
    drafts = queries.drafts(user)
    files = queries.draft_files([draft.id for draft in drafts])
    return {
        "generated_at": utcnow(),
        "retention": RETENTION_NOTE,
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
            "language": user.locale,
            "created_at": user.created_at,
            "updated_at": user.updated_at,
            "last_login_at": user.last_login_at,
            "email_verified": user.email_verified_at is not None,
            "email_verified_at": user.email_verified_at,
        },
        "reports": [_report(report, events[report.id], records[report.id], support_messages) for report in reports],
        "unfinished_reports": [
            {"started_at": draft.created_at, "last_saved_at": draft.last_saved_at, "answers": dict(draft.answers or {}),
             "files": [_file(item) for item in files[draft.id]]}
            for draft in drafts
        ],
        "messages": [
            {"case": crime_number, "from": "you" if message.sender_id == user.id else "police",
             "sent_at": message.sent_at, "read_at": message.read_at, "body": message.body}
            for message, crime_number in _messages(user)
        ],
        "witness_cases": _witness_cases(user),
        "equality_answers": _equality_answers(user),
        "peer_offers": [_record(offer, crime_number=crime_number,
                                organisations=[_record(s, organisation=s.organisation.name) for s in offer.supporters])
                        for offer, crime_number in queries.peer_offers(user)],
        "peer_conversations": [_peer_pairing(pairing) for pairing in queries.peer_pairings(user)],
        "emails": [
            {"subject": message.subject, "queued_at": message.created_at, "sent_at": message.sent_at,
             "status": message.status.value}
            for message in queries.emails(user)
        ],
    }


# What a side's download of a one-to-one peer support conversation leaves out, said in the download itself.
PEER_NOT_INCLUDED = {
    Side.PERSON: N_("Concerns the peer supporter reported about this conversation are not included: they are the "
                    "organisation's safeguarding records. The peer supporter's contact details are included only "
                    "if you both chose to share yours."),
    Side.SUPPORTER: N_("You see only what the person chose to share with you: the first name they chose and their "
                       "messages, never their case. Concerns the person reported about this conversation are not "
                       "included: they are the organisation's safeguarding records. The person's contact details "
                       "are included only if you both chose to share yours."),
}


def _peer_pairing(pairing: queries.PeerPairing) -> dict:
    """A one-to-one peer support pairing from one side: the organisation, the peer supporter's first name (their
    own, for the peer supporter), the first name the person chose, the status and dates, the messages both ways,
    this side's contact details (and the other's only when both chose to share), and the concerns this side
    reported. The person's referral is named only in the person's own download."""
    match, side = pairing.match, pairing.side
    own_contact, other_contact = ((match.person_contact, match.supporter_contact) if side == Side.PERSON
                                  else (match.supporter_contact, match.person_contact))
    other_contact = other_contact if match.both_shared else None
    contacts = ({"person_contact": own_contact, "supporter_contact": other_contact} if side == Side.PERSON
                else {"person_contact": other_contact, "supporter_contact": own_contact})
    from_you = side == Side.SUPPORTER
    other = "the peer supporter" if side == Side.PERSON else "the person"
    return _record(
        match, your_side=side.value, organisation=match.referral.organisation.name,
        referral=match.referral.reference if side == Side.PERSON else None,
        peer_supporter=match.supporter.offer.first_name, **contacts,
        messages=[_record(message, **{"from": "you" if message.from_supporter == from_you else other})
                  for message in pairing.messages],
        concerns_you_reported=[_record(concern) for concern in pairing.concerns],
        not_included=PEER_NOT_INCLUDED[side])


def _witness_cases(user: User) -> list[dict]:
    """Cases the person follows as a witness: the invitation, the updates shown to witnesses, their court answers
    their messages with witness care and their own support."""
    links = queries.witness_links(user)
    answers = queries.court_answers([link.id for link, _report in links])
    messages = queries.witness_messages([link.id for link, _report in links])
    support = queries.witness_support([link.id for link, _report in links])
    return [
        {"crime_number": report.crime_number, "invited_email": link.invited_email, "linked_at": link.linked_at,
         "safe_channels": link.safe_channels, "contact_phone": link.contact_phone, "contact_name": link.contact_name,
         "contact_address": link.contact_address, "contact_address_postcode": link.contact_address_postcode,
         "updates": [_update(event) for event in witness_timeline(report)],
         "court_answers": [_record(answer, hearing={"title": hearing.shown_title, "occurred_at": hearing.occurred_at})
                           for answer, hearing in answers[link.id]],
         "messages": [_record(message, **{"from": "witness care" if message.from_staff else "you"})
                      for message in messages[link.id]],
         "support": _support(support[link.id]),
         "check_ins": [_check_in(check_in, support[link.id].referrals) for check_in in support[link.id].check_ins]}
        for link, report in links
    ]


def _equality_answers(user: User) -> list[dict]:
    """The person's own answers to the equality questions: from their account, and any given after reporting for
    reports now linked to it. Only ever in this download, for the person themselves."""
    def answers(record) -> list[dict]:
        """Every question with the answer given (or not)."""
        return [{"question": question.text, "code": getattr(record, question.characteristic),
                 "answer": question.label(getattr(record, question.characteristic))} for question in QUESTIONS]

    given = []
    own = equality.record_for_user(user.id)
    if own is not None:
        given.append({"given": "from your account", "crime_number": None, "saved_at": own.updated_at,
                      "answers": answers(own)})
    for crime_number, record in equality.records_for_linked_reports(user.id):
        given.append({"given": "after reporting", "crime_number": crime_number, "saved_at": record.updated_at,
                      "answers": answers(record)})
    return given


def _messages(user: User) -> list:
    """Secure messages on the person's own cases, oldest first."""

    return list(db.session.execute(
        select(CaseMessage, Report.crime_number).join(Report, Report.id == CaseMessage.report_id)
        .where(Report.reporter_user_id == user.id).order_by(CaseMessage.sent_at, CaseMessage.id)))


def _update(event: TimelineEvent) -> dict:
    """An update shown to the person, in the words they saw."""
    return {"occurred_at": event.occurred_at, "title": event.shown_title, "body": event.shown_body}


def _report(report: Report, events: list[TimelineEvent], records: queries.CaseRecords,
            support_messages: dict | None = None) -> dict:
    """One report: the person's own answers, its status, the updates shown to them and what hangs from it."""
    return {
        "crime_number": report.crime_number,
        "status": report.status.value,
        "status_label": STATUS_TEXT[report.status].label,
        "submitted_at": report.submitted_at,
        "category": report.category.name,
        "is_information_report": report.is_information_report,
        "reporter_role": report.reporter_role.value,
        "victim_kind": report.victim_kind,
        "victim_name": report.victim_name,
        "victim_knows": report.victim_knows,
        "language": report.locale,
        "occurred_on": report.occurred_on,
        "occurred_until": report.occurred_until,
        "occurred_time": report.occurred_time,
        "borough": report.borough,
        "postcode": report.postcode,
        "location": report.location,
        "description": report.description,
        "property_items": [
            {"description": item.description,
             "value_pounds": f"{item.value_pence / 100:.2f}" if item.value_pence is not None else None,
             "damaged": item.damaged}
            for item in report.property_items
        ],
        "suspect_description": report.suspect_description,
        "other_witnesses": report.other_witnesses,
        "hate_motivations": list(report.hate_motivations or []),
        "third_party_organisation": report.third_party_organisation,
        "contact": {
            "name": report.contact_name,
            "email": report.contact_email,
            "phone": report.contact_phone,
            "address": report.contact_address,
            "address_postcode": report.contact_address_postcode,
            "safe_channels": list(report.safe_channels or []),
            "safe_times": report.safe_times,
            "quiet_from_hour": report.quiet_from_hour,
            "quiet_until_hour": report.quiet_until_hour,
            "voicemail_allowed": report.voicemail_allowed,
            "neutral_sender": report.neutral_sender,
            # Named as the report's own columns are, so the download mirrors them (crime_number_…).
            "crime_number_in_confirmation": report.crime_number_in_confirmation,
            "crime_number_opt_in_at": report.crime_number_opt_in_at,
            "interpreter_language": report.interpreter_language,
            "needs_bsl": report.needs_bsl,
            "needs_large_print": report.needs_large_print,
        },
        "follow_up": report.follow_up.value,
        "would_have_reported": report.would_have_reported,
        "update_every_days": report.update_every_days,
        "files": [_file(item) for item in report.evidence],
        "timeline": [_update(event) for event in events],
        "victims_code": [_record(deadline) for deadline in records.deadlines],
        "support": _support(records, support_messages),
        "surveys": [_record(survey) for survey in records.surveys],
        "check_ins": [_check_in(check_in, records.referrals) for check_in in records.check_ins],
        "requests": [_record(task) for task in records.requests],
    }


def _support(records, messages: dict | None = None) -> dict:
    """One person's support on a case: their needs assessments, consents and referrals (with their messages with
    the organisation: `messages` by referral)."""
    return {
        "needs_assessments": [_record(assessment) for assessment in records.assessments],
        "consents": [_record(consent, organisation=consent.organisation.name) for consent in records.consents],
        "referrals": [_referral(referral, (messages or {}).get(referral.id, [])) for referral in records.referrals],
    }


def _referral(referral: Referral, messages: list | None = None) -> dict:
    """A referral, its status history and contact attempts (not the organisation's working notes), and the messages
    between the person and the organisation."""
    return _record(referral, organisation=referral.organisation.name, service=referral.service.name,
                   history=[_record(event) for event in referral.events],
                   messages=[_record(message, **{"from": "the organisation" if message.from_partner else "you"})
                             for message in messages or []])


def _check_in(check_in: CheckIn, referrals: list[Referral]) -> dict:
    """A check-in, named by the referral it follows."""
    referral = next((r for r in referrals if r.id == check_in.referral_id), None)
    return _record(check_in, referral=referral.reference if referral else None,
                   organisation=referral.organisation.name if referral else None)


def _file(item: EvidenceFile) -> dict:
    """A file the person uploaded (its details, not its contents)."""
    return {"name": item.original_name, "content_type": item.content_type, "size_bytes": item.size_bytes,
            "uploaded_at": item.created_at}


# JSON ------------------------------------------------------------------------------------------


def _iso(value):
    """Dates and times in ISO 8601 (times in UTC)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in JSON")


def as_json(data: dict) -> bytes:
    """The data as an indented JSON document."""
    return json.dumps(data, default=_iso, indent=2, ensure_ascii=False).encode("utf-8")


# PDF -------------------------------------------------------------------------------------------
# The PDF is in the reader's language (the page's, when they download it): every heading and fixed label, dates
# and the words of each choice; what the person or an officer typed stays as it was written.


def _yes_no(value: bool) -> str:
    """Yes or No."""
    return _("Yes") if value else _("No")


def _labels(codes: list, choices) -> str:
    """Chosen options by their labels."""
    names = {value: str(label) for value, label in choices}
    return ", ".join(names.get(code, str(code)) for code in codes)


def _language_name(code: str | None) -> str:
    """A language by its name in itself ("Polski")."""
    return LANGUAGES.get(code or "", code or "")


def _when(report: dict) -> str:
    """When it happened, in words."""
    when = uk_date(report["occurred_on"])
    if report["occurred_until"]:
        when = _("Between %(first)s and %(last)s", first=when, last=uk_date(report["occurred_until"]))
    if report["occurred_time"]:
        when += f", {report['occurred_time']}"
    return when


def _describe_file(item: dict) -> str:
    """A file's details in words."""
    return _("%(name)s (%(type)s, %(size)s bytes), uploaded %(when)s", name=item["name"], type=item["content_type"],
             size=item["size_bytes"], when=uk_datetime(item["uploaded_at"]))


def _answer_text(value) -> str:
    """A saved answer from an unfinished report, in words."""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list):
        return "; ".join(_answer_text(v) for v in value) or _("None")
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')}: {_answer_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


# The heading of each part of the download in the PDF (in English here; translated when drawn).
PDF_HEADINGS = {
    "account": N_("Your account"),
    "reports": N_("Your reports"),
    "unfinished_reports": N_("Reports you have not finished"),
    "messages": N_("Your messages"),
    "witness_cases": N_("Cases you follow as a witness"),
    "equality_answers": N_("Your answers to the equality questions"),
    "peer_offers": N_("Your offers to help others as a peer supporter"),
    "peer_conversations": N_("Your one-to-one peer support conversations"),
    "emails": N_("Emails we sent you"),
}
# The questions as the pages the person answered on asked them, translated when drawn.
ASSESSMENT_QUESTIONS = {
    "daily_life": N_("How much is what happened affecting your daily life?"),
    "feelings": N_("How much is it affecting how you feel?"),
    "feels_safe": N_("Do you feel safe at the moment?"),
    "practical_needs": N_("Do you need help with any of these?"),
    "mental_health_worry": N_("Since this happened, have you been worried about your mental health?"),
    "wants_to_talk": N_("Would you like to talk to someone about how you feel?"),
    "happened_before": N_("Has something like this happened to you before?"),
    "interested_in_peer_support": N_("Would you like to meet other people who have been through something similar?"),
}
IMPACT_WORDS = {0: N_("Not at all"), 1: N_("A little"), 2: N_("Quite a lot"), 3: N_("A great deal")}
PRACTICAL_NEEDS = {"locks": N_("Fixing or changing locks, doors or windows"),
                   "replace_documents": N_("Replacing documents, bank cards or keys"),
                   "insurance_letter": N_("A letter or crime number for my insurer")}
SCOPE_WORDS = {"category_and_dates": N_("What kind of crime it was, and when it happened"),
               "contact_details": N_("Your name, how to contact you, and your communication needs"),
               "description": N_("What you told the police happened"),
               "progress": N_("How your case is going: the updates we send you and any court dates")}
SURVEY_QUESTIONS = {
    "overall": (N_("Overall, how satisfied are you with how we dealt with your report?"), SATISFACTION),
    "kept_informed": (N_("How satisfied are you with how we kept you up to date?"), SATISFACTION),
    "treated_fairly": (N_("How satisfied are you that we treated you fairly and with respect?"), SATISFACTION),
    "ease_of_reporting": (N_("How satisfied are you with how easy it was to report online?"), SATISFACTION),
}
CHECK_IN_QUESTIONS = {
    "coping": (N_("How well are you coping?"), WELL),
    "safety": (N_("How safe do you feel?"), SAFE),
    "wellbeing": (N_("How have you been feeling in general?"), GOOD),
    "confidence": (N_("How confident do you feel in the police and the courts?"), CONFIDENT),
    "daily_life": (N_("How well are you getting on with daily life, such as work, sleep and seeing people?"), WELL),
}
SURVEY_KINDS = {"after_decision": N_("After our decision"), "at_closure": N_("When the case was closed")}
ACCOUNT_TYPES = {"victim": N_("Victim"), "witness": N_("Witness")}


def as_pdf(data: dict, language: str | None = None) -> bytes:
    """The same data as a readable PDF, in `language`: by default the page's (the reader's) when there is a
    request, otherwise the account's."""
    if language is None:
        language = current_language() if has_request_context() else data["account"]["language"]
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    with force_locale(language):
        return _pdf(data, language)


def _pdf(data: dict, language: str) -> bytes:
    doc = Document(language, _("Your data"))
    doc.heading(_("Your data"), 18)
    doc.paragraph(_("Everything we held about you on %(when)s.", when=uk_datetime(data["generated_at"])))
    doc.paragraph(translated(data["retention"]))

    account = data["account"]
    doc.heading(_(PDF_HEADINGS["account"]))
    doc.row(_("Email address"), account["email"])
    doc.row(_("Name"), account["display_name"])
    doc.row(_("Account type"), translated(ACCOUNT_TYPES.get(account["role"], account["role"].capitalize())))
    doc.row(_("Language"), _language_name(account["language"]))
    doc.row(_("Created"), uk_datetime(account["created_at"]))
    doc.row(_("Last changed"), uk_datetime(account["updated_at"]))
    doc.row(_("Last signed in"), uk_datetime(account["last_login_at"]) or _("Never"))
    doc.row(_("Email address confirmed"), _yes_no(account["email_verified"]))

    doc.heading(_(PDF_HEADINGS["reports"]))
    if not data["reports"]:
        doc.paragraph(_("No reports are linked to your account."))
    for report in data["reports"]:
        _report_pdf(doc, report)

    doc.heading(_(PDF_HEADINGS["unfinished_reports"]))
    if not data["unfinished_reports"]:
        doc.paragraph(_("None."))
    else:
        doc.paragraph(_("We delete unfinished reports 30 days after they were last saved."))
    for draft in data["unfinished_reports"]:
        doc.heading(_("Started %(when)s", when=uk_datetime(draft["started_at"])), 12)
        doc.row(_("Last saved"), uk_datetime(draft["last_saved_at"]))
        for key, value in draft["answers"].items():
            doc.row(key.replace("_", " ").capitalize(), _answer_text(value))
        doc.row(_("Files"), "; ".join(_describe_file(f) for f in draft["files"]) or _("None"))

    doc.heading(_(PDF_HEADINGS["messages"]))
    if not data["messages"]:
        doc.paragraph(_("None."))
    for message in data["messages"]:
        sender = _("You") if message["from"] == "you" else _("The police")
        doc.label(_("%(sender)s, %(when)s, about %(case)s", sender=sender, when=uk_datetime(message["sent_at"]),
                    case=message["case"]))
        doc.paragraph(message["body"])

    doc.heading(_(PDF_HEADINGS["witness_cases"]))
    if not data["witness_cases"]:
        doc.paragraph(_("None."))
    for case in data["witness_cases"]:
        _witness_case_pdf(doc, case)

    doc.heading(_(PDF_HEADINGS["equality_answers"]))
    if not data["equality_answers"]:
        doc.paragraph(_("You have not answered them."))
    for given in data["equality_answers"]:
        saved = uk_datetime(given["saved_at"])
        where = (_("Given after reporting %(crime_number)s, saved %(when)s", crime_number=given["crime_number"],
                   when=saved) if given["crime_number"] else _("Given from your account, saved %(when)s", when=saved))
        doc.heading(where, 12)
        for answer in given["answers"]:
            doc.row(translated(answer["question"]), translated(answer["answer"]))

    _peer_offers_pdf(doc, data["peer_offers"])
    _peer_conversations_pdf(doc, data["peer_conversations"])

    doc.heading(_(PDF_HEADINGS["emails"]))
    if not data["emails"]:
        doc.paragraph(_("None."))
    for message in data["emails"]:
        queued = uk_datetime(message["queued_at"])
        doc.paragraph(_("%(subject)s (queued %(queued)s, sent %(sent)s)", subject=translated(message["subject"]),
                        queued=queued, sent=uk_datetime(message["sent_at"]))
                      if message["sent_at"] else
                      _("%(subject)s (queued %(queued)s, not sent yet)", subject=translated(message["subject"]),
                        queued=queued))
    return doc.output()


def _peer_offers_pdf(doc: Document, offers: list[dict]) -> None:
    """Each offer to be a peer supporter: what the person offered, and each organisation's decision and checks."""
    doc.heading(_(PDF_HEADINGS["peer_offers"]))
    if not offers:
        doc.paragraph(_("None."))
    names = ({code: translated(name) for code, name in db.session.execute(select(CrimeCategory.code,
                                                                                CrimeCategory.name))}
             if offers else {})
    for offer in offers:
        doc.heading(_("Offered %(when)s, after %(crime_number)s", when=uk_datetime(offer["consented_at"]),
                      crime_number=offer["crime_number"]), 12)
        doc.row(_("First name others see"), offer["first_name"])
        doc.row(_("What you went through"), ", ".join(names.get(code, code) for code in offer["categories"]))
        doc.row(_("Languages"), ", ".join(_(LANGUAGE_NAMES.get(code, code)) for code in offer["languages"]))
        doc.row(_("When you can usually help"), ", ".join(str(AVAILABILITY_WORDS.get(a, a))
                                                          for a in offer["availability"]))
        doc.row(_("Online or in person"), str(dict(DELIVERY_CHOICES).get(offer["delivery"], offer["delivery"])))
        doc.row(_("Contact details you shared"), offer["shared_contact"] or _("None"))
        if offer["withdrawn_at"]:
            doc.row(_("Withdrawn"), uk_datetime(offer["withdrawn_at"]))
        for held in offer["organisations"]:
            checks = [uk_date(held[name]) for name in ("training_completed_on", "references_received_on",
                                                        "safeguarding_checked_on") if held[name]]
            words = decision_words(held["decision"], held["status"], held["decline_reason"])
            doc.row(held["organisation"], _("%(decision)s Their checks: %(dates)s", decision=words,
                                            dates=", ".join(checks) or _("None")))


PEER_STATUS_WORDS = {"proposed": N_("Suggested to you, not answered yet"), "agreed": N_("Going on"),
                     "declined": N_("You chose not to talk with them"), "paused": N_("Paused"),
                     "ended": N_("Ended")}


def _peer_conversations_pdf(doc: Document, pairings: list[dict]) -> None:
    """Each one-to-one peer support conversation, from the reader's side: who with (by first name), its status and
    dates, the contact details, the messages and the concerns the reader reported."""
    doc.heading(_(PDF_HEADINGS["peer_conversations"]))
    if not pairings:
        doc.paragraph(_("None."))
    for pairing in pairings:
        as_person = pairing["your_side"] == Side.PERSON
        other = pairing["peer_supporter"] if as_person else pairing["person_first_name"]
        if as_person:
            doc.heading(_("With %(name)s, a peer supporter from %(organisation)s", name=other,
                          organisation=pairing["organisation"]), 12)
            doc.row(_("Referral"), pairing["referral"])
            if pairing["person_first_name"]:
                doc.row(_("The first name you are shown by"), pairing["person_first_name"])
        else:
            doc.heading(_("With %(name)s, whom you supported for %(organisation)s", name=other,
                          organisation=pairing["organisation"]), 12)
        doc.row(_("Status"), translated(PEER_STATUS_WORDS.get(pairing["status"], pairing["status"])))
        for label, key in ((N_("Suggested"), "proposed_at"), (N_("Answered"), "answered_at"),
                           (N_("Paused"), "paused_at"), (N_("Ended"), "ended_at")):
            if pairing[key]:
                doc.row(_(label), uk_datetime(pairing[key]))
        if pairing["ended_by"]:
            ended_by = (_("You") if pairing["ended_by"] == pairing["your_side"] else
                        pairing["organisation"] if pairing["ended_by"] == Side.ORGANISATION else other)
            doc.row(_("Ended by"), ended_by)
        own, theirs = ((pairing["person_contact"], pairing["supporter_contact"]) if as_person
                       else (pairing["supporter_contact"], pairing["person_contact"]))
        doc.row(_("Contact details you shared"), own or _("None"))
        doc.row(_("Their contact details"), theirs or _("Not shared with you"))
        for message in pairing["messages"]:
            sender = _("You") if message["from"] == "you" else other
            doc.label(_("%(sender)s, %(when)s", sender=sender, when=uk_datetime(message["sent_at"])))
            doc.paragraph(message["body"])
        for concern in pairing["concerns_you_reported"]:
            doc.label(_("A concern you reported, %(when)s", when=uk_datetime(concern["raised_at"])))
            doc.paragraph(concern["reason"])
            if concern["dealt_with_at"]:
                doc.paragraph(_("The organisation recorded that it was dealt with on %(when)s.",
                                when=uk_datetime(concern["dealt_with_at"])))
        doc.paragraph(translated(pairing["not_included"]))


def _hour(hour: int) -> str:
    return f"{hour:02d}:00"


def _contact_needs(contact: dict) -> str:
    """The help the person asked for to talk with us, in words."""
    needs = []
    if contact["interpreter_language"]:
        needs.append(_("An interpreter (%(language)s)", language=contact["interpreter_language"]))
    if contact["needs_bsl"]:
        needs.append(_("A British Sign Language (BSL) interpreter"))
    if contact["needs_large_print"]:
        needs.append(_("Letters and documents in large print"))
    return "; ".join(needs) or _("None")


def _report_pdf(doc: Document, report: dict) -> None:
    """One report's answers, updates, promises, support, surveys and check-ins."""
    doc.heading(_("Crime number %(crime_number)s", crime_number=report["crime_number"]), 12)
    doc.row(_("Status"), translated(report["status_label"]))
    doc.row(_("Submitted"), uk_datetime(report["submitted_at"]))
    doc.row(_("What happened"), translated(report["category"]))
    doc.row(_("Who reported it"), translated(REPORTER_ROLES.get(report["reporter_role"], report["reporter_role"])))
    doc.row(_("Language of the report"), _language_name(report["language"]))
    doc.row(_("When"), _when(report))
    doc.row(_("Where"), ", ".join(p for p in (report["location"], report["postcode"], report["borough"]) if p))
    doc.row(_("Description"), report["description"])
    damaged = _("damaged")
    items = [item["description"] + "".join(
        [f" (£{item['value_pounds']})" if item["value_pounds"] else "", f" ({damaged})" if item["damaged"] else ""])
        for item in report["property_items"]]
    doc.row(_("Lost, stolen or damaged"), "; ".join(items) or _("Nothing"))
    if not report["is_information_report"]:
        doc.row(_("About who did it"), report["suspect_description"])
        doc.row(_("Other witnesses"), report["other_witnesses"])
    if report["hate_motivations"]:
        doc.row(_("What you think motivated it"), _labels(report["hate_motivations"], HATE_MOTIVATIONS))
    if report["third_party_organisation"]:
        doc.row(_("Reported through"), report["third_party_organisation"])
    contact = report["contact"]
    doc.row(_("Your name"), contact["name"])
    doc.row(_("Email address"), contact["email"])
    doc.row(_("Phone number"), contact["phone"])
    if contact["address"]:
        doc.row(_("Postal address"), f"{contact['address']}\n{contact['address_postcode'] or ''}".strip())
    doc.row(_("Safe ways to contact you"), _labels(contact["safe_channels"], CHANNELS) or _("None chosen"))
    doc.row(_("Safe times to contact you"), contact["safe_times"])
    quiet = (_("No messages from %(start)s to %(end)s", start=_hour(contact["quiet_from_hour"]),
               end=_hour(contact["quiet_until_hour"]))
             if contact["quiet_from_hour"] is not None and contact["quiet_until_hour"] is not None else _("None"))
    doc.row(_("Quiet hours"), quiet)
    doc.row(_("We may leave a voicemail"), _yes_no(contact["voicemail_allowed"]))
    doc.row(_("Emails and letters come from a neutral sender"), _yes_no(contact["neutral_sender"]))
    if contact["crime_number_in_confirmation"]:
        doc.row(_("You asked for the crime number in your confirmation"),
                uk_datetime(contact["crime_number_opt_in_at"]))
    doc.row(_("Help to talk with us"), _contact_needs(contact))
    doc.row(_("What you asked for next"), translated(FOLLOW_UPS.get(report["follow_up"], report["follow_up"])))
    doc.row(_("Would you have reported it another way"),
            translated(ANSWERS.get(report["would_have_reported"], report["would_have_reported"])))
    doc.row(_("How often we update you"), _("At least every %(days)s days", days=report["update_every_days"]))
    doc.row(_("Files"), "; ".join(_describe_file(f) for f in report["files"]) or _("None"))
    if not report["timeline"]:
        doc.row(_("Updates"), _("None yet"))
    else:
        doc.label(_("Updates"))
        for event in report["timeline"]:
            doc.paragraph(f"{uk_datetime(event['occurred_at'])}: {event['title']}"
                          + (f"\n{event['body']}" if event["body"] else ""))
    if report["victims_code"]:
        doc.label(_("What we promised you, and when"))
        for deadline in report["victims_code"]:
            due = uk_datetime(deadline["due_at"])
            doc.paragraph(_("%(promise)s: by %(due)s, done %(done)s", promise=translated(deadline["description"]),
                            due=due, done=uk_datetime(deadline["met_at"])) if deadline["met_at"] else
                          _("%(promise)s: by %(due)s, not done yet", promise=translated(deadline["description"]),
                            due=due))
    _support_pdf(doc, report["support"])
    for survey in report["surveys"]:
        kind = translated(SURVEY_KINDS.get(survey["kind"], survey["kind"]))
        doc.heading(_("Survey: %(kind)s", kind=kind), 12)
        doc.row(_("Sent"), uk_datetime(survey["invited_at"]))
        doc.row(_("Answered"), uk_datetime(survey["answered_at"]) or _("Not answered"))
        _scale_rows(doc, survey, SURVEY_QUESTIONS)
        doc.row(_("Anything else you told us"), survey["comment"])
    _check_ins_pdf(doc, report["check_ins"])


def _check_ins_pdf(doc: Document, check_ins: list[dict]) -> None:
    """The person's own check-ins on a case, with their answers."""
    for check_in in check_ins:
        if check_in["referral"]:
            doc.heading(_("Check-in %(weeks)s weeks after your referral %(reference)s", weeks=check_in["weeks"],
                          reference=check_in["referral"]), 12)
        else:
            doc.heading(_("Check-in %(weeks)s weeks after we first asked how you were coping",
                          weeks=check_in["weeks"]), 12)
        doc.row(_("Due"), uk_datetime(check_in["due_at"]))
        doc.row(_("Answered"), uk_datetime(check_in["answered_at"]) or _("Not answered"))
        _scale_rows(doc, check_in, CHECK_IN_QUESTIONS)


def _scale_rows(doc: Document, answers: dict, questions: dict) -> None:
    """Answers on a 1 to 5 scale, in the words of the question's options."""
    for key, (question, options) in questions.items():
        words = dict(options).get(str(answers[key]))
        doc.row(_(question), str(words) if words else None)


def _assessment_answer(key: str, value) -> str:
    """One needs-assessment answer in words."""
    if key in ("daily_life", "feelings"):
        return translated(IMPACT_WORDS.get(value, str(value)))
    if key == "practical_needs":
        return "; ".join(translated(PRACTICAL_NEEDS.get(need, need)) for need in value or []) or _("None")
    return _answer_text(value)


def _support_pdf(doc: Document, support: dict) -> None:
    """The needs assessments, consents and referrals of one report."""
    for assessment in support["needs_assessments"]:
        doc.heading(_("How you told us you were, %(when)s", when=uk_datetime(assessment["created_at"])), 12)
        answers = assessment["answers"] or {}
        for key, question in ASSESSMENT_QUESTIONS.items():
            if key in answers:
                doc.row(_(question), _assessment_answer(key, answers[key]))
        for key in answers.keys() - ASSESSMENT_QUESTIONS.keys():
            doc.row(key.replace("_", " ").capitalize(), _answer_text(answers[key]))
        level = translated(LEVEL_WORDS.get(assessment["recommended_level"], assessment["recommended_level"]))
        doc.row(_("The support we suggested"), _("%(level)s, and a peer-support group", level=level)
                if assessment["recommended_peer"] else level)
        doc.row(_("Why"), " ".join(translated(reason) for reason in assessment["reasons"] or []))
        chosen = assessment["chosen_level"]
        chosen_words = translated(LEVEL_WORDS.get(chosen, chosen)) if chosen else None
        if chosen_words and assessment["wants_peer"]:
            chosen_words = _("%(level)s, and a peer-support group", level=chosen_words)
        doc.row(_("The support you chose"), chosen_words or _("Not chosen yet"))
        doc.row(_("Language for support"), assessment["language"])
        needs = [words for key, words in (("interpreter", _("An interpreter")), ("bsl", _("British Sign Language")),
                                          ("easy_read", _("Easy read"))) if assessment[key]]
        doc.row(_("Help to communicate"), "; ".join(needs) or _("None"))
        access = [words for key, words in (("step_free", _("Step-free access (no stairs or steps)")),
                                           ("online_only", _("Taking part online only"))) if assessment.get(key)]
        doc.row(_("Getting to support"), "; ".join(access) or _("None"))
        doc.row(_("How to contact you"), assessment["contact_method"])
        doc.row(_("Best time to contact you"), assessment["contact_time"])
    for consent in support["consents"]:
        doc.heading(_("What you agreed to share with %(organisation)s", organisation=consent["organisation"]), 12)
        doc.row(_("What"), "; ".join(translated(SCOPE_WORDS.get(scope, scope)) for scope in consent["scopes"] or []))
        how = (_("online") if consent["source"] == "online"
               else _("told to an officer (%(officer)s)", officer=consent["given_by"] or _("you")))
        doc.row(_("Agreed"), f"{uk_datetime(consent['given_at'])}, {how}")
        doc.row(_("Withdrawn"), uk_datetime(consent["withdrawn_at"]) if consent["withdrawn_at"] else _("No"))
    for referral in support["referrals"]:
        doc.heading(_("Referral %(reference)s", reference=referral["reference"]), 12)
        doc.row(_("Organisation"), referral["organisation"])
        doc.row(_("Service"), referral["service"])
        doc.row(_("Support"), translated(LEVEL_WORDS.get(referral["support_level"], referral["support_level"])))
        doc.row(_("Status"), _status_words(referral["status"]))
        for label, key in ((N_("Sent"), "sent_at"), (N_("First contact due"), "first_contact_due_at"),
                           (N_("Accepted"), "accepted_at"), (N_("First contact"), "first_contact_at"),
                           (N_("Ended"), "closed_at")):
            if referral[key]:
                doc.row(_(label), uk_datetime(referral[key]))
        if referral["reason_code"]:
            doc.row(_("Reason or outcome"), referral["reason_code"].replace("_", " ").capitalize())
        for event in referral["history"]:
            what = _status_words(event["status"]) if event["status"] else (event["outcome"] or event["kind"])
            doc.paragraph(f"{uk_datetime(event['occurred_at'])}: {what.replace('_', ' ')}")
        for message in referral.get("messages", []):
            sender = _("You") if message["from"] == "you" else referral["organisation"]
            doc.label(_("%(sender)s, %(when)s", sender=sender, when=uk_datetime(message["sent_at"])))
            doc.paragraph(message["body"])


def _status_words(status: str) -> str:
    """A referral status in words."""
    return translated(next((words for key, words in STAFF_STATUS_NAMES.items() if key.value == status), status))


def _witness_case_pdf(doc: Document, case: dict) -> None:
    """A case the person follows as a witness: updates for witnesses, their answers about court and their own
    check-ins."""
    doc.heading(_("Crime number %(crime_number)s", crime_number=case["crime_number"]), 12)
    doc.row(_("Invitation sent to"), case["invited_email"])
    doc.row(_("Joined"), uk_datetime(case["linked_at"]))
    for event in case["updates"]:
        doc.paragraph(f"{uk_datetime(event['occurred_at'])}: {event['title']}"
                      + (f"\n{event['body']}" if event["body"] else ""))
    for answer in case["court_answers"]:
        hearing = answer["hearing"]
        answered = uk_datetime(answer["answered_at"])
        if answer["available"]:
            words = _("You can attend, answered %(when)s", when=answered)
        else:
            words = _("You cannot attend, answered %(when)s", when=answered)
        doc.row(f"{hearing['title']} ({uk_datetime(hearing['occurred_at'])})",
                words + (f": {answer['note']}" if answer["note"] else ""))
    _check_ins_pdf(doc, case["check_ins"])


def filename(extension: str) -> str:
    """The download's file name, dated."""
    return f"your-data-{utcnow().date().isoformat()}.{extension}"

