"""Staff are named by rank, collar number and name on every staff screen, in task outcomes and in the audit trail,
never by email address; the migration splits names written whole into their parts."""

import flask_migrate
import pytest
from sqlalchemy import text

from portal.app import create_app
from portal.auth.roles import Role
from portal.auth.staff_names import split_combined, staff_name, staff_names
from portal.extensions import db
from tests.conftest import make_config, sign_in_as
from tests.paths import MIGRATIONS
from tests.triage_helpers import make_report

BEFORE_NAMES = "dbca0a91dc27"


def test_an_officer_is_named_by_rank_collar_number_and_name(app, make_user):
    with app.app_context():
        _names_of_officers(make_user)


def _names_of_officers(make_user):
    officer = make_user(Role.OFFICER, display_name="Alex Morgan", rank="PC", collar_number="1234")
    partner = make_user(Role.PARTNER, display_name="Jo Worker")
    unnamed = make_user(Role.OFFICER, display_name=None)
    assert staff_name(officer) == "PC 1234 Alex Morgan"
    assert staff_name(partner) == "Jo Worker"
    assert staff_name(unnamed) == "A member of staff"
    assert unnamed.email not in staff_names([unnamed.id])[unnamed.id]
    assert staff_names([officer.id, partner.id, None]) == {officer.id: "PC 1234 Alex Morgan",
                                                           partner.id: "Jo Worker"}


@pytest.mark.parametrize(("whole", "parts"), [
    ("PC 1234 Alex Morgan", ("PC", "1234", "Alex Morgan")),
    ("DS  77  Priya Shah", ("DS", "77", "Priya Shah")),
    ("Alex Morgan", (None, None, "Alex Morgan")),
    ("PC Alex Morgan", (None, None, "PC Alex Morgan")),
    (None, (None, None, None)),
])
def test_a_name_written_whole_splits_into_rank_collar_number_and_name(whole, parts):
    assert split_combined(whole) == parts


def test_staff_screens_name_staff_and_never_show_their_email(app, client, make_user):
    officer = make_user(Role.OFFICER, email="alex.private@example.police.uk", display_name="Alex Morgan",
                        rank="PC", collar_number="1234")
    crime_number = make_report(app)
    sign_in_as(client, officer)
    claimed = client.post(f"/staff/cases/{crime_number}/claim", data={"version": "1"})
    assert claimed.status_code == 302
    for url in ("/staff/triage", f"/staff/cases/{crime_number}", "/staff/tasks"):
        page = client.get(url).get_data(as_text=True)
        assert "alex.private@example.police.uk" not in page, url
    case_page = client.get(f"/staff/cases/{crime_number}").get_data(as_text=True)
    assert "PC 1234 Alex Morgan" in case_page
    # The audit trail reads as words.
    assert "claimed the report" in case_page
    assert "report.claimed" not in case_page


@pytest.mark.commits
def test_the_migration_splits_officers_names_and_joins_them_again_on_downgrade(tmp_path):
    application = create_app(make_config(f"sqlite:///{tmp_path / 'names.db'}"))
    with application.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS), revision=BEFORE_NAMES)
        with db.engine.begin() as connection:
            for email, role, name in (("a@x.org", "officer", "PC 1234 Alex Morgan"),
                                      ("b@x.org", "partner", "PC 5 Not An Officer"),
                                      ("c@x.org", "supervisor", "Sam Lee")):
                connection.execute(text("INSERT INTO users (email, display_name, password_hash, role, "
                                        "is_active_account, created_at, updated_at) VALUES "
                                        "(:e, :n, 'x', :r, 1, '2026-01-01', '2026-01-01')"),
                                   {"e": email, "n": name, "r": role})
        flask_migrate.upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT email, rank || '|' || coalesce(collar_number, '') || '|' "
                                                "|| display_name FROM users WHERE rank IS NOT NULL")).all())
            others = dict(connection.execute(text("SELECT email, display_name FROM users WHERE rank IS NULL")).all())
        assert rows == {"a@x.org": "PC|1234|Alex Morgan"}
        assert others == {"b@x.org": "PC 5 Not An Officer", "c@x.org": "Sam Lee"}
        flask_migrate.downgrade(directory=str(MIGRATIONS), revision=BEFORE_NAMES)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT display_name FROM users WHERE email = 'a@x.org'")).scalar() \
                == "PC 1234 Alex Morgan"
        db.engine.dispose()


def test_the_public_are_shown_to_staff_by_their_part_in_the_case(app, make_user):
    victim, witness = make_user(Role.VICTIM), make_user(Role.WITNESS)
    with app.app_context():
        assert staff_names([victim.id, witness.id]) == {victim.id: "The victim", witness.id: "A witness"}


def test_an_admin_gives_a_new_officer_a_rank_and_collar_number(app, client, signed_in):
    signed_in(Role.ADMIN)
    response = client.post("/admin/staff/new", data={"email": "jo@police.example", "role": "officer",
                                                     "display_name": "Jo Bloggs", "rank": "DC", "collar_number": "42"})
    assert response.headers["Location"] == "/admin/staff"
    assert "DC 42 Jo Bloggs" in client.get("/admin/staff").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "message"), [
    ({"role": "officer", "collar_number": ""}, "Enter the officer’s collar number"),
    ({"role": "officer", "collar_number": "12a4"}, "Collar number must be numbers only, like 1234"),
    ({"role": "officer", "collar_number": "12345678"}, "Collar number must be 7 digits or fewer"),
    ({"role": "officer", "collar_number": "1", "rank": "General"}, "Select a rank from the list"),
    ({"role": "partner", "collar_number": "1234"}, "Only police officers have a rank and collar number"),
])
def test_a_wrong_rank_or_collar_number_is_explained_on_the_page(app, client, signed_in, fields, message):
    signed_in(Role.ADMIN)
    response = client.post("/admin/staff/new", data={"email": "jo@police.example", "display_name": "Jo Bloggs",
                                                     "rank": "", **fields})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert "Jo Bloggs" in page  # nothing typed is lost
