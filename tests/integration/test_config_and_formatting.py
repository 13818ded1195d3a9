"""Configuration rules, safe redirects and UK date formatting."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config import ConfigError, DevelopmentConfig, ProductionConfig, config_from_env
from config import TestingConfig as SuiteConfig  # not named Test..., so pytest does not collect it
from portal.app import create_app
from portal.urls import safe_next


@pytest.mark.parametrize("missing", ["SECRET_KEY", "SQLALCHEMY_DATABASE_URI"])
def test_production_refuses_to_start_without_its_secrets(missing):
    """Production needs SECRET_KEY and DATABASE_URL, and says which is missing."""
    config = ProductionConfig()
    config.SECRET_KEY = "x" * 32
    config.SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://db/portal"
    setattr(config, missing, None)
    with pytest.raises(ConfigError) as error:
        create_app(config)
    assert ("SECRET_KEY" if missing == "SECRET_KEY" else "DATABASE_URL") in str(error.value)


def test_production_does_not_register_the_development_mail_viewer():
    """The mailbox page exists only in development."""
    config = ProductionConfig()
    config.SECRET_KEY = "x" * 32
    config.SQLALCHEMY_DATABASE_URI = "sqlite://"
    app = create_app(config)
    assert not any(rule.rule.startswith("/dev") for rule in app.url_map.iter_rules())
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_defaults_to_sqlite_under_instance(monkeypatch):
    """Without DATABASE_URL, development uses a SQLite file in instance/."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = DevelopmentConfig().SQLALCHEMY_DATABASE_URI
    assert url.startswith("sqlite:///") and url.endswith("instance/portal.db")


def test_database_url_is_read_when_the_configuration_is_made(monkeypatch):
    """A DATABASE_URL exported after the code was imported is used (development and production); the tests'
    own configuration never touches it."""
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://portal@127.0.0.1:5432/portal")
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    assert DevelopmentConfig().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://portal@127.0.0.1:5432/portal"
    assert ProductionConfig().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://portal@127.0.0.1:5432/portal"
    assert SuiteConfig().SQLALCHEMY_DATABASE_URI == "sqlite://"


def test_an_unknown_environment_name_is_refused(monkeypatch):
    """A typo in PORTAL_ENV is an error, not a silent fallback."""
    monkeypatch.setenv("PORTAL_ENV", "prod")
    with pytest.raises(ConfigError):
        config_from_env()


@given(st.text(max_size=100))
def test_safe_next_only_ever_returns_a_local_path(target):
    """Whatever the input, the result is the fallback or a path on this site."""
    result = safe_next(target, "/fallback")
    assert result == "/fallback" or (result.startswith("/") and not result.startswith("//"))
    assert "\\" not in result


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example",
                                    "javascript:alert(1)", "/\tevil", " /x", ""])
def test_safe_next_refuses_off_site_targets(target):
    """Known tricks for leaving the site are refused."""
    assert safe_next(target, "/fallback") == "/fallback"


def test_dates_are_shown_in_uk_format_and_london_time(app):
    """A UTC summer time is shown an hour later, in the GOV.UK date style."""
    from portal.i18n import uk_date, uk_datetime

    with app.test_request_context():
        summer = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)
        winter = datetime(2026, 12, 1, 13, 5, tzinfo=UTC)
        assert uk_date(summer) == "1 July 2026"
        assert uk_datetime(summer) == "1 July 2026 at 2:05pm"
        assert uk_datetime(winter) == "1 December 2026 at 1:05pm"


@pytest.mark.parametrize("prefix", ["", "cr", "CR1", "ABCDE"])
def test_a_crime_number_prefix_that_could_never_be_typed_back_is_refused(prefix):
    """The prefix must be 1 to 4 capital letters, or numbers could not be read back."""
    config = DevelopmentConfig()
    config.CRIME_NUMBER_PREFIX = prefix
    with pytest.raises(ConfigError, match="CRIME_NUMBER_PREFIX"):
        create_app(config)
