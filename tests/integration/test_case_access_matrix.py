"""Who can reach each case route: every route with a crime number, against every kind of person, in one table.

The expected outcome of every (route, person) cell is written out in EXPECTED below. One shared world is built per
test (a case owned by the victim, with an evidence file, allocated, charged, with a court hearing witnesses can see,
and a witness who joined with a code); the cells are then checked in a loop and every mismatch is reported together.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.cases.models import EvidenceFile, Report, TimelineEvent, WitnessLink
from portal.clock import utcnow
from portal.extensions import db, limiter
from portal.notifications.models import OutboxMessage
from portal.peers.enums import Decision, SupporterStatus
from portal.peers.models import PeerOffer, PeerSupporter
from portal.reporting.evidence import store_evidence
from portal.support import assessments, referrals
from portal.support.enums import Delivery
from portal.support.models import Organisation, SupportService
from portal.support.recommendation import Impact, NeedsAnswers
from portal.surveys.schedule import send_due
from portal.tasks.models import Task
from portal.tracking import services as tracking
from portal.tracking import witnesses
from portal.triage import wording
from tests.conftest import kept_for_the_module, new_user, sign_in_as
from tests.pagecheck import h1_text
from tests.peer_match_helpers import pair_with_a_peer_supporter
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report, report_state

# Outcomes -------------------------------------------------------------------------------------------------------

OK = "ok"  # GET: 200. POST: 302 back to the same case (the route's ok_location).
LOGIN = "login"  # 302 to /login
FORBIDDEN = "forbidden"  # 403
NOT_FOUND = "not_found"  # 404, the same page as for a crime number that does not exist
SHOWN = "shown"  # export: 200 and the case's crime number is in the body
HIDDEN = "hidden"  # export: 200 and the case's crime number is not in the body

# The people. "partner_consent" works for the organisation the victim referred themselves to, with consent;
# "partner_no_consent" works for another accredited organisation. Only the first may open that referral.
USERS = ("anonymous", "victim", "other_victim", "witness", "unlinked_witness", "officer", "supervisor",
         "partner_consent", "partner_no_consent", "admin", "witness_care")
ROLES = {"victim": Role.VICTIM, "other_victim": Role.VICTIM, "witness": Role.WITNESS,
         "unlinked_witness": Role.WITNESS, "officer": Role.OFFICER, "supervisor": Role.SUPERVISOR,
         "partner_consent": Role.PARTNER, "partner_no_consent": Role.PARTNER, "admin": Role.ADMIN,
         "witness_care": Role.WITNESS_CARE}


@dataclass(frozen=True)
class Route:
    """One case route as requested in the matrix."""

    name: str
    endpoint: str
    method: str
    path: str  # placeholders: {cn} {evidence} {other_evidence} {hearing} {other_event} {service} {suggestion}
    #            {other_suggestion} {consent} {other_consent} {referral} {task} {witness_link} {other_witness_link}
    #            {group} (a peer-support group of the consenting partner's organisation) {peer_offer} {peer_supporter}
    ok_location: str | None = None  # where a successful POST redirects to
    data: dict = field(default_factory=dict)


VICTIM_CASE = "/cases/{cn}"
VICTIM_UPDATES = "/cases/{cn}/updates"  # where a victim's request is answered
STAFF_CASE = "/staff/cases/{cn}"

ROUTES = [
    Route("case", "tracking.case", "GET", "/cases/{cn}"),
    Route("updates", "tracking.updates", "GET", "/cases/{cn}/updates"),
    Route("case_support", "tracking.support", "GET", "/cases/{cn}/support"),
    Route("what_you_told_us", "tracking.what_you_told_us", "GET", "/cases/{cn}/what-you-told-us"),
    Route("call_page", "tracking.ask_for_call", "GET", "/cases/{cn}/call"),
    Route("call", "tracking.ask_for_call", "POST", "/cases/{cn}/call", VICTIM_UPDATES),
    Route("visit", "tracking.answer_visit", "POST", "/cases/{cn}/visit", VICTIM_CASE),
    Route("preferences", "tracking.preferences", "GET", "/cases/{cn}/preferences"),
    Route("request_review", "tracking.make_request", "POST", "/cases/{cn}/requests/review", VICTIM_UPDATES),
    Route("request_statement", "tracking.make_request", "POST", "/cases/{cn}/requests/statement", VICTIM_UPDATES),
    Route("request_property", "tracking.make_request", "POST", "/cases/{cn}/requests/property", VICTIM_UPDATES),
    Route("summary_pdf", "tracking.summary_pdf", "GET", "/cases/{cn}/summary.pdf"),
    Route("code_rights", "tracking.code_rights", "GET", "/cases/{cn}/your-rights"),
    Route("restorative_justice", "tracking.restorative_justice", "GET", "/cases/{cn}/restorative-justice"),
    Route("add_evidence", "tracking.add_evidence", "POST", "/cases/{cn}/evidence", "/cases/{cn}/what-you-told-us"),
    Route("evidence", "tracking.evidence", "GET", "/cases/{cn}/evidence/{evidence}"),
    Route("evidence_of_other_case", "tracking.evidence", "GET", "/cases/{cn}/evidence/{other_evidence}"),
    Route("messages", "messages.victim_thread", "GET", "/cases/{cn}/messages"),
    Route("hearing_answer", "witnesses.availability", "POST", "/cases/{cn}/hearings/{hearing}", VICTIM_CASE),
    Route("hearing_answer_other_case_event", "witnesses.availability", "POST", "/cases/{cn}/hearings/{other_event}",
          VICTIM_CASE, {"available": "yes"}),
    Route("special_measures", "witness_requests.special_measures", "GET", "/cases/{cn}/special-measures"),
    Route("special_measures_send", "witness_requests.special_measures", "POST", "/cases/{cn}/special-measures",
          VICTIM_CASE, {"measures": "screen"}),
    Route("expenses", "witness_requests.expenses", "GET", "/cases/{cn}/expenses"),
    Route("expenses_send", "witness_requests.expenses", "POST", "/cases/{cn}/expenses", VICTIM_CASE,
          {"items": "travel", "amount": "12"}),
    Route("witness_contact", "witnesses.contact", "GET", "/cases/{cn}/witness-contact"),
    Route("witness_contact_send", "witnesses.contact", "POST", "/cases/{cn}/witness-contact", VICTIM_CASE,
          {"channels": "email"}),
    Route("witness_messages", "witness_messages.witness_thread", "GET", "/cases/{cn}/witness-care"),
    Route("witness_messages_send", "witness_messages.witness_thread", "POST", "/cases/{cn}/witness-care",
          "/cases/{cn}/witness-care", {"body": "Can I bring my sister on the day?"}),
    Route("staff_case", "triage.case", "GET", "/staff/cases/{cn}"),
    Route("staff_messages", "messages.staff_thread", "GET", "/staff/cases/{cn}/messages"),
    Route("claim", "triage.claim", "POST", "/staff/cases/{cn}/claim", STAFF_CASE),
    Route("assign", "triage.assign", "POST", "/staff/cases/{cn}/assign", STAFF_CASE),
    Route("decide", "triage.choose_decision", "GET", "/staff/cases/{cn}/decide"),
    Route("decide_allocate", "triage.decide", "GET", "/staff/cases/{cn}/decide/allocate"),
    Route("decide_nfi", "triage.decide", "GET", "/staff/cases/{cn}/decide/nfi"),
    Route("decide_attendance", "triage.decide", "GET", "/staff/cases/{cn}/decide/attendance"),
    Route("decide_call", "triage.decide", "GET", "/staff/cases/{cn}/decide/call"),
    Route("decide_escalate", "triage.decide", "GET", "/staff/cases/{cn}/decide/escalate"),
    Route("decide_refer", "triage.decide", "GET", "/staff/cases/{cn}/decide/refer"),
    Route("decide_information", "triage.decide", "GET", "/staff/cases/{cn}/decide/information"),
    Route("decide_duplicate", "triage.decide", "GET", "/staff/cases/{cn}/decide/duplicate"),
    Route("update", "triage.update", "GET", "/staff/cases/{cn}/update"),
    Route("enhanced_rights", "triage.enhanced_rights", "GET", "/staff/cases/{cn}/enhanced-rights"),
    Route("correction", "triage.correction", "GET", "/staff/cases/{cn}/correction"),
    Route("staff_evidence", "triage.evidence", "GET", "/staff/cases/{cn}/evidence/{evidence}"),
    Route("staff_evidence_of_other_case", "triage.evidence", "GET", "/staff/cases/{cn}/evidence/{other_evidence}"),
    Route("witnesses", "witnesses.invite", "GET", "/staff/cases/{cn}/witnesses"),
    Route("change_hearing", "witnesses.change_hearing", "GET", "/staff/cases/{cn}/hearings/{hearing}"),
    Route("change_hearing_send", "witnesses.change_hearing", "POST", "/staff/cases/{cn}/hearings/{hearing}",
          "/staff/cases/{cn}/witnesses", {"change": "adjourned"}),
    Route("witness_care_messages", "witness_messages.witness_care_thread", "GET",
          "/staff/cases/{cn}/witnesses/{witness_link}/messages"),
    Route("witness_care_messages_other_case", "witness_messages.witness_care_thread", "GET",
          "/staff/cases/{cn}/witnesses/{other_witness_link}/messages"),
    Route("witness_care_reply", "witness_messages.witness_care_thread", "POST",
          "/staff/cases/{cn}/witnesses/{witness_link}/messages", "/staff/cases/{cn}/witnesses/{witness_link}/messages",
          {"body": "Yes, she can wait with you."}),
    Route("export", "data_rights.download_json", "GET", "/account/data/download.json"),
    Route("support_assessment", "support.assessment", "GET", "/support/{cn}/assessment"),
    Route("support_choose", "support.choose", "GET", "/support/{cn}/choose"),
    Route("support_services", "support.services", "GET", "/support/{cn}/services"),
    Route("support_refer", "support.refer", "GET", "/support/{cn}/refer/{service}"),
    Route("support_suggestion", "support.suggestion", "GET", "/support/{cn}/suggestions/{suggestion}"),
    Route("support_suggestion_of_other_case", "support.suggestion", "GET",
          "/support/{cn}/suggestions/{other_suggestion}"),
    Route("support_consents", "support.consents", "GET", "/support/{cn}/consents"),
    Route("support_withdraw", "support.withdraw", "GET", "/support/{cn}/consents/{consent}/withdraw"),
    Route("support_withdraw_other_case", "support.withdraw", "GET",
          "/support/{cn}/consents/{other_consent}/withdraw"),
    # Sharing how the case is going, the messages with the support worker, and what the partner sees of them.
    Route("support_progress_sharing", "support.progress_sharing", "POST", "/support/{cn}/consents/{consent}/progress",
          "/support/{cn}/consents", {"share": "yes"}),
    Route("support_progress_sharing_other_case", "support.progress_sharing", "POST",
          "/support/{cn}/consents/{other_consent}/progress", "/support/{cn}/consents", {"share": "yes"}),
    Route("support_messages", "messages.support_thread", "GET", "/cases/{cn}/support/{referral}/messages"),
    Route("support_messages_send", "messages.support_thread", "POST", "/cases/{cn}/support/{referral}/messages",
          "/cases/{cn}/support/{referral}/messages", {"body": "Can we talk on Tuesday?"}),
    Route("partner_progress", "partners.progress", "GET", "/partner/referrals/{referral}/progress"),
    Route("partner_messages", "messages.partner_thread", "GET", "/partner/referrals/{referral}/messages"),
    Route("partner_messages_send", "messages.partner_thread", "POST", "/partner/referrals/{referral}/messages",
          "/partner/referrals/{referral}/messages", {"body": "I will call you on Tuesday."}),
    Route("staff_new_referral", "support_staff.new_referral", "GET", "/staff/cases/{cn}/referrals/new"),
    Route("staff_record_consent", "support_staff.record_consent", "GET",
          "/staff/cases/{cn}/referrals/{suggestion}/consent"),
    Route("staff_record_consent_other_case", "support_staff.record_consent", "GET",
          "/staff/cases/{cn}/referrals/{other_suggestion}/consent"),
    Route("partner_referral", "partners.referral", "GET", "/partner/referrals/{referral}"),
    Route("partner_concern", "partners.concern", "GET", "/partner/referrals/{referral}/concern"),
    Route("partner_concern_send", "partners.concern", "POST", "/partner/referrals/{referral}/concern",
          "/partner/referrals/{referral}", {"concern": "She said her ex-partner has her new address."}),
    # A peer-support group's members and waiting list: its own organisation's partner only; another organisation's
    # partner gets the 404 of a group that does not exist.
    Route("partner_group_members", "partners.group_members", "GET", "/partner/services/{group}/members"),
    Route("partner_group_waiting_list", "partners.group_waiting_list", "GET",
          "/partner/services/{group}/waiting-list"),
    Route("partner_group_meeting", "partners.group_meeting", "GET", "/partner/services/{group}/meetings"),
    # Peer supporters (issue 24): the victim's or witness's own offer to help others, from any of their cases (another
    # witness or victim gets the 404 of a case that does not exist); the organisation's
    # record of an offer ({peer_offer}, new) and of a peer supporter ({peer_supporter}, accepted): its own
    # organisation's partner only, another organisation's gets the 404 of a record that does not exist.
    Route("peer_support", "peers.your_offer", "GET", "/cases/{cn}/peer-support"),
    Route("peer_support_offer", "peers.offer", "POST", "/cases/{cn}/peer-support/offer", "/cases/{cn}/peer-support",
          {"categories": "bicycle_theft", "languages": "en", "availability": "weekends", "delivery": "online",
           "first_name": "Robin"}),
    Route("peer_support_share", "peers.share", "POST", "/cases/{cn}/peer-support/share", "/cases/{cn}/peer-support",
          {"agree": "yes"}),
    Route("peer_support_withdraw", "peers.withdraw", "GET", "/cases/{cn}/peer-support/withdraw"),
    Route("partner_peer_offer", "peer_partners.offer", "GET", "/partner/peer-offers/{peer_offer}"),
    Route("partner_peer_decline", "peer_partners.decline", "GET", "/partner/peer-offers/{peer_offer}/decline"),
    Route("partner_peer_checks", "peer_partners.checks", "POST", "/partner/peer-offers/{peer_offer}/checks",
          "/partner/peer-offers/{peer_offer}"),
    Route("partner_peer_accept", "peer_partners.accept", "POST", "/partner/peer-offers/{peer_offer}/accept",
          "/partner/peer-offers/{peer_offer}"),
    Route("partner_peer_supporter", "peer_partners.offer", "GET", "/partner/peer-offers/{peer_supporter}"),
    Route("partner_peer_status", "peer_partners.status", "POST", "/partner/peer-offers/{peer_supporter}/status",
          "/partner/peer-offers/{peer_supporter}", {"status": "paused"}),
    Route("survey", "surveys.survey", "GET", "/cases/{cn}/surveys/after_decision"),
    Route("survey_answer", "surveys.survey", "POST", "/cases/{cn}/surveys/after_decision", VICTIM_CASE,
          {"overall": "4"}),
    Route("check_in", "surveys.check_in", "GET", "/cases/{cn}/check-ins/0"),
    Route("check_in_answer", "surveys.check_in", "POST", "/cases/{cn}/check-ins/0", VICTIM_CASE, {"coping": "4"}),
    # The witness's own check-in (on their own referral): theirs alone; the case's victim, another witness and
    # another victim get the 404 of a check-in that does not exist.
    Route("witness_check_in", "surveys.witness_check_in", "GET", "/cases/{cn}/witness-check-ins/0"),
    Route("witness_check_in_answer", "surveys.witness_check_in", "POST", "/cases/{cn}/witness-check-ins/0",
          VICTIM_CASE, {"coping": "4"}),
    # Tasks: the victim's request on this case, as staff see it.
    Route("task_queue", "tasks.queue", "GET", "/staff/tasks/"),
    Route("task", "tasks.task", "GET", "/staff/tasks/{task}"),
    Route("task_claim", "tasks.claim", "POST", "/staff/tasks/{task}/claim", "/staff/tasks/{task}"),
    Route("task_assign", "tasks.assign", "POST", "/staff/tasks/{task}/assign", "/staff/tasks/{task}"),
]
# One-to-one peer support (issue 24): the victim's pairing on their referral for it ({peer_referral}); the peer
# supporter's side of the conversation ({peer_match}: the other victim is the peer supporter, and never reaches the
# victim's case; a witness peer supporter uses the same pages, and another's conversation is 'not found' for any
# witness or victim); the organisation's pairing page, its pause and resume, and its concerns ({peer_concern}).
PEER_PERSON = "/cases/{cn}/support/{peer_referral}/peer-supporter"
PEER_SUPPORTER = "/peer-conversations/{peer_match}"
PEER_PARTNER = "/partner/referrals/{peer_referral}/peer-supporter"
ROUTES += [
    Route("peer_match_person", "peer_matches.person", "GET", PEER_PERSON),
    Route("peer_match_person_send", "peer_matches.person", "POST", PEER_PERSON, PEER_PERSON, {"body": "Hello Jo"}),
    Route("peer_match_answer", "peer_matches.answer", "POST", PEER_PERSON + "/answer", PEER_PERSON,
          {"agree": "yes", "first_name": "Sam"}),
    Route("peer_match_person_share", "peer_matches.person_share", "POST", PEER_PERSON + "/share", PEER_PERSON,
          {"contact": "sam@example.org"}),
    Route("peer_match_person_stop_sharing", "peer_matches.person_stop_sharing", "POST", PEER_PERSON + "/stop-sharing",
          PEER_PERSON),
    Route("peer_match_person_end", "peer_matches.person_end", "GET", PEER_PERSON + "/end"),
    Route("peer_match_person_concern", "peer_matches.person_concern", "GET", PEER_PERSON + "/concern"),
    Route("peer_match_conversations", "peer_matches.conversations_list", "GET", "/peer-conversations"),
    Route("peer_match_conversation", "peer_matches.conversation", "GET", PEER_SUPPORTER),
    Route("peer_match_conversation_send", "peer_matches.conversation", "POST", PEER_SUPPORTER, PEER_SUPPORTER,
          {"body": "Hello Sam"}),
    Route("peer_match_supporter_share", "peer_matches.supporter_share", "POST", PEER_SUPPORTER + "/share",
          PEER_SUPPORTER, {"contact": "07700 900123"}),
    Route("peer_match_supporter_stop_sharing", "peer_matches.supporter_stop_sharing", "POST",
          PEER_SUPPORTER + "/stop-sharing", PEER_SUPPORTER),
    Route("peer_match_supporter_end", "peer_matches.supporter_end", "GET", PEER_SUPPORTER + "/end"),
    Route("peer_match_supporter_concern", "peer_matches.supporter_concern", "GET", PEER_SUPPORTER + "/concern"),
    Route("peer_match_partner", "peer_matches.partner", "GET", PEER_PARTNER),
    Route("peer_match_partner_conversation", "peer_matches.partner_conversation", "GET",
          PEER_PARTNER + "/conversation"),
    Route("peer_match_pause", "peer_matches.pause", "POST", PEER_PARTNER + "/pause", PEER_PARTNER),
    Route("peer_match_resume", "peer_matches.resume", "POST", PEER_PARTNER + "/resume", PEER_PARTNER),
    Route("peer_match_concerns", "peer_matches.concerns", "GET", "/partner/peer-concerns"),
    Route("peer_match_concern", "peer_matches.concern", "GET", "/partner/peer-concerns/{peer_concern}"),
]
ROUTES_BY_NAME = {route.name: route for route in ROUTES}

# The expected outcome of every cell. Columns, in order:
#   anonymous  victim  other_victim  witness  unlinked_witness  officer  supervisor  partner_consent  partner_no_consent
#   admin  witness_care (the last column is added below the table)
_L, _OK, _403, _404, _SH, _HI = LOGIN, OK, FORBIDDEN, NOT_FOUND, SHOWN, HIDDEN
_ROWS = {
    #                                 anon victim other witness unlinked officer super partnerC partnerN admin
    "case":                            (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "updates":                         (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "case_support":                    (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "what_you_told_us":                (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "call_page":                       (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "call":                            (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "visit":                           (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "preferences":                     (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "request_review":                  (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "request_statement":               (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "request_property":                (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "summary_pdf":                     (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "code_rights":                     (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "restorative_justice":             (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "add_evidence":                    (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "evidence":                        (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "evidence_of_other_case":          (_L, _404, _404, _403, _403, _403, _403, _403, _403, _403),
    "messages":                        (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "hearing_answer":                  (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "hearing_answer_other_case_event": (_L, _404, _404, _404, _404, _403, _403, _403, _403, _403),
    "special_measures":                (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "special_measures_send":           (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "expenses":                        (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "expenses_send":                   (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "witness_contact":                 (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "witness_contact_send":            (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "witness_messages":                (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "witness_messages_send":           (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "staff_case":                      (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "staff_messages":                  (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "claim":                           (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "assign":                          (_L, _403, _403, _403, _403, _403, _OK, _403, _403, _403),
    "decide":                          (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_allocate":                 (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_nfi":                      (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_attendance":               (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_call":                     (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_escalate":                 (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_refer":                    (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_information":              (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "decide_duplicate":                (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "update":                          (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "enhanced_rights":                 (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "correction":                      (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "staff_evidence":                  (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "staff_evidence_of_other_case":    (_L, _403, _403, _403, _403, _404, _404, _403, _403, _403),
    "witnesses":                       (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "change_hearing":                  (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "change_hearing_send":             (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "witness_care_messages":           (_L, _403, _403, _403, _403, _403, _403, _403, _403, _403),
    "witness_care_messages_other_case": (_L, _403, _403, _403, _403, _403, _403, _403, _403, _403),
    "witness_care_reply":              (_L, _403, _403, _403, _403, _403, _403, _403, _403, _403),
    "export":                          (_L, _SH, _HI, _SH, _HI, _403, _403, _403, _403, _403),
    "support_assessment":              (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "support_choose":                  (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "support_services":                (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "support_refer":                   (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "support_suggestion":              (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "support_suggestion_of_other_case": (_L, _404, _404, _403, _403, _403, _403, _403, _403, _403),
    "support_consents":                (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "support_withdraw":                (_L, _OK, _404, _404, _404, _403, _403, _403, _403, _403),
    "support_withdraw_other_case":     (_L, _404, _404, _404, _404, _403, _403, _403, _403, _403),
    "support_progress_sharing":        (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "support_progress_sharing_other_case": (_L, _404, _404, _403, _403, _403, _403, _403, _403, _403),
    "support_messages":                (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "support_messages_send":           (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "partner_progress":                (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_messages":                (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_messages_send":           (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "staff_new_referral":              (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "staff_record_consent":            (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "staff_record_consent_other_case": (_L, _403, _403, _403, _403, _404, _404, _403, _403, _403),
    "partner_referral":                (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_concern":                 (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_concern_send":            (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_group_members":           (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_group_waiting_list":      (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_group_meeting":           (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "peer_support":                    (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "peer_support_offer":              (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "peer_support_share":              (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "peer_support_withdraw":           (_L, _OK, _404, _OK, _404, _403, _403, _403, _403, _403),
    "partner_peer_offer":              (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_peer_decline":            (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_peer_checks":             (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_peer_accept":             (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_peer_supporter":          (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "partner_peer_status":             (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "survey":                          (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "survey_answer":                   (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "check_in":                        (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "check_in_answer":                 (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "witness_check_in":                (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "witness_check_in_answer":         (_L, _404, _404, _OK, _404, _403, _403, _403, _403, _403),
    "task_queue":                      (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "task":                            (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "task_claim":                      (_L, _403, _403, _403, _403, _OK, _OK, _403, _403, _403),
    "task_assign":                     (_L, _403, _403, _403, _403, _403, _OK, _403, _403, _403),
}  # fmt: skip
_ROWS.update({
    #                                 anon victim other witness unlinked officer super partnerC partnerN admin
    "peer_match_person":               (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "peer_match_person_send":          (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "peer_match_answer":               (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "peer_match_person_share":         (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "peer_match_person_stop_sharing":  (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "peer_match_person_end":           (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "peer_match_person_concern":       (_L, _OK, _404, _403, _403, _403, _403, _403, _403, _403),
    "peer_match_conversations":        (_L, _OK, _OK, _OK, _OK, _403, _403, _403, _403, _403),
    "peer_match_conversation":         (_L, _404, _OK, _404, _404, _403, _403, _403, _403, _403),
    "peer_match_conversation_send":    (_L, _404, _OK, _404, _404, _403, _403, _403, _403, _403),
    "peer_match_supporter_share":      (_L, _404, _OK, _404, _404, _403, _403, _403, _403, _403),
    "peer_match_supporter_stop_sharing": (_L, _404, _OK, _404, _404, _403, _403, _403, _403, _403),
    "peer_match_supporter_end":        (_L, _404, _OK, _404, _404, _403, _403, _403, _403, _403),
    "peer_match_supporter_concern":    (_L, _404, _OK, _404, _404, _403, _403, _403, _403, _403),
    "peer_match_partner":              (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "peer_match_partner_conversation": (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "peer_match_pause":                (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "peer_match_resume":               (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
    "peer_match_concerns":             (_L, _403, _403, _403, _403, _403, _403, _OK, _OK, _403),
    "peer_match_concern":              (_L, _403, _403, _403, _403, _403, _403, _OK, _404, _403),
})  # fmt: skip
# The last column, the Witness Care Unit: the witness side of any case and witness care's tasks, nothing else. The
# world's task is the victim's call-back, which it may not open (404, as for a task that does not exist). Only witness
# care read and answer witnesses' messages; another case's witness under this case's number is "not found".
WITNESS_CARE_COLUMN = {"task_queue": OK, "task": NOT_FOUND, "task_claim": NOT_FOUND, "witnesses": OK,
                       "change_hearing": OK, "change_hearing_send": OK, "witness_care_messages": OK,
                       "witness_care_messages_other_case": NOT_FOUND, "witness_care_reply": OK}
_ROWS = {name: (*row, WITNESS_CARE_COLUMN.get(name, FORBIDDEN)) for name, row in _ROWS.items()}
EXPECTED = {(route, user): outcome for route, row in _ROWS.items() for user, outcome in zip(USERS, row, strict=True)}


# The shared world ----------------------------------------------------------------------------------------------


@dataclass
class World:
    """One case followed by a victim and a witness, and the people who try to reach it."""

    crime_number: str
    other_crime_number: str
    ids: dict
    users: dict

    def url(self, route: Route, crime_number: str | None = None) -> str:
        """The route's address for this case (or for another crime number)."""
        return route.path.format(cn=crime_number or self.crime_number, **self.ids)


def png_bytes() -> bytes:
    """A tiny PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def attach_evidence(app, crime_number: str) -> int:
    """Store a real file in the evidence folder and attach it to the report; returns the EvidenceFile id."""
    with app.app_context():
        stored = store_evidence(png_bytes(), "photo.png")
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        item = EvidenceFile(report_id=report.id, storage_key=stored.storage_key, original_name=stored.original_name,
                            content_type=stored.content_type, size_bytes=stored.size_bytes, sha256=stored.sha256)
        db.session.add(item)
        db.session.commit()
        return item.id


def staff_post(app, officer_client, crime_number: str, path: str, data: dict):
    """Post a staff form with the report's current version; the action must succeed (redirect to the case)."""
    response = officer_client.post(path, data={"version": str(report_state(app, crime_number).version), **data})
    assert response.status_code == 302, f"{path} was refused: {response.status_code}"
    return response


def happened_yesterday() -> dict:
    """The 'when it happened' fields of an update."""
    when = utcnow() - timedelta(days=1)
    return {"happened_date-day": str(when.day), "happened_date-month": str(when.month),
            "happened_date-year": str(when.year), "happened_time": "09:00"}


def allocate_charge_and_list_hearing(app, officer_client, officer: User, crime_number: str,
                                     allocate_text: str = "", charged_text: str = "") -> None:
    """Allocate the case, record a charge (victim only) and a court hearing witnesses can see."""
    cases = f"/staff/cases/{crime_number}"
    staff_post(app, officer_client, crime_number, f"{cases}/decide/allocate",
               {"officer": str(officer.id), "body": allocate_text})
    staff_post(app, officer_client, crime_number, f"{cases}/update",
               {**happened_yesterday(), "status": "charged", "victim": "y", "body": charged_text})
    day = utcnow().date() + timedelta(days=20)
    staff_post(app, officer_client, crime_number, f"{cases}/update", {
        **happened_yesterday(), "status": "court_hearing_scheduled", "victim": "y", "witness": "y",
        "hearing_place": "Wood Green Crown Court", "hearing_date-day": str(day.day),
        "hearing_date-month": str(day.month), "hearing_date-year": str(day.year), "hearing_time": "10:00"})


def invite_and_join(app, officer_client, witness: User, crime_number: str) -> None:
    """The officer invites a witness, who joins with the crime number and the code."""
    officer_client.post(f"/staff/cases/{crime_number}/witnesses", data={"email": "wit@example.org"})
    html = officer_client.get(f"/staff/cases/{crime_number}/witnesses").get_data(as_text=True)
    code = re.search(r"The code is ([A-Z0-9]{8})", html).group(1)
    witness_client = app.test_client()
    sign_in_as(witness_client, witness)
    joined = witness_client.post("/cases/join", data={"crime_number": crime_number, "code": code})
    assert joined.headers.get("Location") == f"/cases/{crime_number}", "the witness could not join"


@pytest.fixture(scope="module")
def world(app, tmp_path_factory) -> Iterator[World]:
    """The shared case: owned by the victim, with evidence, allocated, charged, a witness-visible hearing, a witness.

    Made once for the module's tests (each is rolled back to it): the matrix and the not-yours tests are 78, and
    making the case for each took 10 seconds of a run."""
    with kept_for_the_module(app), pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path_factory.mktemp("evidence")))
        yield make_world(app)


def make_world(app) -> World:
    """Make the shared case and its people."""
    users = {"anonymous": None, **{kind: new_user(app, role) for kind, role in ROLES.items()}}
    officer_client = app.test_client()
    sign_in_as(officer_client, users["officer"])
    crime_number = make_report(app, user=users["victim"])
    other_crime_number = make_report(app, user=users["other_victim"])
    evidence_id = attach_evidence(app, crime_number)
    other_evidence_id = attach_evidence(app, other_crime_number)
    allocate_charge_and_list_hearing(app, officer_client, users["officer"], crime_number)
    invite_and_join(app, officer_client, users["witness"], crime_number)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        other = db.session.scalar(select(Report).where(Report.crime_number == other_crime_number))
        assert report.status == CaseStatus.COURT_HEARING_SCHEDULED
        assert db.session.scalar(select(WitnessLink.witness_user_id).where(WitnessLink.report_id == report.id)) \
            == users["witness"].id
        hearing_id = db.session.scalar(select(TimelineEvent.id).where(
            TimelineEvent.report_id == report.id, TimelineEvent.reason_code == "court_hearing_scheduled"))
        other_event_id = db.session.scalar(select(TimelineEvent.id).where(TimelineEvent.report_id == other.id))
        support_ids = refer_both_cases(users, report.id, other.id)
        support_ids.update(pair_with_a_peer_supporter(users, report.id, other.id))
        # The witness's own support: an assessment and a choice, so their support pages open (the victim's consent
        # is not theirs: withdrawing it is "not found" for them).
        witness = db.session.get(User, users["witness"].id)
        link = db.session.scalar(select(WitnessLink).where(WitnessLink.report_id == report.id))
        own = assessments.save_assessment(witness, report, NeedsAnswers(daily_life=Impact.A_LITTLE), witness_link=link)
        assessments.choose_level(witness, own, "contact", peer=False)
        # ... and their own referral with consent, whose first check-in the survey job offers them (theirs only).
        talk = db.session.scalar(select(SupportService).where(SupportService.name == "Talk it through"))
        referrals.refer_with_consent(witness, report, talk, "contact", ["category_and_dates"], link)
        send_due()
        # The witness's own offer to help others (issue 24), made directly like the victims' below: theirs to see
        # and withdraw; any other witness or victim gets "not found".
        db.session.add(PeerOffer(user_id=witness.id, report_id=report.id, witness_link_id=link.id, first_name="Ari",
                                 categories=["bicycle_theft"], languages=["en"], availability=["weekends"],
                                 delivery=Delivery.ONLINE, borough="Camden", consented_at=utcnow()))
        db.session.commit()
        tracking.ask_for_call(db.session.get(User, users["victim"].id), report, "Evenings, please")
        task_id = db.session.scalar(select(Task.id).where(Task.report_id == report.id))
        witness_link_id = db.session.scalar(select(WitnessLink.id).where(WitnessLink.report_id == report.id))
        witnesses.invite_witness(db.session.get(User, users["officer"].id), other, "other-wit@example.org")
        other_witness_link_id = db.session.scalar(select(WitnessLink.id).where(WitnessLink.report_id == other.id))
    return World(crime_number, other_crime_number,
                 {"evidence": evidence_id, "other_evidence": other_evidence_id, "hearing": hearing_id,
                  "other_event": other_event_id, "task": task_id, "witness_link": witness_link_id,
                  "other_witness_link": other_witness_link_id, **support_ids}, users)


def refer_both_cases(users: dict, report_id: int, other_report_id: int) -> dict:
    """Support on both cases: the victim's own assessment and choice, a referral with consent to the consenting
    partner's organisation, and an officer's suggestion; the other victim's referral and suggestion likewise.
    Runs inside the world's app context."""
    charity = make_organisation("Consented Charity")
    make_organisation("Another Charity")
    for kind, name in (("partner_consent", "Consented Charity"), ("partner_no_consent", "Another Charity")):
        partner = db.session.get(User, users[kind].id)
        partner.organisation_id = db.session.scalar(select(Organisation.id).where(Organisation.name == name))
    db.session.commit()
    service = make_service(charity, "Talk it through")
    group = make_peer_group(charity, "Thursday group")
    spare = make_service(charity, "Practical help")
    officer = db.session.get(User, users["officer"].id)
    victim, other_victim = db.session.get(User, users["victim"].id), db.session.get(User, users["other_victim"].id)
    report, other = db.session.get(Report, report_id), db.session.get(Report, other_report_id)
    assessment = assessments.save_assessment(victim, report, NeedsAnswers(daily_life=Impact.QUITE_A_LOT))
    assessments.choose_level(victim, assessment, "contact", peer=True)
    scopes = ["category_and_dates", "contact_details", "progress"]
    referral = referrals.refer_with_consent(victim, report, service, "contact", scopes)
    other_referral = referrals.refer_with_consent(other_victim, other, service, "contact", scopes)
    send_due()  # the after-decision survey and the first check-in, on both cases
    suggestion = referrals.propose_referral(officer, report, group, "peer")
    other_suggestion = referrals.propose_referral(officer, other, group, "peer")
    peer_ids = peer_offers(charity, victim, report, other_victim, other)
    return {**peer_ids, "service": spare.id, "suggestion": suggestion.id, "other_suggestion": other_suggestion.id,
            "consent": referral.consent_id, "other_consent": other_referral.consent_id,
            "referral": referral.reference, "group": group.id}


def peer_offers(charity, victim, report, other_victim, other) -> dict:
    """The victim's offer to help others, accepted by the consenting partner's organisation (a peer supporter), and
    the other victim's offer, new there. Made directly: the world's victims are not yet eligible to offer."""
    now = utcnow()
    ids = {}
    for name, person, case, decision in (("peer_supporter", victim, report, Decision.ACCEPTED),
                                         ("peer_offer", other_victim, other, Decision.NEW)):
        offer = PeerOffer(user_id=person.id, report_id=case.id, first_name="Robin", categories=["bicycle_theft"],
                          languages=["en"], availability=["weekends"], delivery=Delivery.ONLINE, borough="Camden",
                          consented_at=now)
        db.session.add(offer)
        db.session.flush()
        held = PeerSupporter(offer_id=offer.id, organisation_id=charity.id, decision=decision,
                             status=SupporterStatus.ACTIVE if decision == Decision.ACCEPTED else None)
        db.session.add(held)
        db.session.flush()
        ids[name] = held.id
    db.session.commit()
    return ids


def client_for(app, world: World, user_kind: str):
    """A test client signed in as this kind of person (or not signed in)."""
    client = app.test_client()
    if world.users[user_kind] is not None:
        sign_in_as(client, world.users[user_kind])
    return client


def request(client, world: World, route: Route, crime_number: str | None = None):
    """Make the route's request (POSTs carry harmless data: access is what is checked)."""
    url = world.url(route, crime_number)
    if route.method == "POST":
        return client.post(url, data=dict(route.data))
    return client.get(url)


def observed(response, route: Route, world: World) -> str:
    """The response as one of the outcomes, or a description of what else it was."""
    status = response.status_code
    location = urlsplit(response.headers.get("Location", "")).path
    if status == 302 and location == "/login":
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if route.name == "export" and status == 200:
        return SHOWN if world.crime_number in response.get_data(as_text=True) else HIDDEN
    if route.method == "GET" and status == 200:
        return OK
    if route.method == "POST" and status == 302 and location == route.ok_location.format(cn=world.crime_number,
                                                                                          **world.ids):
        return OK
    return f"{status} {location}".strip()


# The tests -----------------------------------------------------------------------------------------------------


def test_the_matrix_covers_every_case_route(app):
    """Every route that takes a crime number has a row in the table, so a new route cannot be forgotten."""
    case_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "crime_number" in rule.arguments}
    assert case_endpoints - {route.endpoint for route in ROUTES} == set()
    assert set(_ROWS) == set(ROUTES_BY_NAME)


@pytest.mark.parametrize("user_kind", USERS)
def test_case_access_matrix(app, world, user_kind):
    """Each person gets exactly the expected outcome on every case route (the table above)."""
    client = client_for(app, world, user_kind)
    mismatches = []
    for route in ROUTES:
        expected = EXPECTED[(route.name, user_kind)]
        with request(client, world, route) as response:  # closes send_file's open evidence file
            got = observed(response, route, world)
        if got != expected:
            mismatches.append((route.method, world.url(route), user_kind, expected, got))
    if mismatches:
        lines = [f"{'method':6} {'url':60} {'user':18} {'expected':10} got"]
        lines += [f"{m:6} {u:60} {k:18} {e:10} {g}" for m, u, k, e, g in mismatches]
        print("\n".join(lines))
    assert mismatches == [], "\n" + "\n".join(f"{m} {u} as {k}: expected {e}, got {g}" for m, u, k, e, g in mismatches)


PUBLIC_ACCOUNT_KINDS = ("victim", "other_victim", "witness", "unlinked_witness")
NOT_YOURS_ROUTES = [name for name in _ROWS if EXPECTED[(name, "other_victim")] == NOT_FOUND]


@pytest.mark.parametrize("route_name", NOT_YOURS_ROUTES)
def test_not_yours_looks_exactly_like_does_not_exist(app, world, route_name):
    """Another person's real case answers with the same 404 status and <h1> as a made-up crime number."""
    route = ROUTES_BY_NAME[route_name]
    made_up = "CR-26-9999999-X"
    compared = 0
    for user_kind in PUBLIC_ACCOUNT_KINDS:
        if EXPECTED[(route.name, user_kind)] != NOT_FOUND:
            continue
        client = client_for(app, world, user_kind)
        with request(client, world, route) as real, request(client, world, route, made_up) as fake:
            assert (real.status_code, h1_text(real)) == (fake.status_code, h1_text(fake)), \
                f"{route.name} as {user_kind}: real case vs made-up crime number differ"
            assert real.status_code == 404 and h1_text(real), f"{route.name} as {user_kind}: not a 404 page"
        compared += 1
    assert compared, f"no person in the table gets 404 on {route.name}"


# What a witness sees -------------------------------------------------------------------------------------------

MARKERS = {
    "name": "Zebedee Quillfeather",
    "email": "zebedee.marker@example.org",
    "phone": "07700 900461",
    "description": "MARKER-DESCRIPTION my flat on Larkspur Road",
    "location": "MARKER-LOCATION 12 Larkspur Road",
    "suspect": "MARKER-SUSPECT tall with a red scarf",
    "other_witnesses": "MARKER-OTHER-WITNESSES my neighbour Pru",
    "decision": "MARKER-DECISION-TEXT officer Dunne will handle this",
    "escalation": "MARKER-ESCALATION-NOTE partner has made threats",
    "correction": "MARKER-CORRECTION the time was 11pm",
    "correction_reason": "MARKER-CORRECTION-REASON victim phoned in",
    "charged": "MARKER-CHARGED-TEXT charged with burglary, bail conditions apply",
    "added_information": "MARKER-ADDED-INFORMATION I remembered the vans plate",
    "call_note": "MARKER-CALL-NOTE call after 6pm only",
    "staff_message": "MARKER-STAFF-MESSAGE we have the CCTV",
    "safe_times": "MARKER-SAFE-TIMES weekday mornings",
}
INTERNAL_OR_VICTIM_TITLES = (
    "We received your report", wording.DECISIONS["allocate"].title, "Escalated to the safeguarding route",
    "Correction recorded", wording.KEY_EVENTS[CaseStatus.CHARGED].title, "You added information",
    "You asked us to call you", "You changed how we keep in touch",
)


def test_witness_view_is_redacted(app, make_user, tmp_path, monkeypatch):
    """The witness's case page (and their data export) shows the hearing and none of the victim's or staff's text."""
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    officer, victim, witness = make_user(Role.OFFICER), make_user(Role.VICTIM), make_user(Role.WITNESS)
    officer_client, victim_client, witness_client = app.test_client(), app.test_client(), app.test_client()
    sign_in_as(officer_client, officer)
    sign_in_as(victim_client, victim)
    sign_in_as(witness_client, witness)
    crime_number = make_report(app, user=victim, contact_name=MARKERS["name"], contact_email=MARKERS["email"],
                               contact_phone=MARKERS["phone"], description=MARKERS["description"],
                               location=MARKERS["location"], suspect_description=MARKERS["suspect"],
                               other_witnesses=MARKERS["other_witnesses"])
    cases = f"/staff/cases/{crime_number}"

    staff_post(app, officer_client, crime_number, f"{cases}/decide/allocate",
               {"officer": str(officer.id), "body": MARKERS["decision"]})
    staff_post(app, officer_client, crime_number, f"{cases}/decide/escalate", {"body": MARKERS["escalation"]})
    staff_post(app, officer_client, crime_number, f"{cases}/correction",
               {"correction": MARKERS["correction"], "reason": MARKERS["correction_reason"]})
    staff_post(app, officer_client, crime_number, f"{cases}/update",
               {**happened_yesterday(), "status": "charged", "victim": "y", "body": MARKERS["charged"]})
    day = utcnow().date() + timedelta(days=20)
    staff_post(app, officer_client, crime_number, f"{cases}/update", {
        **happened_yesterday(), "status": "court_hearing_scheduled", "victim": "y", "witness": "y",
        "hearing_place": "Wood Green Crown Court", "hearing_date-day": str(day.day),
        "hearing_date-month": str(day.month), "hearing_date-year": str(day.year), "hearing_time": "10:00"})
    assert officer_client.post(f"{cases}/messages", data={"body": MARKERS["staff_message"]}).status_code == 302
    assert victim_client.post(f"/cases/{crime_number}/messages", data={
        "body": MARKERS["added_information"], "adds_information": "y"}).status_code == 302
    assert victim_client.post(f"/cases/{crime_number}/call", data={"note": MARKERS["call_note"]}).status_code == 302
    assert victim_client.post(f"/cases/{crime_number}/preferences", data={
        "every_days": "14", "channels": ["email"], "safe_times": MARKERS["safe_times"], "voicemail": "no",
        "neutral_sender": "yes", "quiet_from": "", "quiet_until": ""}).status_code == 302
    invite_and_join(app, officer_client, witness, crime_number)

    # Every marker really was recorded somewhere the victim or the police can see it, so its absence below means
    # something.
    seen_by_others = "".join(page.get_data(as_text=True) for page in (
        victim_client.get(f"/cases/{crime_number}/updates"), victim_client.get(f"/cases/{crime_number}/messages"),
        victim_client.get(f"/cases/{crime_number}/preferences"), officer_client.get(cases)))
    assert [m for m in MARKERS.values() if m not in seen_by_others] == []

    page = witness_client.get(f"/cases/{crime_number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Wood Green Crown Court" in html
    assert wording.KEY_EVENTS[CaseStatus.COURT_HEARING_SCHEDULED].title in html
    assert {k: m for k, m in MARKERS.items() if m in html} == {}
    assert [t for t in INTERNAL_OR_VICTIM_TITLES if t in html] == []

    export = witness_client.get("/account/data/download.json").get_data(as_text=True)
    assert crime_number in export and "Wood Green Crown Court" in export
    assert {k: m for k, m in MARKERS.items() if m in export} == {}


# Following a case with a code (/track) ---------------------------------------------------------------------------

TRACK_REFUSED = "The code is wrong or has expired"


def tracking_code_for(app, crime_number: str) -> str:
    """Ask /track for a code for this case (from a fresh browser) and read it from the outbox."""
    limiter.reset()  # code requests are limited per address, and the matrix's tests all come from one
    app.test_client().post("/track", data={"crime_number": crime_number})
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "tracking_code")
                                  .order_by(OutboxMessage.id.desc())).first().body_text
    return re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", body).group(1)


def timeline_titles(response) -> list[str]:
    """The event titles of a case page's timeline."""
    html = response.get_data(as_text=True)
    timeline = html[html.index('id="timeline"'):]
    timeline = timeline[:timeline.index("</ol>")]
    return [title.strip() for title in re.findall(r"<h3[^>]*>([^<]*)</h3>", timeline)]


def test_tracking_codes_unknown_wrong_expired_and_for_another_case_get_one_answer(app, world, monkeypatch):
    code = tracking_code_for(app, world.crime_number)
    answers = {}

    def answer(name: str, crime_number: str, given: str) -> None:
        client = app.test_client()
        with client.session_transaction() as session:
            session["track_pending"] = crime_number
        response = client.post("/track/code", data={"code": given})
        answers[name] = (response.status_code, h1_text(response), TRACK_REFUSED in response.get_data(as_text=True))

    answer("unknown crime number", "CR-26-9999999-X", code)
    answer("wrong code", world.crime_number, f"{(int(code) + 1) % 1_000_000:06d}")
    answer("the code with another case", world.other_crime_number, code)
    later = utcnow() + timedelta(minutes=15, seconds=1)
    monkeypatch.setattr("portal.track.services.utcnow", lambda: later)
    answer("expired code", world.crime_number, code)
    assert set(answers.values()) == {(200, "Enter your code", True)}, answers


@pytest.mark.parametrize("user_kind", USERS)
def test_no_tracking_view_without_a_code(app, world, user_kind):
    """Whoever is signed in, the tracking view and its call request need a code first."""
    client = client_for(app, world, user_kind)
    assert client.get("/track/case").headers.get("Location") == "/track"
    assert client.post("/track/case/call", data={"note": "x"}).headers.get("Location") == "/track"


def test_a_tracking_view_shows_one_case_and_no_more_than_its_victim_sees(app, world):
    code = tracking_code_for(app, world.crime_number)
    client = app.test_client()
    # The code page takes the crime number only from /track in the same browser, never from the form.
    assert client.post("/track/code", data={"crime_number": world.crime_number, "code": code}).headers["Location"] \
        == "/track"
    with client.session_transaction() as session:
        session["track_pending"] = world.crime_number
    assert client.post("/track/code", data={"code": code}).headers["Location"] == "/track/case"
    tracked = client.get("/track/case")
    html = tracked.get_data(as_text=True)
    assert world.crime_number in html and world.other_crime_number not in html
    victims_own = client_for(app, world, "victim").get(f"/cases/{world.crime_number}/updates")
    titles = timeline_titles(tracked)
    assert titles and titles == timeline_titles(victims_own)
    for marker in ("Escalated to the safeguarding route", "Correction recorded"):
        assert marker not in html
