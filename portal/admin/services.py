"""Admin services: the only admin code that writes."""

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.extensions import db
from portal.reporting.models import CrimeCategory, Route


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
