"""factory-boy factories for test data, saved through the Flask-SQLAlchemy session."""

import factory

from portal.auth import passwords
from portal.auth.models import User
from portal.auth.roles import Role
from portal.auth.totp import new_secret
from portal.clock import utcnow
from portal.extensions import db

DEFAULT_PASSWORD = "a-long-test-password"


class UserFactory(factory.alchemy.SQLAlchemyModelFactory):
    """A verified account; staff roles get a confirmed TOTP secret."""

    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    class Params:
        password = DEFAULT_PASSWORD

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    role = Role.VICTIM
    password_hash = factory.LazyAttribute(lambda o: passwords.hash_password(o.password))
    email_verified_at = factory.LazyFunction(utcnow)
    is_active_account = True
    totp_secret = factory.LazyAttribute(lambda o: new_secret() if o.role not in (Role.VICTIM, Role.WITNESS) else None)
    totp_confirmed_at = factory.LazyAttribute(lambda o: utcnow() if o.totp_secret else None)
