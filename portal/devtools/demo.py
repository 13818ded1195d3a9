"""Demo data for local development and show-and-tell. Safe to run more than once."""

import io
import os
import random
import time
from datetime import timedelta

from flask import current_app
from PIL import Image
from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.auth.services import create_user, get_user_by_email
from portal.cases.enums import CaseStatus
from portal.cases.models import Report, TimelineEvent
from portal.clock import utcnow
from portal.devtools.demo_comparison import demo_comparison_volume, demo_victim_in_comparison
from portal.devtools.demo_groups import demo_groups
from portal.devtools.demo_peer_matches import demo_peer_matches
from portal.devtools.demo_peer_witness import demo_witness_check_in_due, demo_witness_support_finished
from portal.devtools.demo_peers import demo_peers
from portal.devtools.generator import generate, refresh_planner_statistics
from portal.extensions import db
from portal.insight.refresh import refresh
from portal.messages import witness_services
from portal.partners.services import raise_safeguarding_concern
from portal.reporting.services import get_category, save_answers, start_draft, submit_report
from portal.support import referrals
from portal.support.assessments import choose_level, latest_assessment, save_assessment
from portal.support.enums import Delivery, ServiceKind
from portal.support.models import Organisation, Referral, SupportService
from portal.support.recommendation import Impact, NeedsAnswers
from portal.surveys.schedule import send_due
from portal.surveys.services import open_invitations
from portal.tasks.enums import Asker, TaskType
from portal.tasks.models import Task
from portal.tasks.services import raise_task
from portal.tracking import services as tracking
from portal.tracking import witnesses
from portal.triage import services as triage

DEFAULT_DEMO_PASSWORD = "correct-horse-battery"  # noqa: S105 - printed for local use only

DEMO_ACCOUNTS = [
    ("victim@example.org", Role.VICTIM),
    ("witness@example.org", Role.WITNESS),
    ("officer@example.org", Role.OFFICER),
    ("supervisor@example.org", Role.SUPERVISOR),
    ("partner@example.org", Role.PARTNER),
    ("admin@example.org", Role.ADMIN),
    ("commissioner@example.org", Role.COMMISSIONER),
    ("witness-care@example.org", Role.WITNESS_CARE),
]
# How the demo staff are named on every screen: (rank, collar number, name).
DEMO_STAFF_NAMES = {
    "officer@example.org": ("PC", "1234", "Alex Morgan"),
    "supervisor@example.org": ("PS", "567", "Sam Okafor"),
    "partner@example.org": (None, None, "Jo Patel"),
    "admin@example.org": (None, None, "Chris Adeyemi"),
    "commissioner@example.org": (None, None, "Robin Hale"),
    "witness-care@example.org": (None, None, "Dana Reid"),
}


def load_demo_data() -> list[str]:
    """Create what is missing and return lines describing how to sign in."""
    password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    lines = [f"Demo accounts (password: {password})"]
    for email, role in DEMO_ACCOUNTS:
        user = get_user_by_email(email)
        created = user is None
        if created:
            user = create_user(email, password, role, verified=True)
            if email in DEMO_STAFF_NAMES:
                user.rank, user.collar_number, user.display_name = DEMO_STAFF_NAMES[email]
        state = "created" if created else "already there"
        line = f"  {role.value:<11} {email:<26} {state}"
        if user.needs_totp:
            line += f"  TOTP secret: {user.totp_secret}"
        lines.append(line)
    db.session.commit()
    lines.extend(_demo_reports(get_user_by_email("victim@example.org")))
    lines.extend(_demo_support(get_user_by_email("victim@example.org"), get_user_by_email("officer@example.org"),
                               get_user_by_email("partner@example.org")))
    lines.extend(demo_groups(get_user_by_email("victim@example.org"), get_user_by_email("partner@example.org")))
    lines.extend(demo_peers(get_user_by_email("victim@example.org"), get_user_by_email("partner@example.org")))
    lines.extend(demo_peer_matches(get_user_by_email("victim@example.org"), get_user_by_email("partner@example.org"),
                                   password))
    lines.extend(_demo_tasks(get_user_by_email("victim@example.org"), get_user_by_email("partner@example.org")))
    lines.extend(demo_witness_support_finished())
    lines.extend(demo_witness_check_in_due(get_user_by_email("victim@example.org"),
                                           get_user_by_email("officer@example.org")))
    lines.extend(demo_victim_in_comparison(get_user_by_email("victim@example.org")))
    lines.extend(_demo_invitations(get_user_by_email("victim@example.org")))
    lines.extend(_demo_other_channels())
    lines.extend(_demo_volume(current_app.config["DEMO_VOLUME"]))
    lines.append("Staff sign in with a code from an authenticator app set up with the TOTP secret,")
    lines.append("or print one with: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"")
    return lines


# Generated cases behind the insight pages (portal/devtools/generator.py), over about the last 6 months.
DEMO_VOLUME = 3000
DEMO_VOLUME_DAYS = 183


def _demo_volume(count: int = DEMO_VOLUME) -> list[str]:
    """Enough generated cases for the insight pages to show figures, not "fewer than 10". Guarded: skipped when the
    database already holds that many cases (a second run, or after `flask generate-cases`). Quiet: no generated
    person is written to, then or by the jobs (the generator meets every support offer; the people have no
    accounts, so no surveys or check-ins go out; the witnesses at court have none either, and every hearing is
    over, so no hearing reminder is due)."""
    if count <= 0:  # DEMO_VOLUME=0: none wanted
        return []
    existing = db.session.scalar(select(func.count()).select_from(Report))
    if existing >= count:
        return [f"Generated cases: skipped, the database already holds {existing} cases"]
    started = time.perf_counter()
    written = generate(count, seed=21, batch=1000, spread=timedelta(days=DEMO_VOLUME_DAYS), quiet=True,
                       dense=True, court=True)
    comparison = demo_comparison_volume()
    refresh_planner_statistics()
    generated = time.perf_counter() - started
    refresh(everything=True)
    return [f"Generated cases: {count} over the last {DEMO_VOLUME_DAYS} days, with {written['referrals']} referrals, "
            f"{written['surveys']} surveys, {written['check_ins']} check-ins, {written['equality_records']} equality "
            f"answers, {written['tasks']} requests, {written['feedback']} feedback ratings and {written['witnesses']} "
            f"witnesses at {written['hearings']} hearings, in {generated:.1f} s "
            f"(insight figures worked out in {time.perf_counter() - started - generated:.1f} s)", *comparison]


DEMO_REPORTS = [
    {"category": "bicycle_theft", "borough": "Camden", "postcode": "NW1 2DB",
     "description": "My bike was locked to the railings outside the station and was gone when I came back.",
     "has_property": "yes", "property_items": [{"description": "Black Raleigh bicycle", "value": "250"}],
     "property_done": True, "follow_up": "none"},
    {"category": "vehicle_damage", "borough": "Hackney", "location": "Outside 12 Mare Street",
     "description": "Someone scratched the driver's door and broke the wing mirror overnight.",
     "has_property": "no", "follow_up": "call"},
    {"category": "theft_from_vehicle", "borough": "Lambeth", "location": "Car park behind the library",
     "description": "The back window was smashed and a laptop bag was taken from the seat.",
     "has_property": "no", "follow_up": "visit"},
    {"category": "criminal_damage", "borough": "Southwark", "location": "My front garden wall",
     "description": "Graffiti was sprayed across the wall and the gate was kicked in.",
     "has_property": "no", "follow_up": "call"},
]

# The path each demo case takes through triage and investigation, so every status has an example.
DEMO_PATHS = {
    "received": [],
    "triaged": [("call",)],
    "no_further_investigation": [("nfi", "no_lines_of_enquiry")],
    "attendance_arranged": [("visit",)],
    "referred_elsewhere": [("refer", "council_asb")],
    "under_investigation": [("allocate",)],
    "suspect_identified": [("allocate",), ("update", "suspect_identified")],
    "suspect_arrested": [("allocate",), ("update", "suspect_arrested")],
    "suspect_interviewed": [("allocate",), ("update", "suspect_arrested"), ("update", "suspect_interviewed")],
    "released_under_investigation": [("allocate",), ("update", "suspect_arrested"),
                                     ("update", "released_under_investigation")],
    "charged": [("allocate",), ("update", "suspect_arrested"), ("update", "charged")],
    "court_hearing_scheduled": [("allocate",), ("update", "charged"), ("update", "court_hearing_scheduled")],
    "outcome": [("allocate",), ("update", "charged"), ("update", "outcome")],
    "closed": [("allocate",), ("update", "charged"), ("update", "outcome"), ("update", "closed")],
}


def _demo_reports(victim) -> list[str]:
    """Submit the demo victim's reports through the normal services, and take each to a different status. Once."""
    existing = db.session.scalar(select(func.count()).select_from(Report).where(Report.reporter_user_id == victim.id))
    if existing:
        return [f"Demo cases: {existing} already there"]
    officer = get_user_by_email("officer@example.org")
    numbers = []
    for index, (status, path) in enumerate(DEMO_PATHS.items()):
        extra = DEMO_REPORTS[index % len(DEMO_REPORTS)]
        draft, _token = start_draft(victim)
        category = get_category(extra["category"])
        save_answers(draft, {
            "danger_now": "no", "immediate_risk": "no", "category_route": category.route.value,
            "reporter_role": "victim", "occurred_on": (utcnow().date() - timedelta(days=index + 1)).isoformat(),
            "suspect_description": "", "other_witnesses": "", "evidence_done": True,
            "contact_name": "Demo Victim", "contact_email": victim.email, "safe_channels": ["email"],
            "voicemail_allowed": "no", "neutral_sender": "yes", "contact_needs": [], "would_have_reported": "no",
            **extra,
        })
        report = submit_report(draft, victim)
        for step in path:
            _demo_step(officer, report, step)
        numbers.append(f"{report.crime_number} ({status.replace('_', ' ')})")
    return ["Demo cases for " + victim.email + ":", *(f"  {n}" for n in numbers)]


def _demo_tasks(victim, partner) -> list[str]:
    """One open task of each kind across the demo cases, raised as the victim (or the service, or a charity)
    would raise it, through the same service functions. Once."""
    cases = {report.status: report for report in db.session.scalars(
        select(Report).where(Report.reporter_user_id == victim.id))}
    if db.session.scalar(select(func.count()).select_from(Task).where(
            Task.report_id.in_([report.id for report in cases.values()]))):
        return ["Demo tasks: already there, at /staff/tasks/ (sign in as officer@example.org)"]
    tracking.ask_for_call(victim, cases[CaseStatus.TRIAGED], "Any weekday after 5pm, please.")
    tracking.answer_visit(victim, cases[CaseStatus.ATTENDANCE_ARRANGED], False, "A Saturday morning would be better.")
    tracking.make_request(victim, cases[CaseStatus.NO_FURTHER_INVESTIGATION], "review")
    tracking.make_request(victim, cases[CaseStatus.CHARGED], "statement")
    tracking.make_request(victim, cases[CaseStatus.UNDER_INVESTIGATION], "property")
    tracking.add_evidence_later(victim, cases[CaseStatus.SUSPECT_IDENTIFIED], _demo_photo(), "side-door.jpg")
    # The Right to Review, a call or letter where email is not safe, and a charity's safeguarding concern have no
    # victim's button on these cases: raised as the service and a charity raise them.
    raise_task(cases[CaseStatus.SUSPECT_INTERVIEWED], TaskType.RIGHT_TO_REVIEW, Asker.VICTIM, victim,
               "The suspect was interviewed and then let go. I would like the decision reviewed.")
    raise_task(cases[CaseStatus.RECEIVED], TaskType.CONTACT_OFFLINE, Asker.SYSTEM, None)
    db.session.commit()
    # The demo partner's charity, Camden Victim Support, is still trying to reach the victim on this case.
    referral = db.session.scalar(select(Referral).where(
        Referral.report_id == cases[CaseStatus.REFERRED_ELSEWHERE].id,
        Referral.organisation_id == partner.organisation_id))
    raise_safeguarding_concern(partner, referral, "The victim told our volunteer they are frightened to go home.")
    _demo_witness(cases[CaseStatus.COURT_HEARING_SCHEDULED])
    return [f"Demo tasks: one of each of {len(TaskType)} kinds, at /staff/tasks/ (sign in as officer@example.org)"]


def _demo_witness(report: Report) -> None:
    """The demo witness follows the case listed for court, having joined with the officer's code, has said they
    cannot attend the hearing, asked for special measures and started an expenses claim: witness care has those
    tasks open, and a message from the witness to read."""
    witness = get_user_by_email("witness@example.org")
    code = witnesses.invite_witness(get_user_by_email("officer@example.org"), report, witness.email)
    witnesses.join_case(witness, code, report.crime_number)
    hearing = db.session.scalar(select(TimelineEvent).where(TimelineEvent.report_id == report.id,
                                                            TimelineEvent.reason_code == "court_hearing_scheduled"))
    witnesses.confirm_availability(witness, report, hearing.id, False,
                                   "I have a hospital appointment that morning. Could I come in the afternoon?")
    witnesses.ask_for_special_measures(witness, report, ["screen", "waiting_area"],
                                       "I do not want to see him in the corridor.")
    witnesses.claim_expenses(witness, report, ["travel"], "8.40", "Two bus journeys to the pre-trial visit.")
    witness_services.send_witness_message(witness, report, "Can my partner come into the court building with me?")
    # As the hearing-reminders job raises it for a witness who has not answered 7 days before.
    raise_task(report, TaskType.WITNESS_NO_ANSWER, Asker.SYSTEM, None,
               "A second witness, invited as neighbour@example.org, has not said whether they can attend.")
    db.session.commit()


# The case whose survey and check-in the output points to: decided, with a referral sent with consent.
DEMO_INVITATIONS_CASE = CaseStatus.UNDER_INVESTIGATION
DEMO_DRAW_SEED = 24


def _demo_invitations(victim) -> list[str]:
    """Offer the surveys and check-ins now due on the demo cases, by running the job `flask surveys send` runs
    (the same rules: after a decision, at closure, at referral), so the demo victim has a survey and a check-in
    waiting on their case as soon as the data is loaded. Say where to find them."""
    case = db.session.scalar(select(Report).where(Report.reporter_user_id == victim.id,
                                                  Report.status == DEMO_INVITATIONS_CASE))
    if case is None:
        return []
    # The comparison draw repeats itself from one load to the next.
    send_due(rng=random.Random(DEMO_DRAW_SEED))  # noqa: S311 - demo data, not a secret
    waiting = open_invitations(case.id)
    what = " and ".join(name for name, shown in (("survey", waiting.surveys),
                                                 ("check-in", waiting.latest_check_in is not None)) if shown)
    if not what:
        return [f"Demo survey and check-in: answered already, on /cases/{case.crime_number}"]
    return [f"Demo {what} waiting: /cases/{case.crime_number} (sign in as {victim.email})"]


# Reports made without an account by people for whom email is not safe: one by text message, one by letter.
DEMO_OTHER_CHANNELS = [
    {"contact_name": "Demo Text Message", "contact_email": "", "contact_phone": "07700 900123",
     "safe_channels": ["text"], "neutral_sender": "no"},
    {"contact_name": "Demo Letter", "contact_email": "", "contact_phone": "", "safe_channels": ["letter"],
     "neutral_sender": "yes", "address_line_1": "Flat 4, 27 Kentish Town Road", "address_line_2": "",
     "address_town": "London", "address_postcode": "NW1 8NL"},
]


def _demo_other_channels() -> list[str]:
    """Two guest reports whose confirmations go by text message and by letter, so the development mailbox
    shows every channel (the outbox worker `make run` starts delivers them). Once."""
    names = [answers["contact_name"] for answers in DEMO_OTHER_CHANNELS]
    if db.session.scalar(select(func.count()).select_from(Report).where(Report.contact_name.in_(names))):
        return ["Demo text message and letter: already sent, at /dev/mail/"]
    for index, contact in enumerate(DEMO_OTHER_CHANNELS):
        draft, _token = start_draft(None)
        save_answers(draft, {
            "danger_now": "no", "immediate_risk": "no", "category": "criminal_damage",
            "category_route": get_category("criminal_damage").route.value, "reporter_role": "victim",
            "occurred_on": (utcnow().date() - timedelta(days=index + 1)).isoformat(), "borough": "Camden",
            "location": "Outside the flats", "description": "Someone sprayed paint on my front door.",
            "has_property": "no", "suspect_description": "", "other_witnesses": "", "evidence_done": True,
            "voicemail_allowed": "no", "contact_needs": [], "follow_up": "none", "would_have_reported": "no",
            **contact,
        })
        submit_report(draft, None)
    return ["Demo text message and letter (reports by people for whom email is not safe): at /dev/mail/"]


def _demo_photo() -> bytes:
    """A small photo for the demo victim's added file."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


def _demo_step(officer, report, step) -> None:
    """Apply one triage decision or update as the demo officer."""

    kind = step[0]
    version = report.version
    if kind == "call":
        triage.request_call(officer, report, version)
    elif kind == "nfi":
        triage.decide_no_further_investigation(officer, report, version, step[1])
    elif kind == "visit":
        triage.arrange_attendance(officer, report, version, utcnow() + timedelta(days=2))
    elif kind == "refer":
        triage.refer_elsewhere(officer, report, version, step[1])
    elif kind == "allocate":
        triage.allocate_for_investigation(officer, report, version, officer)
    elif kind == "update":
        status = CaseStatus(step[1])
        extra = {}
        if status == CaseStatus.COURT_HEARING_SCHEDULED:
            # In the next fortnight, so the demo witness has a hearing to answer for.
            extra = {"hearing_place": "Highbury Corner Magistrates' Court", "hearing_at": utcnow() + timedelta(days=10)}
        triage.post_update(officer, report, version, status, None, utcnow() - timedelta(hours=2), True,
                           status == CaseStatus.COURT_HEARING_SCHEDULED, **extra)


# Organisations, their services and peer-support groups. Accreditation dates are set relative to today, so the
# first four stay listed and the last stays expired however long after this the demo data is loaded.
DEMO_ORGANISATIONS = [
    {"name": "Camden Victim Support", "email": "referrals@camden-victim-support.example.org",
     "website": "https://camden-victim-support.example.org", "phone": "020 7946 0101",
     "description": "Free, confidential support for anyone affected by crime in north London.",
     "accreditation_body": "Support for Victims Quality Standard", "first_contact_target_days": 2,
     "listed": True, "services": [
         {"name": "Support after theft and burglary", "kind": "service", "levels": ["contact", "specialist"],
          "description": "A support worker calls you, helps with practical things such as locks and insurance "
                         "letters, and can stay with you through the investigation.",
          "categories": [], "boroughs": ["Camden", "Islington", "Westminster"], "languages": ["en"],
          "delivery": "both", "location_name": "Camden Support Centre", "address": "12 Crowndale Road",
          "postcode": "NW1 1TN", "accessibility": "Step-free entrance and a hearing loop.", "step_free": True,
          "expected_wait_days": 2, "schedule_freq": "WEEKLY", "schedule_byday": "MO,TU,WE,TH,FR",
          "opens_at": "09:00", "closes_at": "17:00"},
         {"name": "Tuesday evening peer group", "kind": "peer_group", "capacity": 8,
          "description": "Meet others who have been through something similar, led by a trained volunteer.",
          "categories": [], "boroughs": ["Camden", "Islington"], "languages": ["en"], "delivery": "in_person",
          "location_name": "Kentish Town Community Centre", "address": "17 Busby Place", "postcode": "NW5 2SP",
          "accessibility": "Ground floor room, step-free.", "step_free": True, "expected_wait_days": 7,
          "schedule_freq": "WEEKLY",
          "schedule_byday": "TU", "opens_at": "18:00", "closes_at": "19:30",
          "facilitator_check": "Enhanced DBS check"},
         {"name": "Online evening peer group", "kind": "peer_group", "capacity": 10,
          "description": "A video call every other Wednesday for anyone in London affected by theft or burglary, "
                         "led by a trained volunteer.",
          "categories": [], "boroughs": [], "languages": ["en"], "delivery": "online", "expected_wait_days": 5,
          "schedule_freq": "WEEKLY", "schedule_interval": 2, "schedule_byday": "WE", "opens_at": "19:00",
          "closes_at": "20:00", "facilitator_check": "Enhanced DBS check"},
         {"name": "Saturday morning group", "kind": "peer_group", "capacity": 1,
          "description": "A small group for people whose bike or car was stolen or damaged.",
          "categories": ["bicycle_theft", "vehicle_damage", "theft_from_vehicle"], "boroughs": ["Camden"],
          "languages": ["en"], "delivery": "in_person", "location_name": "Camden Support Centre",
          "address": "12 Crowndale Road", "postcode": "NW1 1TN", "expected_wait_days": 10,
          "schedule_freq": "MONTHLY", "schedule_byday": "1SA", "opens_at": "10:00", "closes_at": "11:30",
          "facilitator_check": "Enhanced DBS check"},
     ]},
    {"name": "Polska Pomoc London", "email": "pomoc@polska-pomoc.example.org",
     "website": "https://polska-pomoc.example.org",
     "description": "Support in Polish for people affected by crime anywhere in London.",
     "accreditation_body": "Support for Victims Quality Standard", "first_contact_target_days": 3,
     "listed": True, "services": [
         {"name": "Polish-speaking support line", "kind": "service", "levels": ["contact"],
          "description": "A support worker who speaks Polish calls you back, by phone or video.",
          "categories": [], "boroughs": [], "languages": ["pl"], "delivery": "online",
          "expected_wait_days": 3, "schedule_freq": "WEEKLY", "schedule_byday": "MO,WE,FR", "opens_at": "10:00",
          "closes_at": "16:00"},
     ]},
    {"name": "Al-Amal Community Support", "email": "help@al-amal.example.org",
     "description": "Caseworkers who speak Arabic, for people in east London affected by crime.",
     "accreditation_body": "Community Advice Quality Mark", "first_contact_target_days": 2,
     "listed": True, "services": [
         {"name": "Arabic-speaking caseworkers", "kind": "service", "levels": ["contact", "specialist"],
          "description": "Ongoing help from a caseworker who speaks Arabic, including at court.",
          "categories": [], "boroughs": ["Hackney", "Tower Hamlets", "Newham"], "languages": ["ar"],
          "delivery": "in_person", "location_name": "Mile End Community Hub", "address": "3 Burdett Road",
          "postcode": "E3 4TU", "accessibility": "Lift to all floors.", "step_free": True, "expected_wait_days": 4,
          "schedule_freq": "WEEKLY", "schedule_byday": "TU,TH", "opens_at": "10:00", "closes_at": "15:00"},
     ]},
    {"name": "Deaf Victims Network", "email": "contact@deaf-victims.example.org",
     "website": "https://deaf-victims.example.org",
     "description": "Support in British Sign Language, from Deaf staff and volunteers.",
     "accreditation_body": "Support for Victims Quality Standard", "first_contact_target_days": 5,
     "listed": True, "services": [
         {"name": "BSL advocacy", "kind": "service", "levels": ["specialist"],
          "description": "A Deaf advocate supports you in BSL through the investigation and any court case.",
          "categories": [], "boroughs": [], "languages": ["bsl"], "delivery": "online",
          "expected_wait_days": 5},
         {"name": "BSL online peer group", "kind": "peer_group", "capacity": 12,
          "description": "A monthly video call in BSL with other Deaf people affected by crime.",
          "categories": [], "boroughs": [], "languages": ["bsl"], "delivery": "online", "expected_wait_days": 14,
          "schedule_freq": "MONTHLY", "schedule_byday": "1TH", "opens_at": "19:00", "closes_at": "20:30",
          "facilitator_check": "Enhanced DBS check"},
     ]},
    {"name": "London Restorative Justice Service", "email": "referrals@london-rj.example.org",
     "website": "https://london-rj.example.org",
     "description": "Trained facilitators who help victims communicate with the person who harmed them.",
     "accreditation_body": "Restorative Service Quality Mark", "first_contact_target_days": 5,
     "listed": True, "services": [
         {"name": "Restorative justice across London", "kind": "restorative", "levels": ["restorative"],
          "description": "A facilitator explains what restorative justice could mean for you. Nothing happens "
                         "unless you and the person who harmed you both agree, and you can stop at any time.",
          "categories": [], "boroughs": [], "languages": ["en", "pl", "ar"], "delivery": "both",
          "expected_wait_days": 5},
     ]},
    {"name": "Southwark Community Trust", "email": "office@southwark-trust.example.org",
     "description": "Drop-in advice in Southwark. Its accreditation has run out, so it is not listed.",
     "accreditation_body": "Community Advice Quality Mark", "first_contact_target_days": 2,
     "listed": False, "services": [
         {"name": "Southwark drop-in", "kind": "service", "levels": ["contact"],
          "description": "Drop in for advice after a crime.", "categories": [], "boroughs": ["Southwark"],
          "languages": ["en", "es"], "delivery": "in_person", "location_name": "Peckham Library",
          "address": "122 Peckham Hill Street", "postcode": "SE15 5JR", "schedule_freq": "WEEKLY",
          "schedule_byday": "WE", "opens_at": "13:00", "closes_at": "16:00"},
     ]},
]

# Demo referrals, each on the demo case in the given status: (case status, organisation, service, level, what
# happens). Run through the referral services, so each has its history, timeline events and audit.
DEMO_REFERRALS = [
    ("triaged", "Deaf Victims Network", "BSL advocacy", "specialist", "proposed"),
    ("under_investigation", "Polska Pomoc London", "Polish-speaking support line", "contact", "sent"),
    ("suspect_identified", "Camden Victim Support", "Support after theft and burglary", "contact", "sent"),
    ("outcome", "Camden Victim Support", "Saturday morning group", "peer", "accepted"),
    ("suspect_interviewed", "Camden Victim Support", "Tuesday evening peer group", "peer", "contacted"),
    ("referred_elsewhere", "Camden Victim Support", "Support after theft and burglary", "contact",
     "unable_to_contact"),
    ("charged", "Camden Victim Support", "Support after theft and burglary", "specialist", "closed"),
    ("received", "Camden Victim Support", "Tuesday evening peer group", "peer", "declined"),
    ("suspect_arrested", "Camden Victim Support", "Support after theft and burglary", "contact", "withdrawn"),
    ("released_under_investigation", "Al-Amal Community Support", "Arabic-speaking caseworkers", "contact",
     "verbal"),
]
ALL_SCOPES = ["category_and_dates", "contact_details", "description"]


def _demo_organisations() -> tuple[dict, int]:
    """Create the demo organisations and services that are missing; return them by name and how many were new."""


    today = utcnow().date()
    found, created = {}, 0
    for spec in DEMO_ORGANISATIONS:
        fields = {k: v for k, v in spec.items() if k not in ("listed", "services")}
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == spec["name"]))
        if organisation is None:
            created += 1
            organisation = Organisation(**fields, approved=True)
            db.session.add(organisation)
        # Keep the dates moving with today, so a listed demo organisation never expires.
        if spec["listed"]:
            organisation.assured_date = today - timedelta(days=200)
            organisation.accreditation_expires_on = today + timedelta(days=165)
        else:
            organisation.assured_date = today - timedelta(days=400)
            organisation.accreditation_expires_on = today - timedelta(days=35)
        db.session.flush()
        services = {}
        for service_spec in spec["services"]:
            service = db.session.scalar(select(SupportService).where(
                SupportService.organisation_id == organisation.id, SupportService.name == service_spec["name"]))
            if service is None:
                values = dict(service_spec, kind=ServiceKind(service_spec["kind"]),
                              delivery=Delivery(service_spec["delivery"]))
                if values["kind"] == ServiceKind.PEER_GROUP:
                    values["levels"] = ["peer"]
                    values["facilitator_checked_on"] = today - timedelta(days=60)
                service = SupportService(organisation_id=organisation.id, **values)
                db.session.add(service)
            services[service_spec["name"]] = service
        found[spec["name"]] = (organisation, services)
    db.session.commit()
    return found, created


def _demo_support(victim, officer, partner) -> list[str]:
    """Organisations, services and groups; the demo partner's organisation; a needs assessment and referrals in
    every status on the demo victim's cases. Each part only once."""

    found, created = _demo_organisations()
    lines = [f"Demo organisations: {len(found)} ({created} created; Southwark Community Trust's accreditation "
             "has expired, so it is not listed)"]
    if partner.organisation_id is None:
        partner.organisation_id = found["Camden Victim Support"][0].id
        db.session.commit()
    lines.append(f"  {partner.email} works for Camden Victim Support")
    reports = {r.status.value: r for r in db.session.scalars(
        select(Report).where(Report.reporter_user_id == victim.id).order_by(Report.id))}
    if not reports:
        return lines
    case = reports["under_investigation"]
    lines.append(_demo_assessment(victim, case))
    existing = db.session.scalar(select(func.count()).select_from(Referral).where(
        Referral.report_id.in_([r.id for r in reports.values()])))
    if existing:
        lines.append(f"Demo referrals: {existing} already there")
        return lines
    lines.append("Demo referrals:")
    for status, organisation, service, level, outcome in DEMO_REFERRALS:
        referral = _demo_referral(victim, officer, partner, reports[status], found[organisation][1][service],
                                  level, outcome)
        lines.append(f"  {referral.reference} {referral.status.value.replace('_', ' '):<17} "
                     f"{reports[status].crime_number} to {organisation}")
    return lines


def _demo_assessment(victim, report) -> str:
    """The victim's needs assessment on one case: a call from a Polish-speaking support worker, and a group."""
    if latest_assessment(report.id) is None:
        answers = NeedsAnswers(daily_life=Impact.QUITE_A_LOT, feelings=Impact.QUITE_A_LOT, wants_to_talk=True,
                               practical_needs=frozenset({"locks"}), interested_in_peer_support=True)
        assessment = save_assessment(victim, report, answers, language="pl", interpreter=True,
                                     contact_method="phone", contact_time="Weekday evenings")
        choose_level(victim, assessment, "contact", True)
    return f"Demo needs assessment on {report.crime_number}"


def _demo_referral(victim, officer, partner, report, service, level: str, outcome: str):
    """One referral taken to the given status through the referral services."""

    if outcome == "proposed":
        return referrals.propose_referral(officer, report, service, level)
    if outcome == "verbal":
        return referrals.propose_and_record_consent(officer, report, service, level, "the victim, by phone",
                                                    utcnow() - timedelta(hours=1), ALL_SCOPES)
    referral = referrals.refer_with_consent(victim, report, service, level, ALL_SCOPES)
    if outcome == "withdrawn":
        referrals.withdraw_consent(victim, referral.consent)
    elif outcome == "declined":
        referrals.decline(partner, referral, referral.version, "lack_of_capacity", "Our group is full this term.")
    elif outcome != "sent":
        referrals.accept(partner, referral, referral.version)
        if outcome == "unable_to_contact":
            referrals.record_contact(partner, referral, referral.version, "no_answer", give_up=True)
        elif outcome in ("contacted", "closed"):
            referrals.record_contact(partner, referral, referral.version, "reached")
        if outcome == "closed":
            referrals.close(partner, referral, referral.version, "support_completed")
    return referral
