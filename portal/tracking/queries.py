"""Read-only queries for the victim's and witness's own case pages."""

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.staff_names import staff_name
from portal.cases.models import Report, TimelineEvent
from portal.extensions import db


def officer_name(report: Report) -> str | None:
    """The named officer, as shown to the public."""
    if report.named_officer_id is None:
        return None
    officer = db.session.get(User, report.named_officer_id)
    return staff_name(officer, gettext("An officer")) if officer else None


def last_updates(report_ids: list[int]) -> dict[int, datetime]:
    """When each case last had an update the victim can see (one grouped query)."""
    if not report_ids:
        return {}
    return {report_id: occurred_at for report_id, occurred_at in db.session.execute(
        select(TimelineEvent.report_id, func.max(TimelineEvent.occurred_at))
        .where(TimelineEvent.report_id.in_(report_ids), TimelineEvent.visible_to_victim.is_(True))
        .group_by(TimelineEvent.report_id))}
