"""A query budget for every main page: the most SQL statements one request may send.

Each page is drawn with a small data set and again with ten times as much. It must stay within its budget, and
send exactly as many statements the second time: a page whose count grows with the data has an N+1 query.
Later work keeps this table green; raise a budget only with a reason written beside it.
"""

import pytest
from sqlalchemy import func, select, update

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.cases.models import Report
from portal.clock import utcnow
from portal.devtools.generator import generate_cases
from portal.extensions import db
from portal.insight.refresh import refresh
from portal.peers.enums import Decision, SupporterStatus
from portal.peers.match_enums import MatchStatus
from portal.peers.match_models import PeerMatch, PeerMessage
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support.enums import Delivery
from portal.support.models import Referral
from portal.support.referral_states import VISIBLE_TO_PARTNER
from tests.conftest import sign_in_as
from tests.sql_counting import counting_statements

SMALL, LARGE = 50, 500  # generated cases
VICTIM_CASES = {SMALL: 2, LARGE: 20}  # cases linked to the victim's account

# page: (who looks at it, the most statements one request may send), measured on SQLite and PostgreSQL.
BUDGET = {
    # user, cases, their latest updates, unread messages
    "victim case list": (Role.VICTIM, 5),  # 5: the unread messages of every case, in one grouped query
    # the overview (issue 21): user, case, support suggestions, the latest assessment (the offer), surveys
    # waiting, unread messages (7: and the timeline, only while a visit is proposed, for its time; the named
    # officer when there is one). It was 10 with the timeline, requests and rights on it
    "victim case page": (Role.VICTIM, 7),
    # the case's other pages (issue 21), each after the user and the case:
    # the timeline, and the requests with who answered them ("What you asked us")
    "victim case updates": (Role.VICTIM, 4),
    # the latest assessment, the referrals with their organisations and services, and (issue 23) the messages from
    # the organisations not read yet, in one grouped query
    "victim case support": (Role.VICTIM, 5),
    # the files
    "victim case what you told us": (Role.VICTIM, 3),
    # the Victims' Code promises and whether each was met
    "victim case rights": (Role.VICTIM, 3),
    # the queue over every status, so that both data sets list rows: user, count, a page of reports, overdue
    # deadlines, unread messages, claimers' names, headline counts
    # (some of the first page claimed by an officer in both data sets, so that their names are looked up in both)
    "triage queue": (Role.OFFICER, 8),
    # + the case's tasks
    "staff case page": (Role.OFFICER, 14),
    # user, count, a page of tasks with their cases and holders, the headline counts
    "task queue": (Role.OFFICER, 8),
    "partner inbox": (Role.PARTNER, 4),
    # + the safeguarding concerns the organisation raised on the case, with the police's answers, and (issue 23) the
    # person's messages not read yet
    "partner referral": (Role.PARTNER, 8),
    "insight overview": (Role.COMMISSIONER, 8),
    "insight demand": (Role.COMMISSIONER, 7),
    # + the anonymous feedback by rating, read live (one grouped statement for both feedback figures)
    "insight experience": (Role.COMMISSIONER, 9),
    # read live, not from the rollups: user, categories (the filter), the counts by type and overall (one
    # statement), the two times of each finished request (for the percentiles)
    "insight requests": (Role.COMMISSIONER, 4),
    "insight witnesses": (Role.COMMISSIONER, 5),
    "insight public summary": (None, 5),
    # (issue 24) user, the organisation, the offers in each list (one grouped count; it was each list loaded
    # whole), the list shown with its offers
    "partner peer offers": (Role.PARTNER, 4),
    # user, the peer supporter's conversations (with their referrals; one organisation here), the messages not read
    # yet in each (one grouped count). It was 32 with 30 conversations, counting each one's messages apart
    "peer supporter conversations": (Role.VICTIM, 3),
}

# Peer supporters' offers to the partner's organisation, and conversations the victim holds as a peer supporter.
PEER_ROWS = {SMALL: 3, LARGE: 30}


def _generate(app, count: int, seed: int) -> None:
    result = app.test_cli_runner().invoke(generate_cases, ["--count", str(count), "--seed", str(seed)])
    assert result.exit_code == 0, result.output


def _people(app, make_user) -> dict:
    """A victim, an officer, a commissioner, and a partner of the organisation with the most referrals."""
    with app.app_context():
        organisation_id = db.session.scalar(
            select(Referral.organisation_id).where(Referral.consent_id.is_not(None),
                                                   Referral.status.in_(list(VISIBLE_TO_PARTNER)))
            .group_by(Referral.organisation_id).order_by(func.count().desc(), Referral.organisation_id).limit(1))
    return {Role.VICTIM: make_user(Role.VICTIM), Role.OFFICER: make_user(Role.OFFICER),
            Role.PARTNER: make_user(Role.PARTNER, organisation_id=organisation_id),
            Role.COMMISSIONER: make_user(Role.COMMISSIONER)}


def _link_cases_to(app, victim: User, how_many: int) -> str:
    """Give the victim this many triaged cases; the crime number of the first."""
    with app.app_context():
        ids = db.session.scalars(select(Report.id).where(Report.status != CaseStatus.RECEIVED)
                                 .order_by(Report.id).limit(how_many)).all()
        db.session.execute(update(Report).where(Report.id.in_(ids)).values(reporter_user_id=victim.id))
        db.session.commit()
        return db.session.scalar(select(Report.crime_number).where(Report.id == ids[0]))


def _claim_the_first_page(app, officer: User) -> None:
    """An officer has claimed the first reports of the queue (so the queue looks up who)."""
    with app.app_context():
        ids = db.session.scalars(select(Report.id).order_by(Report.triage_due_at, Report.id).limit(3)).all()
        db.session.execute(update(Report).where(Report.id.in_(ids)).values(claimed_by_id=officer.id))
        db.session.commit()


def _visible_referral(app, partner: User) -> str:
    with app.app_context():
        return db.session.scalar(select(Referral.reference).where(
            Referral.organisation_id == partner.organisation_id, Referral.consent_id.is_not(None),
            Referral.status.in_(list(VISIBLE_TO_PARTNER))).order_by(Referral.id))


def _urls(app, people: dict, victim_case: str) -> dict[str, str]:
    return {
        "victim case list": "/cases/",
        "victim case page": f"/cases/{victim_case}",
        "victim case updates": f"/cases/{victim_case}/updates",
        "victim case support": f"/cases/{victim_case}/support",
        "victim case what you told us": f"/cases/{victim_case}/what-you-told-us",
        "victim case rights": f"/cases/{victim_case}/your-rights",
        "triage queue": "/staff/triage?status=all",
        "staff case page": f"/staff/cases/{victim_case}",
        "task queue": "/staff/tasks/",
        "partner inbox": "/partner/referrals",
        "partner referral": f"/partner/referrals/{_visible_referral(app, people[Role.PARTNER])}",
        "insight overview": "/insight/",
        "insight demand": "/insight/demand",
        "insight experience": "/insight/experience",
        "insight requests": "/insight/requests",
        "insight witnesses": "/insight/witnesses",
        "insight public summary": "/insight/public",
        "partner peer offers": "/partner/peer-offers",
        "peer supporter conversations": "/peer-conversations",
    }


def _peer_support(app, people: dict, how_many: int) -> None:
    """Offers to the partner's organisation on generated cases, and, with the victim accepted there as a peer
    supporter, a conversation with unread messages on each of as many of its referrals."""
    organisation_id = people[Role.PARTNER].organisation_id
    now = utcnow()
    with app.app_context():
        offered = set(db.session.scalars(select(PeerOffer.report_id)))
        reports = db.session.scalars(select(Report).where(Report.id.not_in(offered) if offered else True)
                                     .order_by(Report.id).limit(how_many + 1)).all()
        # Each from the victim's account (the page reads only the offers): the last one is accepted below.
        offers = [PeerOffer(user_id=people[Role.VICTIM].id, report_id=report.id, first_name=f"Offer {report.id}",
                            categories=["theft"], languages=["en"], availability=["weekends"],
                            delivery=Delivery.ONLINE, borough="Camden", consented_at=now) for report in reports]
        db.session.add_all(offers)
        db.session.flush()
        held = [PeerSupporter(offer_id=offer.id, organisation_id=organisation_id, decision=Decision.NEW)
                for offer in offers]
        held[-1].decision, held[-1].status = Decision.ACCEPTED, SupporterStatus.ACTIVE
        db.session.add_all(held)
        db.session.flush()
        talked = set(db.session.scalars(select(PeerMatch.referral_id)))
        referral_ids = db.session.scalars(select(Referral.id).where(Referral.organisation_id == organisation_id,
                                                                    Referral.id.not_in(talked) if talked else True)
                                          .order_by(Referral.id).limit(how_many)).all()
        for referral_id in referral_ids:
            match = PeerMatch(referral_id=referral_id, supporter_id=held[-1].id, status=MatchStatus.AGREED,
                              proposed_at=now, answered_at=now, person_first_name="Sam")
            db.session.add(match)
            db.session.flush()
            db.session.add_all([PeerMessage(match_id=match.id, from_supporter=False, body="Hello", sent_at=now)
                                for _ in range(2)])
        db.session.commit()


def _measure(app, people: dict, urls: dict[str, str]) -> dict[str, int]:
    """Statements per page, each drawn once first (some things load once per process)."""
    with app.app_context():
        refresh(everything=True)
    _claim_the_first_page(app, people[Role.OFFICER])
    counts = {}
    for page, url in urls.items():
        client = app.test_client()
        who = BUDGET[page][0]
        if who is not None:
            sign_in_as(client, people[who])
        assert client.get(url).status_code == 200, url
        with counting_statements(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[page] = len(statements)
    return counts


@pytest.fixture
def measured(app, make_user) -> tuple[dict, dict]:
    """Statements per page with the small data set, then with ten times as much."""
    _generate(app, SMALL, seed=1)
    people = _people(app, make_user)
    _peer_support(app, people, PEER_ROWS[SMALL])
    small = _measure(app, people, _urls(app, people, _link_cases_to(app, people[Role.VICTIM], VICTIM_CASES[SMALL])))
    _generate(app, LARGE - SMALL, seed=2)
    _peer_support(app, people, PEER_ROWS[LARGE] - PEER_ROWS[SMALL])
    large = _measure(app, people, _urls(app, people, _link_cases_to(app, people[Role.VICTIM], VICTIM_CASES[LARGE])))
    return small, large


def test_every_main_page_is_in_the_budget_table(app):
    """The table covers the pages people use most (a page added to the service is added here)."""
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    for page in ("/cases/", "/cases/<crime_number>", "/cases/<crime_number>/updates", "/cases/<crime_number>/support",
                 "/cases/<crime_number>/what-you-told-us", "/cases/<crime_number>/your-rights",
                 "/staff/triage", "/staff/cases/<crime_number>",
                 "/partner/referrals", "/partner/referrals/<reference>", "/insight/", "/insight/demand",
                 "/insight/experience", "/insight/requests", "/insight/public"):
        assert page in rules


def test_each_main_page_stays_within_its_budget_and_does_not_grow_with_the_data(measured):
    small, large = measured
    assert set(small) == set(large) == set(BUDGET)
    over = {page: count for page, count in large.items() if count > BUDGET[page][1]}
    assert over == {}, f"over budget: {over} (budgets: { {p: b for p, (_w, b) in BUDGET.items()} })"
    grew = {page: (small[page], large[page]) for page in BUDGET if large[page] > small[page]}
    assert grew == {}, "statements grew with ten times the data (small, large)"
