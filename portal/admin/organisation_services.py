"""Support organisations, their accreditation, and partner accounts: the only admin code that writes them."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, overload

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.admin.services import create_staff_account, deactivate_account
from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.clock import today_in_london
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import uk_date
from portal.support.models import Organisation

NAME_MAX = 200
DESCRIPTION_MAX = 5000
BODY_MAX = 200
WEBSITE_MAX = 300
PHONE_MAX = 30
TARGET_DAYS = (1, 20)
PHONE = re.compile(r"^\+?[0-9 ()-]{7,30}$")


@dataclass(frozen=True)
class OrganisationDetails:
    """What an administrator records about an organisation."""

    name: str
    description: str
    email: str | None = None
    website: str | None = None
    phone: str | None = None
    approved: bool = False
    accreditation_body: str | None = None
    assured_date: date | None = None
    accreditation_expires_on: date | None = None
    first_contact_target_days: int = 2


@dataclass(frozen=True)
class OrganisationStatus:
    """Whether an organisation is listed, in words and a tag colour."""

    words: str
    colour: str
    listed: bool


def status_of(organisation: Organisation, today: date | None = None) -> OrganisationStatus:
    """'Accredited until 1 May 2027', 'Accreditation expired' or 'Not approved', and so on."""

    today = today or today_in_london()
    if not organisation.approved:
        return OrganisationStatus(_("Not approved"), "govuk-tag--grey", False)
    if organisation.is_accredited(today):
        return OrganisationStatus(_("Accredited until %(date)s", date=uk_date(organisation.accreditation_expires_on)),
                                  "govuk-tag--green", True)
    expires = organisation.accreditation_expires_on
    if expires is not None and expires < today:
        return OrganisationStatus(_("Accreditation expired"), "govuk-tag--red", False)
    if organisation.assured_date is not None and organisation.assured_date > today:
        return OrganisationStatus(_("Accredited from %(date)s", date=uk_date(organisation.assured_date)),
                                  "govuk-tag--yellow", False)
    return OrganisationStatus(_("Not accredited"), "govuk-tag--orange", False)


def list_organisations() -> list[Organisation]:
    """Every organisation, by name."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id)))


def get_organisation(organisation_id: int) -> Organisation | None:
    """An organisation by id."""
    return db.session.get(Organisation, organisation_id)


@overload
def _text(value: str | None, maximum: int, what: str, field: str, required: Literal[True]) -> str: ...
@overload
def _text(value: str | None, maximum: int, what: str, field: str, required: bool = False) -> str | None: ...
def _text(value: str | None, maximum: int, what: str, field: str, required: bool = False) -> str | None:
    """The trimmed text, or None if there is none. With required, there is always some (or a DomainError)."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {what}", field=field)
    if len(value) > maximum:
        raise DomainError(f"{what[0].upper()}{what[1:]} must be {maximum} characters or fewer", field=field)
    return value or None


def _checked(details: OrganisationDetails, organisation_id: int | None) -> dict:
    name = _text(details.name, NAME_MAX, "the organisation’s name", "name", required=True)
    clash = db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower(),
                                                            Organisation.id != (organisation_id or 0)))
    if clash:
        raise DomainError("An organisation with this name already exists", field="name")
    website = _text(details.website, WEBSITE_MAX, "the website", "website")
    if website and not re.match(r"^https?://[^\s/$.?#][^\s]*$", website, re.IGNORECASE):
        raise DomainError("Enter the website address in full, starting with https://", field="website")
    phone = _text(details.phone, PHONE_MAX, "the phone number", "phone")
    if phone and not PHONE.match(phone):
        raise DomainError("Enter a phone number, like 020 7946 0000", field="phone")
    body = _text(details.accreditation_body, BODY_MAX, "the accrediting body", "accreditation_body")
    assured, expires = details.assured_date, details.accreditation_expires_on
    if body or assured or expires:
        if not body:
            raise DomainError("Enter the accrediting body", field="accreditation_body")
        if assured is None:
            raise DomainError("Enter the date the organisation was assured", field="assured_date")
        if expires is None:
            raise DomainError("Enter the date the accreditation expires", field="accreditation_expires_on")
    if assured and assured > today_in_london():
        raise DomainError("The assured date must be today or in the past", field="assured_date")
    if assured and expires and expires <= assured:
        raise DomainError("The expiry date must be after the assured date", field="accreditation_expires_on")
    target = details.first_contact_target_days
    if target is None or not TARGET_DAYS[0] <= target <= TARGET_DAYS[1]:
        raise DomainError(f"Enter a number of working days from {TARGET_DAYS[0]} to {TARGET_DAYS[1]}",
                          field="first_contact_target_days")
    return {
        "name": name,
        "description": _text(details.description, DESCRIPTION_MAX, "a description", "description", required=True),
        "email": _text(details.email, 254, "the email address", "email"),
        "website": website,
        "phone": phone,
        "approved": bool(details.approved),
        "accreditation_body": body,
        "assured_date": assured,
        "accreditation_expires_on": expires,
        "first_contact_target_days": target,
    }


def _summary(organisation: Organisation) -> str:
    return (f"approved={organisation.approved} body={organisation.accreditation_body!r} "
            f"assured={organisation.assured_date} expires={organisation.accreditation_expires_on} "
            f"target={organisation.first_contact_target_days}")


def _require_admin(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise DomainError("Only an administrator can do this")


def create_organisation(actor: User, details: OrganisationDetails) -> Organisation:
    """Add an organisation, approved and accredited or not yet."""
    try:
        _require_admin(actor)
        values = _checked(details, None)
    except DomainError:
        db.session.rollback()
        raise
    organisation = Organisation(**values)
    db.session.add(organisation)
    db.session.flush()
    record_audit(actor.id, "organisation.created", "organisation", str(organisation.id),
                 f"{organisation.name!r} {_summary(organisation)}")
    db.session.commit()
    return organisation


def update_organisation(actor: User, organisation: Organisation, details: OrganisationDetails) -> Organisation:
    """Change an organisation's details, approval or accreditation, recording what changed."""
    try:
        _require_admin(actor)
        values = _checked(details, organisation.id)
    except DomainError:
        db.session.rollback()
        raise
    before = _summary(organisation)
    for name, value in values.items():
        setattr(organisation, name, value)
    record_audit(actor.id, "organisation.updated", "organisation", str(organisation.id),
                 f"{before} -> {_summary(organisation)}")
    db.session.commit()
    return organisation


# Partner accounts -------------------------------------------------------------------------------------------


def list_partners() -> list[tuple[User, Organisation | None]]:
    """Every partner account with its organisation, by email."""
    rows = db.session.execute(select(User, Organisation)
                              .outerjoin(Organisation, Organisation.id == User.organisation_id)
                              .where(User.role == Role.PARTNER).order_by(User.email))
    return [(user, organisation) for user, organisation in rows]


def create_partner_account(actor: User, email: str, display_name: str, organisation_id: int | None) -> User:
    """A partner account linked to its organisation, with an emailed link to set a password."""
    try:
        _require_admin(actor)
        if organisation_id is None or get_organisation(organisation_id) is None:
            raise DomainError("Select the organisation", field="organisation")
    except DomainError:
        db.session.rollback()
        raise
    return create_staff_account(actor, email, display_name, Role.PARTNER.value, organisation_id=organisation_id)


def deactivate_partner(actor: User, user_id: int) -> User:
    """Stop a partner account signing in."""
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.PARTNER:
        raise DomainError("That partner account does not exist")
    return deactivate_account(actor, user_id)
