"""The only code in data_rights that writes: closing an account, and noting downloads."""

import secrets

from sqlalchemy import delete, select, update

from portal.audit.services import record_audit
from portal.auth import passwords
from portal.auth.models import AccountToken, User
from portal.auth.session_records import end_all_sessions
from portal.cases.models import EvidenceFile, Report, WitnessLink
from portal.cases.timeline import add_timeline_event
from portal.domain import DomainError
from portal.equality.models import EqualityRecord
from portal.extensions import db
from portal.i18n import N_
from portal.peers import reach
from portal.peers.models import PeerOffer, PeerSupporter
from portal.reporting import evidence as evidence_store
from portal.reporting.models import ReportDraft
from portal.support.models import Organisation

CLOSED_EMAIL_DOMAIN = "closed.invalid"  # RFC 2606: can never receive mail
UNLINKED_NOTE = "The case stays. They can no longer follow it online; use the contact details on the report."


def closed_email(user_id: int) -> str:
    """The address a closed account is left with, unique and unusable."""
    return f"closed-{user_id}@{CLOSED_EMAIL_DOMAIN}"


def record_download(user: User, kind: str) -> None:
    """Audit that a copy of the person's data left the service, and in which format."""
    record_audit(user.id, "account.data_downloaded", "user", str(user.id), kind)
    db.session.commit()


def close_account(user: User, password: str) -> list[str]:
    """Close a victim's or witness's account in one transaction. Returns the crime numbers it was linked to.

    The cases stay (they are police records): only the link between the person and each case goes.
    The account is anonymised and can no longer sign in; the email address is free to register again.
    Raises DomainError on the password field when the password is wrong.
    """
    if user.is_staff:
        raise DomainError(N_("Staff accounts are closed by an administrator"))
    if not passwords.verify_password(user.password_hash, password):
        record_audit(user.id, "account.close_failed", "user", str(user.id))
        db.session.commit()
        raise DomainError(N_("The password is not correct"), field="password")

    reports = db.session.execute(select(Report.id, Report.crime_number).where(Report.reporter_user_id == user.id)
                                 .order_by(Report.submitted_at, Report.id)).all()
    # A bulk update leaves the case's version alone: staff working on it are not interrupted.
    db.session.execute(update(Report).where(Report.reporter_user_id == user.id).values(reporter_user_id=None)
                       .execution_options(synchronize_session="fetch"))
    for report_id, crime_number in reports:
        add_timeline_event(report_id, "account_closed", N_("The person who reported this closed their online account"),
                           UNLINKED_NOTE, actor_id=user.id)
        record_audit(user.id, "case.unlinked", "report", crime_number, "account closed")

    # Optional equality answers given from the account go with it.
    db.session.execute(delete(EqualityRecord).where(EqualityRecord.user_id == user.id))

    # Offers to be a peer supporter go with the account: no organisation holds them any longer (issue 24), and each
    # that held a live one is told, as if it had been withdrawn.
    reach.tell_organisations(db.session.scalars(
        select(Organisation).join(PeerSupporter, PeerSupporter.organisation_id == Organisation.id)
        .join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
        .where(PeerOffer.user_id == user.id, PeerOffer.withdrawn_at.is_(None))).unique(),
        "partner_referral_withdrawn")
    offers = select(PeerOffer.id).where(PeerOffer.user_id == user.id).scalar_subquery()
    db.session.execute(delete(PeerSupporter).where(PeerSupporter.offer_id.in_(offers)))
    db.session.execute(delete(PeerOffer).where(PeerOffer.user_id == user.id))

    # Cases followed as a witness are unlinked too.
    db.session.execute(update(WitnessLink).where(WitnessLink.witness_user_id == user.id)
                       .values(witness_user_id=None).execution_options(synchronize_session="fetch"))

    storage_keys = _delete_drafts(user)
    db.session.execute(delete(AccountToken).where(AccountToken.user_id == user.id))
    db.session.expire(user, ["tokens"])

    user.email = closed_email(user.id)
    user.password_hash = passwords.hash_password(secrets.token_urlsafe(32))
    user.is_active_account = False
    end_all_sessions(user.id, "account_closed")
    user.display_name = None
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    record_audit(user.id, "account.closed", "user", str(user.id), f"{len(reports)} case(s) unlinked")
    db.session.commit()

    # Files go only once the database has forgotten them, so a failed commit loses nothing.
    for key in storage_keys:
        evidence_store.delete_evidence(key)
    return [crime_number for _id, crime_number in reports]


def _delete_drafts(user: User) -> list[str]:
    """Delete the person's unfinished reports and the files uploaded to them; return the files' storage keys."""
    draft_ids = list(db.session.scalars(select(ReportDraft.id).where(ReportDraft.user_id == user.id)))
    if not draft_ids:
        return []
    files = list(db.session.scalars(select(EvidenceFile).where(EvidenceFile.draft_id.in_(draft_ids),
                                                               EvidenceFile.report_id.is_(None))))
    keys = [item.storage_key for item in files]
    for item in files:
        db.session.delete(item)
    db.session.execute(delete(ReportDraft).where(ReportDraft.id.in_(draft_ids)))
    return keys
