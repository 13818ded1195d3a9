"""Synthetic cases for load and scale testing: ``flask generate-cases --count 100000``.

The mix follows the London figures in /work/shared/data/README.md: mostly theft and criminal damage, 12% new
demand, cases spread over every borough. Rows go in with bulk INSERTs (one per batch for reports, one for their
first timeline events), not one ORM object per row, so 100,000 cases take seconds, not minutes.

Crime numbers come from the same per-year sequence rows as real submissions: each batch advances the year's row
once by the number it needs, in the batch's own transaction, so numbers issued later by
``portal.reporting.sequence.next_sequence_value`` never clash with generated ones.
"""

import random
import time
from collections import Counter
from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import false, insert, literal, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.auth.models import Role, User
from portal.clock import utcnow
from portal.extensions import db
from portal.reporting.boroughs import BOROUGHS
from portal.reporting.crime_numbers import format_crime_number
from portal.reporting.models import (
    CaseStatus,
    CrimeCategory,
    CrimeNumberSequence,
    FollowUp,
    Report,
    ReporterRole,
    Route,
)
from portal.tracking.models import TimelineEvent

TRIAGE_WITHIN = timedelta(minutes=45)
RESPOND_WITHIN = timedelta(hours=48)
SPREAD = timedelta(days=90)
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


def _submitted_at(rng: random.Random, now: datetime) -> datetime:
    """When the case came in: a few in the last hour, the rest over the last 90 days."""
    if rng.random() < RECENT_SHARE:
        return now - timedelta(seconds=rng.uniform(0, 3600))
    return now - timedelta(seconds=rng.uniform(3600, SPREAD.total_seconds()))


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


def _case(rng: random.Random, now: datetime, category: CrimeCategory, staff: list[int]) -> dict:
    """One report's columns (everything but its crime number)."""
    submitted = _submitted_at(rng, now)
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


def _insert_batch(rows: list[dict], prefix: str) -> None:
    """Number, insert and commit one batch of cases with their first timeline events.

    Reports go in as one executemany (render_nulls keeps None values in every row, so the ORM does not split the
    rows into one statement per combination of missing columns). There is no RETURNING: the first timeline
    events are copied from the new rows by one INSERT ... SELECT per year, over the crime numbers this batch
    reserved. The range is exact: same prefix and year, a fixed-width sequence, and the check letter follows
    from the digits, so text order is sequence order.
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
    for year, first in first_value.items():
        numbers = (format_crime_number(prefix, year, first), format_crime_number(prefix, year, next_value[year] - 1))
        db.session.execute(insert(TimelineEvent).from_select(columns, select(
            Report.id, Report.submitted_at, literal("received"), literal(RECEIVED_TITLE), literal(RECEIVED_BODY),
            true(), false(),
        ).where(Report.crime_number.between(*numbers))))
    db.session.commit()


@click.command("generate-cases")
@click.option("--count", default=100_000, show_default=True, type=click.IntRange(min=0), help="Cases to create.")
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed (same seed, same cases).")
@click.option("--batch", default=5000, show_default=True, type=click.IntRange(min=1), help="Rows per INSERT batch.")
@with_appcontext
def generate_cases(count: int, seed: int, batch: int):
    """Bulk-insert realistic synthetic cases for load testing. Never run against production data."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not secrets
    prefix = current_app.config["CRIME_NUMBER_PREFIX"]
    categories = list(db.session.scalars(
        select(CrimeCategory).where(CrimeCategory.active.is_(True), CrimeCategory.route.in_(REPORTABLE_ROUTES))
        .order_by(CrimeCategory.sort_order, CrimeCategory.id)))
    if not categories:
        raise click.ClickException("No active self-service categories: run the migrations first.")
    category_weights = {category: CATEGORY_WEIGHTS.get(category.code, 1) for category in categories}
    staff = list(db.session.scalars(select(User.id).where(User.role.in_((Role.OFFICER, Role.SUPERVISOR)),
                                                          User.is_active_account.is_(True)).order_by(User.id)))
    db.session.commit()  # end the read transaction before the first batch
    now = utcnow()
    done = 0
    while done < count:
        size = min(batch, count - done)
        rows = [_case(rng, now, _weighted(rng, category_weights), staff) for _ in range(size)]
        try:
            _insert_batch(rows, prefix)
        except Exception:
            db.session.rollback()
            raise
        done += size
        click.echo(f"  {done}/{count} cases ({time.perf_counter() - started:.1f} s)")
    click.echo(f"generated {count} cases in {time.perf_counter() - started:.1f} s")
