"""Anonymous feedback (/feedback): the page, its errors, the rate limit, nothing personal kept, the comments'
retention, and the counts of each rating on the insight experience page (small counts suppressed)."""

from datetime import date, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.clock import LONDON, utcnow
from portal.data_rights.export import EXPORTED_TABLES, NOT_EXPORTED_TABLES
from portal.extensions import db
from portal.feedback.models import Feedback
from portal.feedback.services import COMMENT_MAX, forget_old_comments, record_feedback
from portal.insight.suppression import FEWER_THAN, HIDDEN
from tests.conftest import examples, sign_in_as
from tests.integration.test_insight import table
from tests.pagecheck import assert_good_page, h1_text

NO_RATING = "Select how you felt about the service"
TOO_LONG = f"Your answer must be {COMMENT_MAX} characters or fewer"


def rows(app) -> list[Feedback]:
    with app.app_context():
        return list(db.session.scalars(select(Feedback).order_by(Feedback.id)))


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Feedback))


def london_today() -> date:
    return utcnow().astimezone(LONDON).date()


def banner_link(html: str) -> str:
    """The address of the phase banner's feedback link."""
    start = html.index('govuk-phase-banner__text')
    href = html.index('href="', start) + len('href="')
    return unescape(html[href:html.index('"', href)])


# --- the page ---------------------------------------------------------------------------------------------------


def test_the_banner_links_to_the_feedback_page_naming_the_page_by_its_pattern(client):
    """The banner's link goes to /feedback, and names the page it is on by its route, never its address."""
    link = banner_link(client.get("/easy-read/rights").get_data(as_text=True))
    assert urlsplit(link).path == "/feedback"
    assert parse_qs(urlsplit(link).query) == {"from": ["/easy-read/<page>"]}
    assert urlsplit(banner_link(client.get("/track").get_data(as_text=True))).query == "from=/track"
    # On the feedback page itself, the link names no page.
    assert banner_link(client.get("/feedback").get_data(as_text=True)) == "/feedback"


def test_the_page_asks_for_a_rating_and_a_comment_and_nothing_about_the_person(client):
    response = client.get("/feedback?from=/track")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert h1_text(response) == "Give feedback on this service"
    assert_good_page(response)
    assert "Overall, how did you feel about the service you received today?" in html
    for rating in ("Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied", "Dissatisfied",
                   "Very dissatisfied"):
        assert f">\n    {rating}\n  </label>" in html or f">{rating}</label>" in html or rating in html
    assert "Do not include personal details" in html
    assert 'data-maxlength="1200"' in html  # the GOV.UK character count
    assert 'name="page" type="hidden" value="/track"' in html or 'value="/track"' in html
    for personal in ('name="email"', 'name="name"', 'name="phone"', 'type="email"'):
        assert personal not in html


def test_feedback_is_kept_with_the_day_and_the_page_and_thanked(app, client):
    response = client.post("/feedback", data={"rating": "4", "comment": "  Easy to use.  ",
                                              "page": "/cases/<crime_number>"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/feedback/thank-you"
    thanks = client.get("/feedback/thank-you")
    assert h1_text(thanks) == "Thank you for your feedback"
    assert_good_page(thanks)
    [kept] = rows(app)
    assert (kept.rating, kept.comment, kept.page, kept.given_on) == (4, "Easy to use.", "/cases/<crime_number>",
                                                                     london_today())


def test_nothing_personal_is_kept_even_for_someone_signed_in(app, client, make_user):
    """The table has no column for an account, an address, a time or a report, and holds no foreign key."""
    victim = make_user(Role.VICTIM)
    sign_in_as(client, victim)
    assert client.post("/feedback", data={"rating": "5"}).status_code == 302
    with app.app_context():
        columns = set(db.metadata.tables["service_feedback"].columns.keys())
        assert columns == {"id", "given_on", "rating", "comment", "page"}
        assert not db.metadata.tables["service_feedback"].foreign_keys
    [kept] = rows(app)
    assert (kept.rating, kept.comment, kept.page) == (5, None, None)
    # The download of a person's data accounts for the table, saying why it is not in it.
    assert "service_feedback" in NOT_EXPORTED_TABLES and "service_feedback" not in EXPORTED_TABLES
    assert "not personal data" in NOT_EXPORTED_TABLES["service_feedback"]


# --- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [{}, {"rating": ""}, {"rating": "6"}, {"rating": "0"}, {"rating": "-1"},
                                  {"rating": "very"}, {"rating": "4.5"}, {"rating": "\x00"}, {"rating": "5" * 500},
                                  {"comment": "Good service, but no rating."}])
def test_a_missing_or_made_up_rating_is_an_error_and_nothing_is_kept(app, client, data):
    response = client.post("/feedback", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert NO_RATING in html
    assert 'href="#rating' in html  # the error summary links to the question
    assert_good_page(response)
    assert count(app) == 0
    if "comment" in data:
        assert data["comment"] in html  # what they typed is kept on the page


def test_a_comment_over_the_limit_is_an_error_and_one_at_the_limit_is_kept(app, client):
    response = client.post("/feedback", data={"rating": "3", "comment": "x" * (COMMENT_MAX + 1)})
    assert response.status_code == 200
    assert TOO_LONG in response.get_data(as_text=True)
    assert_good_page(response)
    assert count(app) == 0
    assert client.post("/feedback", data={"rating": "3", "comment": "x" * COMMENT_MAX}).status_code == 302
    assert len(rows(app)[0].comment) == COMMENT_MAX


def test_a_huge_comment_is_refused_without_trouble(app, client):
    response = client.post("/feedback", data={"rating": "3", "comment": "é" * 200_000})
    assert response.status_code in (200, 413)
    assert count(app) == 0


def test_hostile_comments_are_kept_as_plain_text_without_invisible_controls(app, client):
    """Markup is only text (escaped if ever shown); control characters and direction overrides, which hide what a
    comment says, are taken out."""
    script = "<script>alert(1)</script>"
    response = client.post("/feedback", data={"rating": "1", "comment": "x" * (COMMENT_MAX + 1) + script})
    assert script not in response.get_data(as_text=True)  # shown again escaped, never as markup
    comment = f"{script}\x07 line one\r\nline two \u202egnp.exe\u2066 {{{{7*7}}}}\x00"
    assert client.post("/feedback", data={"rating": "1", "comment": comment}).status_code == 302
    assert rows(app)[0].comment == f"{script} line one\nline two gnp.exe {{{{7*7}}}}"


@pytest.mark.parametrize("page", ["https://evil.example/", "//evil.example/cases", "/cases/CR-26-0001234-X",
                                  "/no/such/page", "/feedback", "javascript:alert(1)", "/track\x07", "/" + "a" * 5000,
                                  "/track?next=https://evil.example", ""])
def test_a_page_that_is_not_one_of_the_sites_patterns_is_dropped(app, client, page):
    """Only a route pattern of this site is kept: another site, a real crime number or a made-up path is not."""
    assert client.get(f"/feedback?from={page}").status_code == 200
    assert client.post("/feedback", data={"rating": "2", "page": page}).status_code == 302
    assert rows(app)[0].page is None


def test_a_post_without_the_csrf_token_is_refused(app, client):
    response = client.post("/feedback", data={"rating": "5"}, csrf=False)
    assert response.status_code == 400
    assert count(app) == 0


hostile = st.one_of(st.text(max_size=300), st.sampled_from(
    ["<script>alert(1)</script>", "\x00", "5", "1", "99", "-1", "a" * 3000, "💥", "../../etc", "{{7*7}}", "\u202e"]))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(["rating", "comment", "page", "submit", "other"]), hostile, max_size=4))
def test_random_posts_never_fail_and_keep_only_what_is_valid(app, client, data):
    before = count(app)
    response = client.post("/feedback", data=data)
    assert response.status_code in (200, 302)
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    kept = count(app) - before
    assert kept == (1 if response.status_code == 302 else 0)
    if kept:
        newest = rows(app)[-1]
        assert newest.rating in range(1, 6) and newest.page is None
        assert newest.comment is None or len(newest.comment) <= COMMENT_MAX


def test_feedback_is_rate_limited_with_an_explanation(app, client, monkeypatch):
    from portal.extensions import limiter

    limiter.reset()
    monkeypatch.setitem(app.config, "FEEDBACK_RATE_LIMIT", "2 per minute")
    try:
        statuses = [client.post("/feedback", data={"rating": "5"}).status_code for _ in range(3)]
        assert statuses == [302, 302, 429]
        refused = client.post("/feedback", data={"rating": "5"})
        assert h1_text(refused) == "You have tried too many times"
        assert client.get("/feedback").status_code == 200  # reading the page is not limited
        assert count(app) == 2
    finally:
        limiter.reset()


def test_the_page_and_the_thanks_are_translated(client):
    client.set_cookie("language", "pl")
    assert h1_text(client.get("/feedback")) != "Give feedback on this service"
    assert h1_text(client.get("/feedback/thank-you")) != "Thank you for your feedback"
    client.set_cookie("language", "ar")
    html = client.post("/feedback", data={}).get_data(as_text=True)
    assert NO_RATING not in html
    assert "اختر رأيك في الخدمة" in html


# --- keeping ----------------------------------------------------------------------------------------------------


def test_comments_are_emptied_after_180_days_and_the_ratings_kept(app, ctx):
    today = london_today()
    record_feedback(5, "Recent comment.", today=today - timedelta(days=179))
    record_feedback(2, "Old comment.", today=today - timedelta(days=181))
    assert forget_old_comments() == 1
    db.session.commit()
    kept = {f.rating: f.comment for f in db.session.scalars(select(Feedback))}
    assert kept == {5: "Recent comment.", 2: None}


# --- insight ----------------------------------------------------------------------------------------------------


def _feedback(ratings: dict[int, int], day: date) -> None:
    db.session.add_all(Feedback(rating=rating, given_on=day, comment="A comment that must not be shown.")
                       for rating, number in ratings.items() for _ in range(number))
    db.session.commit()


def test_the_experience_page_counts_each_rating_and_the_share_satisfied(app, ctx, client, make_user):
    sign_in_as(client, make_user(Role.COMMISSIONER))
    _feedback({5: 20, 4: 12, 3: 10, 2: 10, 1: 10}, london_today())
    html = client.get("/insight/experience").get_data(as_text=True)
    ratings = table(html, "feedback-by-rating")
    assert ratings["Total"] == ["62"]
    assert [ratings[name] for name in ("Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied",
                                       "Dissatisfied", "Very dissatisfied")] == [["20"], ["12"], ["10"], ["10"],
                                                                                 ["10"]]
    assert table(html, "feedback-satisfied")["Satisfied or very satisfied"] == ["62", "52%"]
    assert "A comment that must not be shown." not in html
    csv = client.get("/insight/figures/feedback-by-rating.csv").get_data(as_text=True)
    assert "Very satisfied,20" in csv and "must not be shown" not in csv


def test_small_counts_of_feedback_are_suppressed(app, ctx, client, make_user):
    """A rating given by fewer than 10 is hidden, and with the total shown, the next smallest too."""
    sign_in_as(client, make_user(Role.COMMISSIONER))
    _feedback({5: 30, 4: 15, 3: 12, 2: 11, 1: 3}, london_today())
    html = client.get("/insight/experience").get_data(as_text=True)
    ratings = table(html, "feedback-by-rating")
    assert ratings["Very dissatisfied"] == [FEWER_THAN]
    assert ratings["Dissatisfied"] == [HIDDEN]
    assert ratings["Very satisfied"] == ["30"] and ratings["Total"] == ["71"]


def test_fewer_than_10_answers_in_all_are_hidden_and_the_dates_filter_them(app, ctx, client, make_user):
    sign_in_as(client, make_user(Role.COMMISSIONER))
    today = london_today()
    _feedback({5: 4, 1: 2}, today)
    _feedback({5: 40, 4: 12}, date(today.year - 2, 1, 15))
    this_month = f"date_from-month={today.month}&date_from-year={today.year}"
    html = client.get(f"/insight/experience?{this_month}").get_data(as_text=True)
    assert table(html, "feedback-satisfied")["Satisfied or very satisfied"] == [FEWER_THAN, FEWER_THAN]
    assert table(html, "feedback-by-rating")["Total"] == [FEWER_THAN]
    everything = client.get("/insight/experience").get_data(as_text=True)
    assert table(everything, "feedback-by-rating")["Very satisfied"] == ["44"]
