"""Issue 24: availability is matched. A victim who asks for one-to-one peer support says when they could usually
talk (the same times a peer supporter offers, or any time); only peer supporters sharing at least one of those times
are suitable, and the coordinator sees the person's times on the pairing page. Assessments from before the question
have no answer, which counts as any time."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import Report
from portal.domain import DomainError
from portal.extensions import db
from portal.peers.match_queries import times_fit
from portal.peers.models import PeerOffer
from portal.support import assessments
from portal.support.enums import ANY_TIME, Availability
from portal.support.models import NeedsAssessment
from portal.support.recommendation import Impact, NeedsAnswers
from tests.conftest import new_user, sign_in_as
from tests.pagecheck import assert_good_page
from tests.peer_match_helpers import (
    one_to_one_organisation,
    partner_client,
    partner_url,
    peer_supporter,
    text_of,
    victim_asking_for_one_to_one,
)
from tests.triage_helpers import make_report

TIMES = [time.value for time in Availability]


@pytest.fixture
def network(app):
    """An organisation running one-to-one peer support with three peer supporters free at different times."""
    with app.app_context():
        organisation_id, service_id = one_to_one_organisation()
    supporters = {"Ann": peer_supporter(app, organisation_id, "Ann", availability=("weekday_daytime",)),
                  "Jo": peer_supporter(app, organisation_id, "Jo", availability=("weekday_evenings", "weekends")),
                  "Kit": peer_supporter(app, organisation_id, "Kit", availability=("weekends",))}
    return {"organisation": organisation_id, "service": service_id, "supporters": supporters,
            "partner": partner_client(app, organisation_id)}


def _listed(page: str, names) -> set[str]:
    return {name for name in names if f">{name}<" in page}


def _chooser(app):
    """A victim with an assessment, signed in, before choosing: (client, crime number, report id)."""
    victim = new_user(app)
    crime_number = make_report(app, user=victim)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        assessments.save_assessment(db.session.get(User, victim.id), report, NeedsAnswers(daily_life=Impact.A_LITTLE))
        report_id = report.id
    client = app.test_client()
    sign_in_as(client, victim)
    return client, crime_number, report_id


def _saved(app, report_id: int) -> NeedsAssessment:
    with app.app_context():
        found = db.session.scalar(select(NeedsAssessment).where(NeedsAssessment.report_id == report_id)
                                  .order_by(NeedsAssessment.id.desc()))
        db.session.expunge(found)
        return found


def test_the_choice_page_asks_when_they_could_talk(app):
    """The question sits under one-to-one peer support, with the three times and 'any time'; the answer is kept
    in the list's order and shown ticked when they come back to change their choice."""
    client, crime_number, report_id = _chooser(app)
    page = client.get(f"/support/{crime_number}/choose")
    assert_good_page(page)
    shown = text_of(page)
    assert "If you would like to talk one-to-one, when could you usually talk?" in shown
    assert all(words in shown for words in ("Weekday daytimes", "Weekday evenings", "Weekends", "Any time"))
    chosen = client.post(f"/support/{crime_number}/choose", data={
        "level": "information", "one_to_one": "y", "talk_times": ["weekends", "weekday_daytime"]})
    assert chosen.status_code == 302
    saved = _saved(app, report_id)
    assert (saved.wants_peer_one_to_one, saved.peer_times) == (True, ["weekday_daytime", "weekends"])
    again = client.get(f"/support/{crime_number}/choose").get_data(as_text=True)
    assert 'value="weekends" checked' in again and 'value="weekday_daytime" checked' in again


def test_any_time_with_other_times_is_kept_as_any_time(app):
    client, crime_number, report_id = _chooser(app)
    assert client.post(f"/support/{crime_number}/choose", data={
        "level": "information", "one_to_one": "y", "talk_times": ["weekends", "any"]}).status_code == 302
    assert _saved(app, report_id).peer_times == ["any"]


def test_times_are_not_kept_without_one_to_one(app):
    """Times ticked by someone who did not ask for one-to-one peer support mean nothing and are not stored."""
    client, crime_number, report_id = _chooser(app)
    assert client.post(f"/support/{crime_number}/choose", data={
        "level": "information", "peer": "y", "talk_times": ["weekends"]}).status_code == 302
    saved = _saved(app, report_id)
    assert (saved.wants_peer_one_to_one, saved.peer_times, saved.chosen_level) == (False, None, "information")


@pytest.mark.parametrize("times", [[], ["sometimes"], ["<script>alert(1)</script>"], ["weekends", "x" * 5000],
                                   ["weekends\x00"]], ids=["missing", "unknown", "hostile", "oversized", "control"])
def test_one_to_one_without_a_good_time_is_refused_on_the_page(app, times):
    """No time, or one not on the list, is an error on the page with the summary, and nothing is saved; the rest
    of their answers stay on the page."""
    client, crime_number, report_id = _chooser(app)
    refused = client.post(f"/support/{crime_number}/choose", data={
        "level": "contact", "one_to_one": "y", "peer": "y", "talk_times": times})
    assert refused.status_code == 200
    assert_good_page(refused)
    html = refused.get_data(as_text=True)
    assert "govuk-error-summary" in html and 'href="#talk_times"' in html
    assert html.count("Select when you could usually talk, or any time") == 2  # the summary and the question
    assert "<script>alert(1)</script>" not in html
    assert 'value="contact" checked' in html
    saved = _saved(app, report_id)
    assert (saved.chosen_level, saved.wants_peer_one_to_one, saved.peer_times) == (None, False, None)


@pytest.mark.parametrize(("times", "expected"), [
    (("weekday_daytime",), {"Ann"}),
    (("weekends",), {"Jo", "Kit"}),
    (("weekday_evenings",), {"Jo"}),
    (("weekday_daytime", "weekday_evenings"), {"Ann", "Jo"}),
    (("any",), {"Ann", "Jo", "Kit"}),
])
def test_only_peer_supporters_sharing_a_time_are_suitable(app, network, times, expected):
    """The pairing page lists those free at one of the person's times at least, and shows the person's times."""
    person = victim_asking_for_one_to_one(app, network["service"], talk_times=times)
    page = network["partner"].get(partner_url(person))
    assert_good_page(page)
    assert _listed(page.get_data(as_text=True), network["supporters"]) == expected
    words = {"weekday_daytime": "Weekday daytimes", "weekday_evenings": "Weekday evenings", "weekends": "Weekends",
             "any": "Any time"}
    assert f"The person can usually talk {', '.join(words[t] for t in times)}" in text_of(page)


def test_a_supporter_at_other_times_cannot_be_proposed(app, network):
    """Proposing someone free only at other times is refused on the page, as for anyone else unsuitable."""
    person = victim_asking_for_one_to_one(app, network["service"], talk_times=("weekday_daytime",))
    refused = network["partner"].post(partner_url(person),
                                      data={"supporter": str(network["supporters"]["Kit"]["id"])})
    assert refused.status_code == 200
    assert_good_page(refused)
    assert "govuk-error-summary" in refused.get_data(as_text=True)
    assert network["partner"].post(partner_url(person), data={
        "supporter": str(network["supporters"]["Ann"]["id"])}).status_code == 302


def test_an_assessment_from_before_the_question_counts_as_any_time(app, network):
    """A person who asked for one-to-one support before they were asked for times (no answer stored) is treated
    as free at any time: every otherwise suitable peer supporter is listed, and the coordinator is told why."""
    person = victim_asking_for_one_to_one(app, network["service"], talk_times=("weekday_daytime",))
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == person["crime_number"]))
        for assessment in db.session.scalars(select(NeedsAssessment).where(NeedsAssessment.report_id == report.id)):
            assessment.peer_times = None
        db.session.commit()
    page = network["partner"].get(partner_url(person))
    assert_good_page(page)
    assert _listed(page.get_data(as_text=True), network["supporters"]) == {"Ann", "Jo", "Kit"}
    assert "Any time (not asked when they asked for one-to-one peer support)" in text_of(page)


def test_a_supporter_who_gave_no_time_is_never_suitable(app, network):
    person = victim_asking_for_one_to_one(app, network["service"], talk_times=("any",))
    with app.app_context():
        offer = db.session.scalar(select(PeerOffer).where(PeerOffer.first_name == "Ann"))
        offer.availability = []
        db.session.commit()
    page = network["partner"].get(partner_url(person)).get_data(as_text=True)
    assert _listed(page, network["supporters"]) == {"Jo", "Kit"}


time_lists = st.lists(st.sampled_from(TIMES), unique=True)


@given(offered=time_lists, wanted=time_lists)
def test_times_fit_when_one_is_shared(offered, wanted):
    """With particular times on both sides, they fit exactly when they share one."""
    if wanted:
        assert times_fit(wanted, offered) == bool(set(offered) & set(wanted))


@given(offered=time_lists, extra=time_lists)
def test_any_time_or_no_answer_fits_everyone_who_gave_a_time(offered, extra):
    for wanted in ([ANY_TIME, *extra], [], None):
        assert times_fit(wanted, offered) == bool(offered)


@given(offered=time_lists, wanted=time_lists, more=time_lists)
def test_more_times_never_leave_anyone_out(offered, wanted, more):
    """Adding times to either side keeps everyone who fitted before (a person who gave particular times)."""
    if wanted and times_fit(wanted, offered):
        assert times_fit(sorted({*wanted, *more}), offered)
        assert times_fit(wanted, sorted({*offered, *more}))


@given(ticked=st.lists(st.sampled_from([*TIMES, ANY_TIME]), min_size=1))
def test_the_kept_answer_is_any_time_or_the_times_in_order(ticked):
    kept = assessments.talk_times(ticked)
    assert kept == ([ANY_TIME] if ANY_TIME in ticked else [t for t in TIMES if t in ticked])


@given(ticked=st.lists(st.one_of(st.sampled_from([*TIMES, ANY_TIME]), st.text(max_size=30)), max_size=6))
def test_any_input_is_kept_from_the_list_or_refused_on_the_question(ticked):
    """Whatever is posted, the kept answer holds only the list's values, or the question gets an error."""
    try:
        kept = assessments.talk_times(ticked)
    except DomainError as error:
        assert error.field == "talk_times"
        assert not ticked or not set(ticked) <= {*TIMES, ANY_TIME}
    else:
        assert kept and set(kept) <= {*TIMES, ANY_TIME} and (kept == [ANY_TIME] or ANY_TIME not in kept)
