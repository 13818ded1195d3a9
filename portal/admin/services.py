"""Admin services: the only admin code that writes."""

import secrets
from datetime import timedelta

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.auth.models import TokenPurpose, User
from portal.auth.roles import PUBLIC_ROLES, Role
from portal.auth.services import create_user, get_user_by_email
from portal.auth.session_records import end_all_sessions, sign_out_everywhere
from portal.auth.staff_names import COLLAR_NUMBER, COLLAR_ROLES, RANKS, split_combined, staff_name
from portal.auth.tokens import issue_token
from portal.cases.enums import Route
from portal.cases.models import CrimeCategory
from portal.domain import DomainError
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.services import queue_email_to

INVITE_LIFETIME = timedelta(hours=72)


def list_all_categories() -> list[CrimeCategory]:
    """Every category, active or not, in display order."""
    return list(db.session.scalars(select(CrimeCategory).order_by(CrimeCategory.sort_order, CrimeCategory.id)))


def get_category_by_code(code: str) -> CrimeCategory | None:
    """A category by its code, active or not."""
    return db.session.scalar(select(CrimeCategory).where(CrimeCategory.code == code))


def update_category(actor: User, category: CrimeCategory, *, name: str, hint: str | None, route: str,
                    sort_order: int | None, active: bool) -> CrimeCategory:
    """Change a category's wording or routing, with an audit record of what changed."""
    before = (category.name, category.route.value, category.active)
    category.name = name
    category.hint = hint or None
    category.route = Route(route)
    if sort_order is not None:
        category.sort_order = sort_order
    category.active = active
    record_audit(actor.id, "category.updated", "crime_category", category.code,
                 f"{before} -> {(category.name, category.route.value, category.active)}")
    db.session.commit()
    return category


def list_staff() -> list[User]:
    """Every staff, partner and admin account."""
    return list(db.session.scalars(select(User).where(User.role.not_in(PUBLIC_ROLES)).order_by(User.email)))


def _rank_and_collar(role: Role, display_name: str, rank: str | None,
                     collar_number: str | None) -> tuple[str | None, str | None, str]:
    """(rank, collar number, name) for a new account: police officers must have a collar number, other staff
    must not. A name typed whole ("PC 1234 Sam Jones") is split into its parts."""
    name: str | None = display_name.strip()
    rank, collar_number = (rank or None), (collar_number or "").strip() or None
    if rank is None and collar_number is None:
        rank, collar_number, name = split_combined(name)
    if role not in COLLAR_ROLES:
        if rank or collar_number:
            raise DomainError("Only police officers have a rank and collar number. Leave them empty for this role",
                              field="collar_number")
        return None, None, display_name.strip()
    if rank is not None and rank not in RANKS:
        raise DomainError("Select a rank from the list", field="rank")
    if collar_number is None:
        raise DomainError("Enter the officer’s collar number", field="collar_number")
    if not COLLAR_NUMBER.fullmatch(collar_number):
        raise DomainError("Collar number must be numbers only, like 1234", field="collar_number")
    return rank, collar_number, name or ""


def create_staff_account(actor: User, email: str, display_name: str, role: str,
                         organisation_id: int | None = None, rank: str | None = None,
                         collar_number: str | None = None) -> User:
    """Create a staff account and email a link to set a password. TOTP set-up is forced at first sign-in.

    A partner account may be linked to its organisation in the same transaction. Police officers and supervisors
    are named by rank, collar number and name.
    """
    if Role(role) in PUBLIC_ROLES:
        raise DomainError("Select a staff role", field="role")
    if get_user_by_email(email) is not None:
        raise DomainError("An account with this email address already exists", field="email")
    rank, collar_number, name = _rank_and_collar(Role(role), display_name, rank, collar_number)
    user = create_user(email, secrets.token_urlsafe(32), Role(role), verified=True)
    user.display_name = name
    user.rank, user.collar_number = rank, collar_number
    user.organisation_id = organisation_id
    token = issue_token(user, TokenPurpose.RESET_PASSWORD, INVITE_LIFETIME)
    queue_email_to(user, "staff_invite", link=absolute_url("auth.reset_password", token=token))
    record_audit(actor.id, "staff.created", "user", str(user.id), f"{staff_name(user)} ({user.email}) as {role}"
                 + (f" for organisation {organisation_id}" if organisation_id is not None else ""))
    db.session.commit()
    return user


def sign_out_staff_everywhere(actor: User, user_id: int) -> User:
    """End every session of a staff account (for a lost device), leaving the account able to sign in again."""
    user = db.session.get(User, user_id)
    if user is None or user.role in PUBLIC_ROLES:
        raise DomainError("That staff account does not exist")
    sign_out_everywhere(actor, user.id)
    return user


def deactivate_account(actor: User, user_id: int) -> User:
    """Stop an account signing in. Its history stays."""
    user = db.session.get(User, user_id)
    if user is None or user.role in PUBLIC_ROLES:
        raise DomainError("That staff account does not exist")
    if user.id == actor.id:
        raise DomainError("You cannot deactivate your own account")
    user.is_active_account = False
    end_all_sessions(user.id, "deactivated")
    record_audit(actor.id, "staff.deactivated", "user", str(user.id), user.email)
    db.session.commit()
    return user
