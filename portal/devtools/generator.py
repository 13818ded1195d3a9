"""Synthetic cases for load and scale testing: ``flask generate-cases --count 100000``.

The mix follows realistic London crime figures (the weights are CATEGORY_WEIGHTS below): mostly theft and
criminal damage, 12% new demand, cases spread over every borough. Rows go in with bulk INSERTs (one per batch
for reports, one for their first timeline events), not one ORM object per row, so 100,000 cases take seconds.

Crime numbers come from the same per-year sequence rows as real submissions: each batch advances the year's row
once by the number it needs, in the batch's own transaction, so numbers issued later by
``portal.cases.sequence.next_sequence_value`` never clash with generated ones.

Around the cases, in the same batches (so memory stays bounded at any count), it also writes what the insight
dashboard reads:

- the Victims' Code deadlines every report opens (triage, first response, the support offer within 2 working
  days, and the decision not to investigate where there was one), mostly met on time;
- a handful of accredited organisations with services and peer-support groups (made once, reused by later runs);
- referrals for about 15% of reports, with their consent, spread over every status by age;
- cope-and-recover check-ins at 0, 4 and 12 weeks for referrals old enough, answered by about 60%, 45% and 35%,
  with scores that improve modestly over time and a little more for peer support;
- satisfaction surveys after the decision (about 40% of triaged reports) and at closure (about 30% of closed
  ones), answered by about half, with about 70% satisfied overall and lower in a few boroughs and for disabled
  victims, so the gaps show;
- equality records (given with the report, not by account) for about 35% of reports, with London-like mixes;
- anonymous feedback (/feedback) from about one case in ten, a few days after reporting, about two thirds satisfied.
- with ``court`` (the demo data): for the cases at court, hearings (all over by now), some moved, adjourned or
  vacated, the witnesses following them (without accounts) and their answers about attending, mostly more than
  7 days before the hearing and about one in six "I cannot attend".

``quiet`` (the demo data uses it) leaves nothing for the jobs to write to a generated person about: every
promise to offer support is met (an open one is offered, by email, by ``flask support send-offers``). Surveys
and check-ins go only to people with accounts, and generated cases have none.

The gaps are invented for testing the dashboard. They describe no real borough or group.
"""

import hashlib
import random
import time
from collections import Counter
from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import false, insert, literal, select, text, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.crime_numbers import format_crime_number
from portal.cases.enums import CaseStatus, DeadlineKind, FollowUp, ReporterRole, Route
from portal.cases.models import (
    CrimeCategory,
    CrimeNumberSequence,
    Report,
    TimelineEvent,
    VictimsCodeDeadline,
    WitnessLink,
)
from portal.cases.working_days import add_working_days
from portal.clock import LONDON, london_datetime, utcnow
from portal.equality.models import PREFER_NOT_TO_SAY, EqualityRecord
from portal.extensions import db
from portal.feedback.models import Feedback
from portal.reporting.boroughs import BOROUGHS
from portal.support.enums import ConsentSource, Delivery, ReferralStatus, ServiceKind
from portal.support.models import Consent, Organisation, Referral, SupportService
from portal.surveys.models import CheckIn, Survey, SurveyKind
from portal.tasks.due_times import DUE_TIMES, due_at
from portal.tasks.enums import Asker, TaskStatus, TaskType
from portal.tasks.models import Task
from portal.tracking.hearings import CHANGES, HEARING
from portal.tracking.models import CourtAvailability
from portal.triage.wording import KEY_EVENTS

TRIAGE_WITHIN = timedelta(minutes=45)
RESPOND_WITHIN = timedelta(hours=48)
SPREAD = timedelta(days=365)  # a year, so 12-week check-ins and date filters have data
RECENT_SHARE = 0.003  # submitted in the last hour: the live queue
OLD_BACKLOG_SHARE = 0.01  # older cases nobody has triaged yet
# The first event on every case, worded as portal.reporting.services.submit_report writes it.
RECEIVED_TITLE = "We received your report"
RECEIVED_BODY = "A member of police staff will review it within 45 minutes. You will hear from us within 48 hours."

# Weights by category code. Any other active self-service, information or hate-incident category gets 1.
CATEGORY_WEIGHTS = {
    "theft": 40, "criminal_damage": 16, "bicycle_theft": 10, "theft_from_vehicle": 10, "vehicle_damage": 8,
    "anti_social_behaviour": 8, "theft_of_vehicle": 3, "lost_property": 3, "hate_incident": 2,
}
REPORTABLE_ROUTES = (Route.SELF_SERVICE, Route.INFORMATION, Route.HATE_INCIDENT)

# Roughly even; the City (few residents) a little less, Westminster (the West End) a little more.
BOROUGH_WEIGHTS = {borough: 1.0 for borough in BOROUGHS} | {"City of London": 0.4, "Westminster": 1.6}

# Hate crime strands, 2017-18 (the README), mapped onto the form's motivation codes.
HATE_WEIGHTS = {"race": 16944, "religion": 2500, "sexual_orientation": 2091, "disability": 442, "transgender": 174}

# Where a case stands once triaged, for cases more than a week old.
LATER_STATUSES = {
    CaseStatus.NO_FURTHER_INVESTIGATION: 38, CaseStatus.CLOSED: 25, CaseStatus.UNDER_INVESTIGATION: 9,
    CaseStatus.REFERRED_ELSEWHERE: 4, CaseStatus.ATTENDANCE_ARRANGED: 3, CaseStatus.SUSPECT_IDENTIFIED: 3,
    CaseStatus.TRIAGED: 2, CaseStatus.SUSPECT_ARRESTED: 1.5, CaseStatus.RELEASED_UNDER_INVESTIGATION: 1.5,
    CaseStatus.CHARGED: 1.5, CaseStatus.SUSPECT_INTERVIEWED: 1, CaseStatus.COURT_HEARING_SCHEDULED: 1,
    CaseStatus.OUTCOME: 1,
}
# Within the first week only triage outcomes are plausible.
EARLY_STATUSES = {
    CaseStatus.NO_FURTHER_INVESTIGATION: 45, CaseStatus.UNDER_INVESTIGATION: 15, CaseStatus.TRIAGED: 12,
    CaseStatus.REFERRED_ELSEWHERE: 6, CaseStatus.ATTENDANCE_ARRANGED: 6, CaseStatus.CLOSED: 16,
}
OFFICER_STATUSES = frozenset(LATER_STATUSES) - {CaseStatus.NO_FURTHER_INVESTIGATION, CaseStatus.CLOSED,
                                                CaseStatus.REFERRED_ELSEWHERE, CaseStatus.TRIAGED}

# A few outward codes per borough, so postcodes look right for the area.
OUTWARD_CODES = {
    "Barking and Dagenham": ("IG11", "RM8", "RM9", "RM10"), "Barnet": ("N3", "NW4", "EN5"),
    "Bexley": ("DA5", "DA6", "DA7"), "Brent": ("NW10", "HA0", "HA9"), "Bromley": ("BR1", "BR2", "BR6"),
    "Camden": ("NW1", "NW3", "NW5", "WC1H"), "City of London": ("EC2V", "EC3M", "EC4M"),
    "Croydon": ("CR0", "CR2", "CR7"), "Ealing": ("W5", "W13", "UB1"), "Enfield": ("EN1", "EN3", "N9"),
    "Greenwich": ("SE10", "SE18", "SE9"), "Hackney": ("E8", "E5", "N16"),
    "Hammersmith and Fulham": ("W6", "SW6", "W12"), "Haringey": ("N15", "N17", "N8"),
    "Harrow": ("HA1", "HA2", "HA3"), "Havering": ("RM1", "RM3", "RM11"), "Hillingdon": ("UB8", "UB10", "HA4"),
    "Hounslow": ("TW3", "TW4", "W4"), "Islington": ("N1", "N7", "N19"),
    "Kensington and Chelsea": ("W8", "W10", "SW3"), "Kingston upon Thames": ("KT1", "KT2", "KT3"),
    "Lambeth": ("SW2", "SW9", "SE11"), "Lewisham": ("SE4", "SE13", "SE6"), "Merton": ("SW19", "CR4", "SM4"),
    "Newham": ("E6", "E13", "E15"), "Redbridge": ("IG1", "IG2", "E18"),
    "Richmond upon Thames": ("TW9", "TW10", "TW1"), "Southwark": ("SE1", "SE15", "SE5"),
    "Sutton": ("SM1", "SM2", "SM3"), "Tower Hamlets": ("E1", "E3", "E14"),
    "Waltham Forest": ("E17", "E4", "E10"), "Wandsworth": ("SW11", "SW18", "SW17"),
    "Westminster": ("W1D", "SW1A", "W2"),
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

FIRST_NAMES = (
    "Amara", "Ben", "Chloe", "Daniel", "Ella", "Farhan", "Grace", "Hassan", "Isla", "James", "Kemi", "Liam",
    "Maya", "Nikhil", "Olivia", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wei", "Yasmin",
    "Zofia", "Aisha", "Callum", "Deborah", "Emeka", "Fatima", "George", "Hannah", "Ibrahim", "Joanna",
)
LAST_NAMES = (
    "Adeyemi", "Begum", "Clarke", "Da Silva", "Evans", "Fernandes", "Green", "Hussain", "Iqbal", "Jones",
    "Kowalski", "Lewis", "Mensah", "Nguyen", "O'Brien", "Patel", "Quinn", "Rahman", "Smith", "Taylor",
    "Usman", "Virdee", "Williams", "Xu", "Young", "Zielinski", "Ahmed", "Brown", "Campbell", "Murphy",
)
STREETS = (
    "High Street", "Station Road", "Church Lane", "Park Avenue", "Victoria Road", "Mill Lane", "Queens Road",
    "The Broadway", "King Street", "Green Lane", "London Road", "Market Place",
)
PLACES = (
    "outside the station", "in the high street", "at the supermarket", "on the bus", "outside my flat",
    "in the park", "at the gym", "in a coffee shop", "on the platform", "in the car park", "at work",
)

# Short sentences per category: (what happened, a detail). Slots: {item}, {place}, {street}.
DESCRIPTIONS = {
    "theft": (
        ("My {item} was taken {place} while I was not looking.", "I only noticed when I went to pay."),
        ("Someone took my {item} from my bag {place}.", "The bag was zipped up when I last checked."),
        ("I left my {item} on a table {place} and it was gone a few minutes later.", "Staff said there is CCTV."),
    ),
    "bicycle_theft": (
        ("My bike was locked to the railings on {street} and was gone when I came back.",
         "The cut lock was left on the ground."),
        ("My bicycle was stolen from the communal bike store.", "The door to the store had been forced."),
    ),
    "theft_from_vehicle": (
        ("Someone broke into my car on {street} overnight and took my {item}.", "The back window was smashed."),
        ("My {item} was taken from the boot of my van.", "There was no sign of forced entry."),
    ),
    "theft_of_vehicle": (
        ("My car was parked on {street} and was not there in the morning.", "I still have both keys."),
        ("My scooter was taken from outside my house.", "A neighbour heard it being started at night."),
    ),
    "criminal_damage": (
        ("Someone smashed the front window of my flat on {street}.", "It happened late in the evening."),
        ("Graffiti was sprayed on my garden wall.", "It is the second time this month."),
        ("My front door was kicked and the lock is broken.", "Nobody got in."),
    ),
    "vehicle_damage": (
        ("Someone scratched the side of my car parked on {street}.", "It goes along both doors."),
        ("The wing mirror of my car was broken off overnight.", "Another car on the street was damaged too."),
    ),
    "anti_social_behaviour": (
        ("A group gathers {place} most evenings, shouting and playing loud music.", "It goes on past midnight."),
        ("People have been riding motorbikes across the green on {street}.", "Children play there."),
    ),
    "lost_property": (
        ("I lost my {item} somewhere {place}.", "I do not think it was stolen."),
        ("I think I dropped my {item} on {street}.", "I have checked with the shops nearby."),
    ),
    "hate_incident": (
        ("A man shouted abuse at me about who I am {place}.", "He walked off before I could say anything."),
        ("Someone left a hateful note on my door.", "I do not know who it was."),
    ),
}
GENERIC_DESCRIPTION = (("Something happened {place} that I want to report.", "I can give more details if needed."),)
ITEMS = ("phone", "wallet", "purse", "laptop", "handbag", "bank card", "headphones", "watch", "jacket", "tablet")


def _weighted(rng: random.Random, weights: dict):
    """One key of a weights dict, chosen in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _postcode(rng: random.Random, borough: str) -> str:
    """A postcode that looks right for the borough (not necessarily a real address)."""
    return f"{rng.choice(OUTWARD_CODES[borough])} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}" \
           f"{rng.choice(INWARD_LETTERS)}"


def _description(rng: random.Random, code: str) -> str:
    """Two short sentences about what happened."""
    first, detail = rng.choice(DESCRIPTIONS.get(code, GENERIC_DESCRIPTION))
    text = first.format(item=rng.choice(ITEMS), place=rng.choice(PLACES), street=rng.choice(STREETS))
    return f"{text} {detail}" if rng.random() < 0.7 else text


def _submitted_at(rng: random.Random, now: datetime, spread: timedelta = SPREAD) -> datetime:
    """When the case came in: a few in the last hour, the rest over the spread (a year unless told)."""
    if rng.random() < RECENT_SHARE:
        return now - timedelta(seconds=rng.uniform(0, 3600))
    return now - timedelta(seconds=rng.uniform(3600, spread.total_seconds()))


def _status(rng: random.Random, age: timedelta, information: bool) -> CaseStatus:
    """Where a case of this age stands."""
    if age < timedelta(hours=2):
        return CaseStatus.RECEIVED if rng.random() < 0.85 else CaseStatus.TRIAGED
    if rng.random() < OLD_BACKLOG_SHARE:
        return CaseStatus.RECEIVED
    if information:
        return CaseStatus.CLOSED
    return _weighted(rng, EARLY_STATUSES if age < timedelta(days=7) else LATER_STATUSES)


def _occurred_on(rng: random.Random, submitted: datetime, today: date) -> date:
    """When it happened: mostly a day or two before it was reported, never more than a year ago."""
    roll = rng.random()
    lag = rng.randint(0, 1) if roll < 0.6 else rng.randint(2, 14) if roll < 0.9 else rng.randint(15, 270)
    return max(submitted.date() - timedelta(days=lag), today - timedelta(days=365))


def _case(rng: random.Random, now: datetime, category: CrimeCategory, staff: list[int],
          spread: timedelta = SPREAD) -> dict:
    """One report's columns (everything but its crime number)."""
    submitted = _submitted_at(rng, now, spread)
    information = category.route == Route.INFORMATION
    status = _status(rng, now - submitted, information)
    borough = _weighted(rng, BOROUGH_WEIGHTS)
    occurred_on = _occurred_on(rng, submitted, now.date())
    occurred_until = None
    if rng.random() < 0.08 and occurred_on < submitted.date():
        occurred_until = min(occurred_on + timedelta(days=rng.randint(1, 3)), submitted.date())
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email_local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    triaged_at = first_response_at = None
    if status != CaseStatus.RECEIVED:
        triaged_at = min(submitted + timedelta(minutes=rng.triangular(3, 120, 25)), now)
        first_response_at = min(submitted + timedelta(hours=rng.triangular(0.5, 72, 12)), now)
        if status == CaseStatus.TRIAGED and now - submitted < RESPOND_WITHIN and rng.random() < 0.5:
            first_response_at = None
    repeat = rng.random() < 0.06
    safeguarding = rng.random() < 0.02
    enhanced = status != CaseStatus.RECEIVED and (repeat or safeguarding or rng.random() < 0.02) \
        and rng.random() < 0.5
    claimed_by = named_officer = None
    if staff and status != CaseStatus.RECEIVED:
        claimed_by = rng.choice(staff)
        if status in OFFICER_STATUSES:
            named_officer = rng.choice(staff)
    hate = category.route == Route.HATE_INCIDENT
    return {
        "status": status,
        "is_information_report": information,
        "version": 1,
        "reporter_user_id": None,
        "reporter_role": _weighted(rng, {ReporterRole.VICTIM: 85, ReporterRole.WITNESS: 10,
                                         ReporterRole.ON_BEHALF: 5}),
        "category_id": category.id,
        "occurred_on": occurred_on,
        "occurred_until": occurred_until,
        "occurred_time": f"{rng.randint(0, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}" if rng.random() < 0.5
        else None,
        "borough": borough,
        "postcode": _postcode(rng, borough) if rng.random() < 0.8 else None,
        "location": f"{rng.randint(1, 240)} {rng.choice(STREETS)}" if rng.random() < 0.6 else None,
        "description": _description(rng, category.code),
        "suspect_description": "A man in a dark hooded top, about 20 years old." if rng.random() < 0.15 else None,
        "other_witnesses": "A shop assistant saw it happen." if rng.random() < 0.1 else None,
        "hate_motivations": [_weighted(rng, HATE_WEIGHTS)] if hate else [],
        "third_party_organisation": None,
        "contact_name": f"{first} {last}",
        "contact_email": f"{email_local}{rng.randint(1, 9999)}@example.org",
        "contact_phone": f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.4 else None,
        "safe_channels": ["email"],
        "safe_times": "Weekdays after 6pm" if rng.random() < 0.1 else None,
        "voicemail_allowed": rng.random() < 0.5,
        "neutral_sender": rng.random() < 0.8,
        "follow_up": _weighted(rng, {FollowUp.NONE: 60, FollowUp.CALL: 30, FollowUp.VISIT: 10}),
        "would_have_reported": _weighted(rng, {"yes": 80, "no": 12, "not_sure": 8}),
        "risk_flags": ["repeat_victim"] if repeat else [],
        "is_repeat_victim": repeat,
        "enhanced_rights": enhanced,
        "enhanced_rights_reason": (("persistently_targeted" if repeat else "vulnerable_or_intimidated")
                                   if enhanced else None),
        "safeguarding": safeguarding,
        "named_officer_id": named_officer,
        "claimed_by_id": claimed_by,
        "duplicate_of_id": None,
        "update_every_days": 28,
        "submitted_at": submitted,
        "triage_due_at": submitted + TRIAGE_WITHIN,
        "response_due_at": submitted + RESPOND_WITHIN,
        "triaged_at": triaged_at,
        "first_response_at": first_response_at,
        "created_at": submitted,
        "updated_at": max(t for t in (submitted, triaged_at, first_response_at) if t is not None),
    }


# --- Around the cases: deadlines, support, check-ins, surveys and equality records -------------------------------

HOUR = 3600.0
DAY = 24 * HOUR

# The support offer is made by the hourly job an hour after reporting (or at once, after the needs assessment).
OFFER_ON_TIME, OFFER_LATE = 0.93, 0.04  # the rest are still open (overdue, once past due)
NFI_ON_TIME, NFI_LATE = 0.95, 0.03

# Organisations made once (by name) and reused. (name, first-contact target in working days, description,
# services: (name, kind, levels, boroughs, weight)). Weights say how much of the referral traffic a service gets.
SYNTHETIC_ORGANISATIONS = (
    ("London Victim Care", 2, "Free support for anyone affected by crime anywhere in London.", (
        ("Support after crime", ServiceKind.SERVICE, ("contact", "specialist"), (), 10),
        ("Monday evening peer group", ServiceKind.PEER_GROUP, ("peer",), (), 4),
    )),
    ("North London Support Network", 2, "Support workers and groups for people in north London.", (
        ("Practical help after theft and burglary", ServiceKind.SERVICE, ("contact",),
         ("Barnet", "Camden", "Enfield", "Haringey", "Islington"), 5),
        ("Thursday peer group", ServiceKind.PEER_GROUP, ("peer",),
         ("Barnet", "Camden", "Enfield", "Haringey", "Islington"), 3),
    )),
    ("East London Community Advocates", 2, "Advocates and caseworkers for people in east London.", (
        ("Caseworkers and advocacy", ServiceKind.SERVICE, ("contact", "specialist"),
         ("Hackney", "Newham", "Tower Hamlets", "Waltham Forest", "Redbridge", "Barking and Dagenham"), 5),
        ("Saturday coffee and peer support", ServiceKind.PEER_GROUP, ("peer",),
         ("Hackney", "Newham", "Tower Hamlets"), 3),
    )),
    ("South London Recovery Project", 3, "Help to recover after crime, for people in south London.", (
        ("Recovery support", ServiceKind.SERVICE, ("contact", "specialist"),
         ("Croydon", "Lambeth", "Lewisham", "Southwark", "Wandsworth", "Merton", "Sutton", "Bromley"), 5),
        ("Wednesday recovery group", ServiceKind.PEER_GROUP, ("peer",),
         ("Croydon", "Lambeth", "Lewisham", "Southwark"), 3),
    )),
    ("West London Victim Advice", 2, "Advice and a friendly call for people in west London.", (
        ("Advice line", ServiceKind.SERVICE, ("contact",),
         ("Ealing", "Hammersmith and Fulham", "Hillingdon", "Hounslow", "Brent", "Harrow",
          "Kensington and Chelsea", "Richmond upon Thames", "Kingston upon Thames"), 5),
    )),
    ("Hate Crime Support London", 5, "Specialist support after a hate crime or hate incident.", (
        ("Hate crime caseworkers", ServiceKind.SERVICE, ("specialist",), (), 2),
        ("Online peer circle", ServiceKind.PEER_GROUP, ("peer",), (), 2),
    )),
)
SUPPORT_LEVEL_WEIGHTS = {"contact": 52, "specialist": 18, "peer": 30}
REFERRAL_SHARE_VICTIM = 0.18  # of non-information reports older than two hours, by victims or on their behalf
REFERRAL_SHARE_WITNESS = 0.05
PROPOSED_SHARE = 0.04  # suggested by an officer, waiting for the victim's consent
S = ReferralStatus
# The status a sent referral has reached, by days since it was sent.
REFERRAL_STATUS_RECENT = {S.SENT: 60, S.ACCEPTED: 25, S.CONTACTED: 10, S.DECLINED: 3, S.WITHDRAWN: 2}
REFERRAL_STATUS_WEEKS = {S.SENT: 10, S.ACCEPTED: 25, S.CONTACTED: 45, S.DECLINED: 6, S.UNABLE_TO_CONTACT: 8,
                         S.WITHDRAWN: 4, S.CLOSED: 2}
REFERRAL_STATUS_OLD = {S.SENT: 2, S.ACCEPTED: 6, S.CONTACTED: 34, S.DECLINED: 6, S.UNABLE_TO_CONTACT: 10,
                       S.WITHDRAWN: 5, S.CLOSED: 37}
DECLINE_WEIGHTS = {"client_refused": 35, "lack_of_capacity": 30, "no_longer_needed": 20, "unable_to_contact": 15}
CLOSE_WEIGHTS = {"support_completed": 60, "referred_on": 10, "client_ended": 15, "no_longer_needed": 15}
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Cope-and-recover check-ins: share answered by week; how scores move (on the 1 to 5 scale) by week, and the
# extra for peer support. Each item has its own offset; confidence in the justice system moves half as much.
CHECK_IN_ANSWERED = {0: 0.60, 4: 0.45, 12: 0.35}
# For a few thousand cases (the demo data), more referrals and more check-ins answered than real life, so that the
# coping figures' breakdowns (33 boroughs among them) have groups of 10 to show.
DENSE_REFERRAL_FACTOR = 2.2
DENSE_CHECK_IN_ANSWERED = {0: 0.85, 4: 0.75, 12: 0.70}
CHECK_IN_GAIN = {0: 0.0, 4: 0.35, 12: 0.7}
PEER_EXTRA_GAIN = {0: 0.0, 4: 0.15, 12: 0.35}
CHECK_IN_ITEMS = {"coping": (0.0, 1.0), "safety": (0.2, 1.0), "wellbeing": (-0.1, 1.0),
                  "confidence": (-0.4, 0.5), "daily_life": (0.1, 1.0)}

# Satisfaction: chance the person is satisfied (4 or 5), before the gaps below. About 70% overall.
SURVEY_AFTER_DECISION_SHARE = 0.40
SURVEY_AT_CLOSURE_SHARE = 0.30
SURVEY_ANSWERED = 0.5
SATISFIED_BASE = 0.76
# Invented gaps, so the dashboard has something to find.
LOWER_SATISFACTION_BOROUGHS = frozenset({"Croydon", "Newham", "Hillingdon", "Barking and Dagenham"})
BOROUGH_GAP = 0.14
DISABLED_GAP = 0.15
NFI_GAP = 0.08  # told the case will not be investigated further
COMMENTS = (
    "Reporting online was quick.", "I would like to have heard back sooner.", "The officer was kind.",
    "I did not understand what happens next.", "Thank you for the updates.", "Nothing seemed to happen.",
    "It was easy to use on my phone.", "I had to repeat myself.",
)
# Anonymous feedback from the banner's link: from about one case in ten, rated 5 (very satisfied) to 1.
FEEDBACK_SHARE = 0.10
FEEDBACK_RATINGS = {5: 36, 4: 31, 3: 13, 2: 10, 1: 10}
FEEDBACK_COMMENT_SHARE = 0.3

# Equality monitoring, by report: share of reports, and mixes roughly like London in the 2021 Census, with
# "prefer not to say" at 5 to 10%. Disability is drawn for everyone first, so satisfaction can depend on it.
EQUALITY_SHARE = 0.35
DISABLED_SHARE = 0.15
# About one case in twelve asks for something (a call, a review, their property back...), these kinds most.
TASK_SHARE = 1 / 12
TASK_WEIGHTS = {TaskType.CALL_BACK: 40, TaskType.INFORMATION_ADDED: 20, TaskType.PROPERTY_RETURN: 12,
                TaskType.LOOK_AGAIN: 10, TaskType.PERSONAL_STATEMENT: 8, TaskType.VISIT_REARRANGE: 6,
                TaskType.CONTACT_OFFLINE: 3, TaskType.RIGHT_TO_REVIEW: 1}
SKIPPED = 0.03  # a question left blank
EQUALITY_MIX = {
    "age_band": {"under_18": 3, "18_24": 11, "25_34": 24, "35_44": 20, "45_54": 15, "55_64": 11, "65_plus": 10,
                 PREFER_NOT_TO_SAY: 6},
    "sex": {"female": 48, "male": 46, PREFER_NOT_TO_SAY: 6},
    "gender_identity": {"same": 92, "different": 1, PREFER_NOT_TO_SAY: 7},
    "ethnicity": {"white": 50, "asian": 19.5, "black": 12.5, "mixed": 5.5, "other": 6, PREFER_NOT_TO_SAY: 6.5},
    "sexuality": {"straight": 84, "gay_lesbian": 2.7, "bisexual": 2, "other": 0.8, PREFER_NOT_TO_SAY: 10},
    "religion": {"christian": 38, "none": 27, "muslim": 15, "hindu": 5, "jewish": 1.7, "sikh": 1.6, "buddhist": 1,
                 "other": 1.7, PREFER_NOT_TO_SAY: 9},
    "mental_health": {"yes": 12, "no": 81, PREFER_NOT_TO_SAY: 7},
}

# Court, for the demo data only (``court``): cases charged or at court get hearings, witnesses who follow them,
# the witnesses' answers about attending, and some hearings moved, adjourned or vacated, so the witnesses page has
# figures. Every generated hearing starts in the past, and no generated witness has an account, so the hearing
# reminders (which go to joined witnesses' accounts, before a hearing) never write to one.
# The share of cases at each status with a hearing listed: a charged case may still wait for its first, and a few
# closed cases were closed after the court's decision (never an information report).
COURT_SHARE = {CaseStatus.CHARGED: 0.6, CaseStatus.COURT_HEARING_SCHEDULED: 1.0, CaseStatus.OUTCOME: 1.0,
               CaseStatus.CLOSED: 0.06}
COURTS = ("Highbury Corner Magistrates' Court", "Westminster Magistrates' Court", "Thames Magistrates' Court",
          "Croydon Magistrates' Court", "Stratford Magistrates' Court", "Willesden Magistrates' Court",
          "Bromley Magistrates' Court", "Uxbridge Magistrates' Court", "Wood Green Crown Court",
          "Snaresbrook Crown Court", "Southwark Crown Court", "Inner London Crown Court")
HEARING_STARTS = ("10:00", "10:00", "10:30", "14:00")  # London time
WITNESS_COUNTS = {1: 25, 2: 35, 3: 25, 4: 15}  # witnesses invited to follow a case at court
WITNESS_JOINED = 0.9  # of those invited, the share who joined the case
# Each answer owed (a joined witness and a hearing): given more than 7 days before the hearing, given later, or
# never (the rest); and the share of answers that say "I cannot attend".
ANSWER_ON_TIME, ANSWER_LATE = 0.74, 0.12
CANNOT_ATTEND = 0.16
# What happens to each hearing before it starts (None: it goes ahead), and the chance an adjourned case is listed
# again. At most three changes a case.
HEARING_CHANGES = {None: 52, "moved": 20, "adjourned": 18, "vacated": 10}
RELISTED = 0.7
CANNOT_ATTEND_TITLE = "A witness said they cannot attend a hearing"  # as portal.tracking.witnesses writes it


def _at(base: datetime, seconds: float) -> datetime:
    """A moment some seconds after another."""
    return base + timedelta(seconds=seconds)


def _hours(rng: random.Random, low: float, high: float, mode: float) -> float:
    """A spread of hours, in seconds."""
    return rng.triangular(low, high, mode) * HOUR


class _WorkingDays:
    """add_working_days, remembered by London date (the answer depends on nothing else)."""

    def __init__(self) -> None:
        self._known: dict[tuple[date, int], datetime] = {}

    def after(self, moment: datetime, days: int) -> datetime:
        key = (moment.astimezone(LONDON).date(), days)
        if key not in self._known:
            self._known[key] = add_working_days(moment, days)
        return self._known[key]


def ensure_organisations(today: date) -> list[dict]:
    """Create the synthetic organisations and services that are missing (accredited, approved); return every
    service as {id, organisation_id, levels, boroughs, weight, target_days}."""
    services = []
    for name, target_days, description, service_specs in SYNTHETIC_ORGANISATIONS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            slug = name.lower().replace(" ", "-")
            organisation = Organisation(
                name=name, description=description, email=f"referrals@{slug}.example.org",
                website=f"https://{slug}.example.org", approved=True,
                accreditation_body="Support for Victims Quality Standard", first_contact_target_days=target_days,
                assured_date=today - timedelta(days=300), accreditation_expires_on=today + timedelta(days=400))
            db.session.add(organisation)
            db.session.flush()
        for service_name, kind, levels, boroughs, weight in service_specs:
            service = db.session.scalar(select(SupportService).where(
                SupportService.organisation_id == organisation.id, SupportService.name == service_name))
            if service is None:
                peer = kind == ServiceKind.PEER_GROUP
                service = SupportService(
                    organisation_id=organisation.id, kind=kind, levels=list(levels), name=service_name,
                    description=f"{service_name}, from {name}.", categories=[], boroughs=list(boroughs),
                    languages=["en"], delivery=Delivery.ONLINE if not boroughs else Delivery.BOTH,
                    expected_wait_days=7 if peer else 3, capacity=12 if peer else None,
                    schedule_freq="WEEKLY" if peer else None, schedule_byday="MO" if peer else None,
                    opens_at="18:00" if peer else None, closes_at="19:30" if peer else None,
                    facilitator_check="Enhanced DBS check" if peer else None,
                    facilitator_checked_on=today - timedelta(days=90) if peer else None)
                db.session.add(service)
                db.session.flush()
            services.append({"id": service.id, "organisation_id": organisation.id, "levels": tuple(levels),
                             "boroughs": frozenset(boroughs), "weight": weight, "target_days": target_days})
    db.session.commit()
    return services


def _reference(report_id: int) -> str:
    """A referral reference unique to the report (one generated referral per report), scrambled so that it says
    nothing about the case. Nine characters, so it never clashes with the eight that real referrals get."""
    value = (report_id * 0x9E3779B1 + 0x5DEECE66D) % (32 ** 9)
    letters = []
    for _ in range(9):
        value, digit = divmod(value, 32)
        letters.append(REFERENCE_ALPHABET[digit])
    return "RF-" + "".join(letters)


class _Extras:
    """Builds the rows that go with one batch of inserted reports; holds them until the batch is written."""

    def __init__(self, rng: random.Random, now: datetime, services: list[dict], staff: list[int],
                 working_days: _WorkingDays, quiet: bool = False, dense: bool = False,
                 court_rng: random.Random | None = None) -> None:
        self.rng, self.now, self.staff, self.working_days = rng, now, staff, working_days
        self.quiet, self.dense = quiet, dense
        self.court_rng = court_rng  # court: witnesses and hearings, from their own stream (the rest stays the same)
        self.witness_links: list[dict] = []
        self.hearing_events: list[dict] = []  # hearings and changes, each with "_replaces" (the event it replaces)
        self.answers: list[dict] = []  # each with "_link" and "_hearing"
        self.staff_notes: list[dict] = []  # "a witness said they cannot attend", on the timeline for staff
        self.services_by_level = {level: [s for s in services if level in s["levels"]]
                                  for level in SUPPORT_LEVEL_WEIGHTS}
        self.deadlines: list[dict] = []
        self.equality: list[dict] = []
        self.surveys: list[dict] = []
        self.referrals: list[dict] = []  # each with "_consent" (a consent row or None) and "_person" (latent)
        self.check_ins: list[dict] = []
        self.tasks: list[dict] = []
        self.feedback: list[dict] = []
        self.written: Counter = Counter()

    # Deadlines -----------------------------------------------------------------------------------------------
    def _deadline(self, report_id, kind, description, starts, due, met) -> None:
        if met is not None and met > self.now:
            met = None
        self.deadlines.append({"report_id": report_id, "kind": kind, "description": description,
                               "starts_at": starts, "due_at": due, "met_at": met})

    def _met(self, start: datetime, due: datetime, on_time: float, late: float, mode_hours: float):
        roll = self.rng.random()
        if roll < on_time:
            return min(_at(start, _hours(self.rng, 0.02, 30, mode_hours)), due)
        if roll < on_time + late:
            return _at(due, _hours(self.rng, 1, 72, 6))
        return None

    def deadlines_for(self, report_id: int, row: dict) -> None:
        submitted = row["submitted_at"]
        self._deadline(report_id, DeadlineKind.TRIAGE, "Review the report", submitted, row["triage_due_at"],
                       row["triaged_at"])
        self._deadline(report_id, DeadlineKind.FIRST_RESPONSE, "First contact with the person who reported",
                       submitted, row["response_due_at"], row["first_response_at"])
        if not row["is_information_report"]:
            due = self.working_days.after(submitted, 2)
            met = self._met(submitted, due, OFFER_ON_TIME, OFFER_LATE, 1.1)
            if self.quiet:  # an open promise would be offered, by email, by the send-offers job
                met = min(met or _at(due, _hours(self.rng, 1, 72, 6)), self.now)
            self._deadline(report_id, DeadlineKind.SUPPORT_REFERRAL, "Offer a referral to support services",
                           submitted, due, met)
        if row["status"] == CaseStatus.NO_FURTHER_INVESTIGATION and row["triaged_at"] is not None:
            decided = row["triaged_at"]
            due = self.working_days.after(decided, 5)
            self._deadline(report_id, DeadlineKind.DECISION_NOT_TO_INVESTIGATE,
                           "Tell the victim the decision not to investigate", decided, due,
                           self._met(decided, due, NFI_ON_TIME, NFI_LATE, 0.1))

    # Equality ------------------------------------------------------------------------------------------------
    def equality_for(self, report_id: int, row: dict, disabled: bool) -> None:
        rng = self.rng
        if rng.random() >= EQUALITY_SHARE:
            return
        record = {"user_id": None, "report_id": report_id}
        for characteristic, mix in EQUALITY_MIX.items():
            record[characteristic] = None if rng.random() < SKIPPED else _weighted(rng, mix)
        roll = rng.random()
        record["disability"] = (None if roll < SKIPPED else PREFER_NOT_TO_SAY if roll < 0.09
                                else "yes" if disabled else "no")
        roll = rng.random()
        repeat = row["is_repeat_victim"] or rng.random() < 0.14
        record["repeat_victimisation"] = (None if roll < SKIPPED else PREFER_NOT_TO_SAY if roll < 0.10
                                          else "yes" if repeat else "no")
        when = min(_at(row["submitted_at"], _hours(rng, 0.01, 72, 0.1)), self.now)
        record["created_at"] = record["updated_at"] = when
        self.equality.append(record)

    # Surveys -------------------------------------------------------------------------------------------------
    def _survey(self, report_id: int, kind: SurveyKind, event_at: datetime, satisfied_chance: float,
                disabled: bool) -> None:
        rng = self.rng
        invited = _at(event_at, _hours(rng, 1, 48, 4))
        if invited > self.now:
            return
        row = {"report_id": report_id, "kind": kind, "invited_at": invited, "answered_at": None, "overall": None,
               "kept_informed": None, "treated_fairly": None, "ease_of_reporting": None, "comment": None}
        answered = _at(invited, _hours(rng, 0.1, 240, 12))
        if rng.random() < SURVEY_ANSWERED and answered <= self.now:
            satisfied = rng.random() < satisfied_chance
            overall = (5 if rng.random() < 0.45 else 4) if satisfied else _weighted(rng, {3: 45, 2: 30, 1: 25})

            def near(score: int) -> int | None:
                return None if rng.random() < 0.04 else max(1, min(5, score + rng.choice((-1, 0, 0, 0, 1))))

            easy = rng.random() < 0.85 - (0.12 if disabled else 0)
            row.update(answered_at=answered, overall=overall, kept_informed=near(overall - (rng.random() < 0.2)),
                       treated_fairly=near(overall), ease_of_reporting=None if rng.random() < 0.04
                       else (rng.choice((4, 5, 5)) if easy else rng.choice((1, 2, 3))),
                       comment=rng.choice(COMMENTS) if rng.random() < 0.15 else None)
        self.surveys.append(row)

    def surveys_for(self, report_id: int, row: dict, disabled: bool) -> None:
        rng, triaged = self.rng, row["triaged_at"]
        if triaged is None or row["safeguarding"]:  # never asked on a safeguarding case
            return
        chance = SATISFIED_BASE - (BOROUGH_GAP if row["borough"] in LOWER_SATISFACTION_BOROUGHS else 0) \
            - (DISABLED_GAP if disabled else 0)
        if rng.random() < SURVEY_AFTER_DECISION_SHARE:
            nfi = row["status"] == CaseStatus.NO_FURTHER_INVESTIGATION
            self._survey(report_id, SurveyKind.AFTER_DECISION, triaged, chance - (NFI_GAP if nfi else 0), disabled)
        if row["status"] == CaseStatus.CLOSED and rng.random() < SURVEY_AT_CLOSURE_SHARE:
            room = max(0.0, (self.now - triaged).total_seconds())
            closed = triaged if row["is_information_report"] else _at(
                triaged, rng.triangular(0, min(room, 60 * DAY), min(room, 10 * DAY)))
            self._survey(report_id, SurveyKind.AT_CLOSURE, closed, chance, disabled)

    # Referrals and check-ins --------------------------------------------------------------------------------
    def _service(self, level: str, borough: str) -> dict:
        options = self.services_by_level[level]
        local = [s for s in options if not s["boroughs"] or borough in s["boroughs"]] or options
        return self.rng.choices(local, weights=[s["weight"] for s in local])[0]

    def referral_for(self, report_id: int, row: dict, person: float) -> None:
        rng, now = self.rng, self.now
        if row["is_information_report"] or now - row["submitted_at"] < timedelta(hours=2):
            return
        share = REFERRAL_SHARE_WITNESS if row["reporter_role"] == ReporterRole.WITNESS else REFERRAL_SHARE_VICTIM
        share *= DENSE_REFERRAL_FACTOR if self.dense else 1
        if rng.random() >= share:
            return
        level = _weighted(rng, SUPPORT_LEVEL_WEIGHTS)
        service = self._service(level, row["borough"])
        created = _at(row["submitted_at"], _hours(rng, 1, 21 * 24, 30))
        if created > now:
            return
        referral = {
            "reference": _reference(report_id), "report_id": report_id, "organisation_id": service["organisation_id"],
            "service_id": service["id"], "consent_id": None, "status": S.PROPOSED, "version": 1,
            "support_level": level, "suggested_by_id": None, "sent_at": None, "first_contact_due_at": None,
            "accepted_at": None, "first_contact_at": None, "closed_at": None, "reason_code": None, "note": None,
            "created_at": created, "updated_at": created, "_consent": None, "_person": person,
            "_safeguarding": row["safeguarding"],
        }
        self.referrals.append(referral)
        if rng.random() < PROPOSED_SHARE:
            referral["suggested_by_id"] = rng.choice(self.staff) if self.staff else None
            return
        sent = created
        age = now - sent
        status = _weighted(rng, REFERRAL_STATUS_RECENT if age < timedelta(days=2)
                           else REFERRAL_STATUS_WEEKS if age < timedelta(days=14) else REFERRAL_STATUS_OLD)
        referral.update(sent_at=sent, first_contact_due_at=self.working_days.after(sent, service["target_days"]))
        consent = {"report_id": report_id, "organisation_id": service["organisation_id"],
                   "scopes": ["category_and_dates", "contact_details", "description"],
                   "source": ConsentSource.ONLINE, "given_at": sent, "recorded_by_id": None, "given_by": None,
                   "withdrawn_at": None}
        referral["_consent"] = consent
        latest = sent
        if status in (S.DECLINED, S.WITHDRAWN):
            ended = _at(sent, _hours(rng, 1, 240, 24))
            if ended > now:
                status = S.SENT
            else:
                referral["closed_at"] = latest = ended
                if status == S.DECLINED:
                    referral["reason_code"] = _weighted(rng, DECLINE_WEIGHTS)
                else:
                    consent["withdrawn_at"] = ended
        if status in (S.ACCEPTED, S.CONTACTED, S.UNABLE_TO_CONTACT, S.CLOSED):
            accepted = _at(sent, _hours(rng, 0.3, 96, 8))
            if accepted > now:
                status = S.SENT
            else:
                referral["accepted_at"] = latest = accepted
        if status in (S.CONTACTED, S.CLOSED):
            contacted = _at(referral["accepted_at"], _hours(rng, 0.5, 240, 30))
            if contacted > now:
                status = S.ACCEPTED
            else:
                referral["first_contact_at"] = latest = contacted
        if status == S.CLOSED:
            closed = _at(referral["first_contact_at"], rng.triangular(3, 90, 30) * DAY)
            if closed > now:
                status = S.CONTACTED
            else:
                referral["closed_at"] = latest = closed
                referral["reason_code"] = "joined_group" if level == "peer" and rng.random() < 0.7 \
                    else _weighted(rng, CLOSE_WEIGHTS)
        referral.update(status=status, updated_at=latest)

    def check_ins_for(self, referral: dict, referral_id: int) -> None:
        """Check-ins at 0, 4 and 12 weeks after sending (only the first once declined or withdrawn), for those
        already due and invited."""
        rng, sent = self.rng, referral["sent_at"]
        if sent is None or referral["_safeguarding"]:  # never asked on a safeguarding case
            return
        stopped = referral["status"] in (S.DECLINED, S.WITHDRAWN)
        peer = referral["support_level"] == "peer"
        for weeks in (0, 4, 12):
            if weeks and stopped:
                break
            due = sent + timedelta(weeks=weeks)
            invited = _at(due, _hours(rng, 0, 6, 1))
            if invited > self.now:
                break
            row = {"referral_id": referral_id, "report_id": referral["report_id"],
                   "organisation_id": referral["organisation_id"], "support_level": referral["support_level"],
                   "weeks": weeks, "due_at": due, "invited_at": invited, "answered_at": None}
            row.update(dict.fromkeys(CHECK_IN_ITEMS))
            answered = _at(invited, _hours(rng, 0.1, 168, 10))
            if rng.random() < (DENSE_CHECK_IN_ANSWERED if self.dense else CHECK_IN_ANSWERED)[weeks] \
                    and answered <= self.now:
                gain = CHECK_IN_GAIN[weeks] + (PEER_EXTRA_GAIN[weeks] if peer else 0)
                row["answered_at"] = answered
                for item, (offset, share) in CHECK_IN_ITEMS.items():
                    if rng.random() >= 0.03:
                        score = referral["_person"] + offset + gain * share + rng.gauss(0, 0.6)
                        row[item] = max(1, min(5, round(score)))
            self.check_ins.append(row)

    # Everything for one report, then the writes ---------------------------------------------------------------
    def add(self, report_id: int, row: dict) -> None:
        rng = self.rng
        disabled = rng.random() < DISABLED_SHARE
        # How the person is doing when support starts (1 to 5): lower for disabled victims and hate incidents.
        person = rng.gauss(2.6, 0.6) - (0.2 if disabled else 0) - (0.3 if row["hate_motivations"] else 0)
        self.deadlines_for(report_id, row)
        self.equality_for(report_id, row, disabled)
        self.surveys_for(report_id, row, disabled)
        self.referral_for(report_id, row, person)
        self.task_for(report_id, row)
        self.feedback_for(row)
        if self.court_rng is not None:
            self.court_for(report_id, row)

    # Court: hearings, their changes, witnesses and their answers (see COURT_SHARE) ------------------------------
    def _hearing_start(self, listed: datetime) -> datetime:
        """A weekday morning or afternoon (London) two to eight weeks after the hearing was listed."""
        rng = self.court_rng
        day = (listed + timedelta(days=rng.triangular(14, 56, 28))).astimezone(LONDON).date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return london_datetime(day, rng.choice(HEARING_STARTS))

    def _hearing_event(self, row: dict, report_id: int, listed: datetime, starts: datetime, place: str,
                       kind: str = "update", change: str | None = None, replaces: dict | None = None) -> dict:
        """A hearing update as portal.triage.services.post_update writes it (one copy, for the victim unless
        safeguarding, and for the witnesses), or a change as portal.tracking.hearings.change_hearing does."""
        if change is None:
            reason, title, body = HEARING, KEY_EVENTS[CaseStatus.COURT_HEARING_SCHEDULED].title, \
                KEY_EVENTS[CaseStatus.COURT_HEARING_SCHEDULED].body
        else:
            reason, title, body, _action = CHANGES[change]
        values = {"place": place, "when": {"datetime": starts.isoformat()}} if change in (None, "moved") else {}
        event = {"report_id": report_id, "occurred_at": listed, "actor_id": row["named_officer_id"], "kind": kind,
                 "title": title, "body": body, "visible_to_victim": not row["safeguarding"],
                 "visible_to_witness": True, "reason_code": reason, "text_values": values, "_replaces": replaces,
                 "_starts": starts if reason == HEARING else None, "_replaced_at": None}
        self.hearing_events.append(event)
        return event

    def court_for(self, report_id: int, row: dict) -> None:
        """For a case at court: its hearings (all started before now), what changed them, its witnesses and their
        answers about attending."""
        rng, share = self.court_rng, COURT_SHARE.get(row["status"], 0)
        if not share or row["is_information_report"] or rng.random() >= share:
            return
        latest = self.now - timedelta(days=1)  # every hearing is over: nothing left to remind anyone of
        listed = _at(row["submitted_at"], rng.triangular(2, 30, 7) * DAY)  # charged, then listed
        starts = self._hearing_start(listed)
        if starts > latest:
            return
        place = rng.choice(COURTS)
        hearing = self._hearing_event(row, report_id, listed, starts, place)
        hearings = [hearing]
        for _ in range(3):
            change = _weighted(rng, HEARING_CHANGES)
            if change is None:
                break
            # Made in the weeks before (an adjournment often on the day), never before the hearing was listed.
            earliest = max(_at(hearing["occurred_at"], DAY), starts - timedelta(days=28))
            made = starts - timedelta(hours=rng.uniform(1, 4)) if change == "adjourned" and rng.random() < 0.5 \
                else _at(earliest, rng.uniform(0, max(0.0, (starts - earliest).total_seconds() - HOUR)))
            moved_to = self._hearing_start(made) if change == "moved" else None
            if moved_to is not None and moved_to > latest:
                change, moved_to = "adjourned", None
            hearing["_replaced_at"] = made
            changed = self._hearing_event(row, report_id, made, moved_to or starts, place, "hearing_change", change,
                                          hearing)
            if change == "moved":
                hearing, starts = changed, moved_to
                hearings.append(hearing)
                continue
            if change == "vacated" or rng.random() >= RELISTED:
                break
            relisted = _at(made, rng.triangular(3, 42, 10) * DAY)
            starts = self._hearing_start(relisted)
            if starts > latest:
                break
            hearing = self._hearing_event(row, report_id, relisted, starts, place)
            hearings.append(hearing)
        self._witnesses_for(report_id, row, hearings)

    def _witnesses_for(self, report_id: int, row: dict, hearings: list[dict]) -> None:
        rng = self.court_rng
        first_listed = hearings[0]["occurred_at"]
        for number in range(_weighted(rng, WITNESS_COUNTS)):
            invited = max(_at(first_listed, rng.triangular(-14, 10, -2) * DAY), _at(row["submitted_at"], HOUR))
            joined = _at(invited, _hours(rng, 0.2, 120, 8))
            token = f"generated-witness:{report_id}:{number}:{rng.getrandbits(64):016x}"
            link = {"report_id": report_id,
                    "invited_email": f"{rng.choice(FIRST_NAMES).lower()}.{rng.choice(LAST_NAMES).lower()}"
                                     f"{rng.randint(1, 9999)}@example.org".replace(" ", "").replace("'", ""),
                    "code_hash": hashlib.sha256(token.encode()).hexdigest(),
                    "code_expires_at": invited + timedelta(days=14), "witness_user_id": None,
                    "linked_at": joined if rng.random() < WITNESS_JOINED and joined <= self.now else None,
                    "invited_by_id": row["named_officer_id"], "safe_channels": None, "contact_phone": None,
                    "contact_name": None, "contact_address": None, "contact_address_postcode": None,
                    "created_at": invited, "updated_at": joined if joined <= self.now else invited}
            self.witness_links.append(link)
            if link["linked_at"] is not None:
                for hearing in hearings:
                    self._answer(link, hearing)

    def _answer(self, link: dict, hearing: dict) -> None:
        """The witness's answer about one hearing: mostly more than 7 days before it, some later, some never.
        Never after the hearing was replaced (a replaced hearing is not asked about)."""
        rng, starts = self.court_rng, hearing["_starts"]
        opens = max(link["linked_at"], hearing["occurred_at"])
        closes = min(starts, hearing["_replaced_at"] or starts)
        if opens >= closes:
            return
        point = min(starts - timedelta(days=7), closes)
        roll = rng.random()
        if roll < ANSWER_ON_TIME and opens < point:
            answered = _at(opens, min(rng.triangular(0, 10, 1) * DAY, (point - opens).total_seconds() * 0.99))
        elif roll < ANSWER_ON_TIME + ANSWER_LATE:
            late_from = max(opens, point)
            answered = _at(late_from, rng.uniform(0, (closes - late_from).total_seconds()))
        else:
            return
        available = rng.random() >= CANNOT_ATTEND
        self.answers.append({"_link": link, "_hearing": hearing, "available": available, "note": None,
                             "answered_at": answered})
        if not available:  # staff see it on the timeline (witness care's task is not generated)
            self.staff_notes.append({"report_id": link["report_id"], "occurred_at": answered, "actor_id": None,
                                     "kind": "witness_cannot_attend", "title": CANNOT_ATTEND_TITLE, "body": None,
                                     "visible_to_victim": False, "visible_to_witness": False})

    def write_court(self, options: dict) -> None:
        """Insert the witness links, then the hearings and their changes a round at a time (a change names the id
        of the hearing it replaces), then the answers."""
        if self.witness_links:
            rows = [{k: v for k, v in link.items() if not k.startswith("_")} for link in self.witness_links]
            ids = db.session.scalars(insert(WitnessLink).returning(WitnessLink.id, sort_by_parameter_order=True),
                                     rows, execution_options=options).all()
            for link, link_id in zip(self.witness_links, ids, strict=True):
                link["_id"] = link_id
        pending = self.hearing_events
        while pending:
            ready = [e for e in pending if e["_replaces"] is None or "_id" in e["_replaces"]]
            pending = [e for e in pending if e["_replaces"] is not None and "_id" not in e["_replaces"]]
            rows = []
            for event in ready:
                row = {k: v for k, v in event.items() if not k.startswith("_")}
                if event["_replaces"] is not None:
                    row["text_values"] = {"replaces": str(event["_replaces"]["_id"])} | row["text_values"]
                rows.append(row)
            ids = db.session.scalars(insert(TimelineEvent).returning(TimelineEvent.id, sort_by_parameter_order=True),
                                     rows, execution_options=options).all()
            for event, event_id in zip(ready, ids, strict=True):
                event["_id"] = event_id
        if self.staff_notes:
            db.session.execute(insert(TimelineEvent), self.staff_notes, execution_options=options)
        if self.answers:
            db.session.execute(insert(CourtAvailability), [
                {"witness_link_id": a["_link"]["_id"], "hearing_event_id": a["_hearing"]["_id"],
                 "available": a["available"], "note": None, "answered_at": a["answered_at"]} for a in self.answers],
                execution_options=options)
        self.written.update(witnesses=len(self.witness_links),
                            hearings=sum(1 for e in self.hearing_events if e["reason_code"] == HEARING),
                            hearing_changes=sum(1 for e in self.hearing_events if e["kind"] == "hearing_change"),
                            court_answers=len(self.answers))

    # Feedback: anonymous, so nothing links it to the case ---------------------------------------------------------
    def feedback_for(self, row: dict) -> None:
        rng = self.rng
        if rng.random() >= FEEDBACK_SHARE:
            return
        given = min(_at(row["submitted_at"], _hours(rng, 0, 24 * 7, 1)), self.now)
        self.feedback.append({"given_on": given.astimezone(LONDON).date(), "rating": _weighted(rng, FEEDBACK_RATINGS),
                              "comment": rng.choice(COMMENTS) if rng.random() < FEEDBACK_COMMENT_SHARE else None,
                              "page": None})

    # Tasks: about one case in twelve asks for something; most are answered, some on time and some late ------------
    def task_for(self, report_id: int, row: dict) -> None:
        rng = self.rng
        if rng.random() >= TASK_SHARE:
            return
        task_type = _weighted(rng, TASK_WEIGHTS)
        raised = _at(row["submitted_at"], _hours(rng, 1, 24 * 20, 48))
        if raised > self.now:
            return
        acknowledge, due = due_at(task_type, raised)
        finished = _at(raised, _hours(rng, 1, 24 * 30, 40))
        done = finished <= self.now and rng.random() < 0.85
        self.tasks.append({
            "report_id": report_id, "type": task_type, "asker": Asker.VICTIM, "raised_by_id": None,
            "team": DUE_TIMES[task_type].team, "assignee_id": rng.choice(self.staff) if self.staff and
            rng.random() < 0.7 else None, "status": TaskStatus.DONE if done else TaskStatus.OPEN,
            "decided_by_id": None, "request_note": None, "raised_at": raised, "acknowledge_by": acknowledge,
            "acknowledged_at": None, "due_at": due, "completed_at": finished if done else None,
            "completed_by_id": None, "outcome": "We have dealt with this." if done else None, "reminded_at": None,
            "escalated_at": None})

    def write(self) -> None:
        """Insert everything built so far (the caller commits)."""
        options = {"render_nulls": True}
        for model, rows in ((VictimsCodeDeadline, self.deadlines), (EqualityRecord, self.equality),
                            (Survey, self.surveys)):
            if rows:
                db.session.execute(insert(model), rows, execution_options=options)
        consents = [r["_consent"] for r in self.referrals if r["_consent"] is not None]
        if consents:
            ids = db.session.scalars(insert(Consent).returning(Consent.id, sort_by_parameter_order=True),
                                     consents, execution_options=options).all()
            for consent, consent_id in zip(consents, ids, strict=True):
                consent["_id"] = consent_id
        if self.referrals:
            rows = [{k: v for k, v in r.items() if not k.startswith("_")}
                    | {"consent_id": r["_consent"]["_id"] if r["_consent"] else None} for r in self.referrals]
            ids = db.session.scalars(insert(Referral).returning(Referral.id, sort_by_parameter_order=True),
                                     rows, execution_options=options).all()
            for referral, referral_id in zip(self.referrals, ids, strict=True):
                self.check_ins_for(referral, referral_id)
        if self.check_ins:
            db.session.execute(insert(CheckIn), self.check_ins, execution_options=options)
        if self.tasks:
            db.session.execute(insert(Task), self.tasks, execution_options=options)
        if self.feedback:
            db.session.execute(insert(Feedback), self.feedback, execution_options=options)
        self.write_court(options)
        self.written.update(deadlines=len(self.deadlines), equality_records=len(self.equality),
                            surveys=len(self.surveys), referrals=len(self.referrals), check_ins=len(self.check_ins),
                            tasks=len(self.tasks), feedback=len(self.feedback))


def reserve_sequence(year: int, count: int) -> int:
    """Advance the year's crime-number sequence by count in this transaction; return the first value reserved."""
    dialect = db.session.get_bind().dialect.name
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        upsert(CrimeNumberSequence).values(year=year, last_value=0).on_conflict_do_nothing(index_elements=["year"])
    )
    db.session.execute(
        update(CrimeNumberSequence).where(CrimeNumberSequence.year == year)
        .values(last_value=CrimeNumberSequence.last_value + count).execution_options(synchronize_session=False)
    )
    last = db.session.scalar(select(CrimeNumberSequence.last_value).where(CrimeNumberSequence.year == year))
    return last - count + 1


def _insert_batch(rows: list[dict], prefix: str, extras: _Extras | None = None) -> None:
    """Number, insert and commit one batch of cases with their first timeline events and, given extras, the
    deadlines, referrals, check-ins, surveys and equality records that go with them.

    Reports go in as one executemany (render_nulls keeps None values in every row, so the ORM does not split the
    rows into one statement per combination of missing columns). There is no RETURNING: the first timeline
    events are copied from the new rows by one INSERT ... SELECT per year, over the crime numbers this batch
    reserved, and the new ids are read back over the same range. The range is exact: same prefix and year, a
    fixed-width sequence, and the check letter follows from the digits, so text order is sequence order.
    """
    by_year = Counter(row["submitted_at"].year % 100 for row in rows)
    first_value = {year: reserve_sequence(year, count) for year, count in sorted(by_year.items())}
    next_value = dict(first_value)
    for row in sorted(rows, key=lambda r: r["submitted_at"]):
        year = row["submitted_at"].year % 100
        row["crime_number"] = format_crime_number(prefix, year, next_value[year])
        next_value[year] += 1
    db.session.execute(insert(Report), rows, execution_options={"render_nulls": True})
    columns = ["report_id", "occurred_at", "kind", "title", "body", "visible_to_victim", "visible_to_witness"]
    ids: dict[str, int] = {}
    for year, first in first_value.items():
        numbers = (format_crime_number(prefix, year, first), format_crime_number(prefix, year, next_value[year] - 1))
        db.session.execute(insert(TimelineEvent).from_select(columns, select(
            Report.id, Report.submitted_at, literal("received"), literal(RECEIVED_TITLE), literal(RECEIVED_BODY),
            true(), false(),
        ).where(Report.crime_number.between(*numbers))))
        if extras is not None:
            ids.update(db.session.execute(select(Report.crime_number, Report.id)
                                          .where(Report.crime_number.between(*numbers))).tuples().all())
    if extras is not None:
        for row in rows:
            extras.add(ids[row["crime_number"]], row)
        extras.write()
    db.session.commit()


def generate(count: int, *, seed: int = 1, batch: int = 5000, spread: timedelta = SPREAD, quiet: bool = False,
             dense: bool = False, court: bool = False, progress=None) -> Counter:
    """Bulk-insert count synthetic cases submitted over the spread (and what goes with them), committing each batch;
    return how many rows of each kind were written. ``quiet``: nothing left for the jobs to write to a generated
    person about; ``dense``: more referrals and check-ins answered (DENSE_...), for a few thousand cases;
    ``court``: hearings, witnesses and their answers for the cases at court (COURT_SHARE), drawn from a stream of
    their own so the rest is the same with or without them. ``progress(done)`` is called after each batch."""
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not secrets
    court_rng = random.Random(f"{seed}:court") if court else None  # noqa: S311 - synthetic test data
    prefix = current_app.config["CRIME_NUMBER_PREFIX"]
    categories = list(db.session.scalars(
        select(CrimeCategory).where(CrimeCategory.active.is_(True), CrimeCategory.route.in_(REPORTABLE_ROUTES))
        .order_by(CrimeCategory.sort_order, CrimeCategory.id)))
    if not categories:
        raise click.ClickException("No active self-service categories: run the migrations first.")
    category_weights = {category: CATEGORY_WEIGHTS.get(category.code, 1) for category in categories}
    staff = list(db.session.scalars(select(User.id).where(User.role.in_((Role.OFFICER, Role.SUPERVISOR)),
                                                          User.is_active_account.is_(True)).order_by(User.id)))
    now = utcnow()
    services = ensure_organisations(now.date())  # commits, ending the read transaction before the first batch
    working_days = _WorkingDays()
    written: Counter = Counter()
    done = 0
    while done < count:
        size = min(batch, count - done)
        rows = [_case(rng, now, _weighted(rng, category_weights), staff, spread) for _ in range(size)]
        try:
            extras = _Extras(rng, now, services, staff, working_days, quiet, dense, court_rng)
            _insert_batch(rows, prefix, extras)
        except Exception:
            db.session.rollback()
            raise
        written.update(extras.written)
        done += size
        if progress is not None:
            progress(done)
    written["cases"] = count
    return written


def refresh_planner_statistics() -> None:
    """After a bulk load, tell the query planner how big the tables now are (ANALYZE, on SQLite and PostgreSQL).
    Until then PostgreSQL plans from the sizes autovacuum last saw: a table it last saw empty is planned as one row,
    and an insight query over a few thousand new cases then ran for more than nine minutes instead of a fraction of a
    second. It runs in the caller's transaction (both allow it) and counts what that transaction wrote."""
    db.session.execute(text("ANALYZE"))


@click.command("generate-cases")
@click.option("--count", default=100_000, show_default=True, type=click.IntRange(min=0), help="Cases to create.")
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed (same seed, same cases).")
@click.option("--batch", default=5000, show_default=True, type=click.IntRange(min=1), help="Rows per INSERT batch.")
@click.option("--days", default=SPREAD.days, show_default=True, type=click.IntRange(min=1),
              help="Spread the cases over this many days before now.")
@with_appcontext
def generate_cases(count: int, seed: int, batch: int, days: int):
    """Bulk-insert realistic synthetic cases for load testing. Never run against production data."""
    started = time.perf_counter()
    written = generate(count, seed=seed, batch=batch, spread=timedelta(days=days), progress=lambda done: click.echo(
        f"  {done}/{count} cases ({time.perf_counter() - started:.1f} s)"))
    refresh_planner_statistics()
    db.session.commit()
    click.echo(f"generated {count} cases in {time.perf_counter() - started:.1f} s")
    click.echo("with " + ", ".join(f"{written[name]} {name.replace('_', ' ')}" for name in
                                   ("deadlines", "referrals", "check_ins", "surveys", "equality_records", "tasks",
                                    "feedback")))
