"""The one check every case route makes: is this person linked to this case, in this role?

Anyone not linked gets the same 404 as for a case that does not exist, so a crime number reveals nothing.
"""

import enum

from flask import abort
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, WitnessLink
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import N_

POLICE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


class Relation(enum.StrEnum):
    """How a person is linked to a case."""

    VICTIM = "victim"  # the account the report belongs to
    WITNESS = "witness"  # a witness who redeemed an invitation code
    POLICE = "police"  # officers and supervisors
    WITNESS_CARE = "witness_care"  # the Witness Care Unit, on the witness side of any case


def relation_to(user: User, report: Report) -> Relation | None:
    """How this person is linked to the case, if at all."""
    if report.reporter_user_id is not None and report.reporter_user_id == user.id:
        return Relation.VICTIM
    if user.role in POLICE_ROLES:
        return Relation.POLICE
    if user.role == Role.WITNESS_CARE:
        return Relation.WITNESS_CARE
    linked = db.session.scalar(select(WitnessLink.id).where(WitnessLink.report_id == report.id,
                                                            WitnessLink.witness_user_id == user.id))
    return Relation.WITNESS if linked else None


def witness_link_for(user: User, report: Report) -> WitnessLink | None:
    """This person's witness link to the case, if any."""
    return db.session.scalar(select(WitnessLink).where(WitnessLink.report_id == report.id,
                                                       WitnessLink.witness_user_id == user.id))


def witness_link_on(report: Report, link_id: int) -> WitnessLink | None:
    """One of the case's witness links, by its number; None if it is another case's."""
    return db.session.scalar(select(WitnessLink).where(WitnessLink.id == link_id,
                                                       WitnessLink.report_id == report.id))


def require_victim(user: User, report: Report) -> None:
    """For services: refuse to act for someone who is not the case's victim."""
    if user is None or relation_to(user, report) != Relation.VICTIM:
        raise DomainError(N_("That case is not linked to your account"))


def require_person(user: User, report: Report, witness_link: WitnessLink | None) -> None:
    """For services acting for one person on a case: the victim (no witness link), or the witness the link joined.
    Anyone else is refused as for a case that is not theirs."""
    if witness_link is None:
        require_victim(user, report)
    elif user is None or witness_link.report_id != report.id or witness_link.witness_user_id != user.id:
        raise DomainError(N_("That case is not linked to your account"))


def case_for(user: User, crime_number: str, *allowed: Relation) -> tuple[Report, Relation]:
    """The case and the person's relation to it, or a 404 if the case is missing or not theirs in these roles."""
    report = db.session.scalar(select(Report).where(Report.crime_number == (crime_number or "").upper()[:20]))
    if report is None:
        abort(404)
    relation = relation_to(user, report)
    if relation is None or relation not in allowed:
        abort(404)
    return report, relation


def own_case(user: User, crime_number: str) -> tuple[Report, WitnessLink | None]:
    """The case of its victim, or of a witness on it with that witness's link (None for the victim): the pages
    each person has of their own on a case (support, peer support). A 404 for anyone else."""
    report, relation = case_for(user, crime_number, Relation.VICTIM, Relation.WITNESS)
    if relation != Relation.WITNESS:
        return report, None
    link = witness_link_for(user, report)
    if link is None:
        abort(404)
    return report, link
