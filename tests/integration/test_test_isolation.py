"""The per-test rollback (tests/conftest.py) really isolates tests: what a test commits is gone afterwards."""

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.extensions import db
from tests.conftest import ROLLED_BACK, rolled_back
from tests.factories import UserFactory


def _accounts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


# Marked `commits`, so that this test can run a rolled-back transaction itself and look at it from outside.
@pytest.mark.commits
def test_commits_inside_a_test_are_rolled_back_afterwards(app, make_app):
    """Commits by a service, by a request and by a second app on the database all vanish with the test."""
    assert not ROLLED_BACK
    with app.app_context():
        UserFactory(role=Role.OFFICER)  # committed for good, outside
    before = _accounts(app)
    assert before == 1
    with rolled_back(app):
        with app.app_context():
            UserFactory(role=Role.VICTIM)
        registered = app.test_client().post("/register", data={
            "email": "someone@example.org", "password": "a long enough password",
            "confirm_password": "a long enough password"}, follow_redirects=False)
        assert registered.status_code == 302  # registered: an account is made and committed
        second = make_app()
        with second.app_context():
            UserFactory(role=Role.WITNESS)
        assert _accounts(app) == before + 3  # seen inside the test, from every session
    assert _accounts(app) == before


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_starts_with_no_accounts(app, make_user, turn):
    """Whichever of these runs second finds the first one's account gone."""
    assert ROLLED_BACK and _accounts(app) == 0
    make_user(Role.VICTIM, email="same@example.org")
    assert _accounts(app) == 1


@pytest.mark.parametrize("turn", [1, 2])
def test_a_test_with_only_another_app_is_rolled_back_too(make_app, turn):
    """A test that asks for make_app but not app still runs in the rolled-back transaction (an app it makes
    joins it), so whichever runs second finds no account."""
    second = make_app()
    assert ROLLED_BACK
    with second.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        UserFactory(role=Role.VICTIM, email="made@example.org")


@pytest.mark.commits
def test_data_kept_for_a_module_is_the_same_for_each_test_and_gone_afterwards(app):
    """kept_for_the_module: each test starts from the kept data, without what the test before it made, and the
    kept data is gone when the module is done."""
    from tests.conftest import KEPT, kept_for_the_module, new_user, rolled_back_to_savepoint

    assert not KEPT
    before = _accounts(app)
    with kept_for_the_module(app):
        new_user(app, Role.OFFICER)  # the module's data
        for _test in range(2):
            with rolled_back_to_savepoint(app):
                assert _accounts(app) == before + 1
                registered = app.test_client().post("/register", data={
                    "email": "someone@example.org", "password": "a long enough password",
                    "confirm_password": "a long enough password"})
                assert registered.status_code == 302  # an account made and committed by a request
                new_user(app, Role.VICTIM)
                assert _accounts(app) == before + 3
        assert _accounts(app) == before + 1
    assert _accounts(app) == before
