"""What a partner organisation may see of a referred case: only the parts the consent covers.

`case_view` copies the allowed fields out of the case into frozen dataclasses. Templates get these, never the
case itself, so a page cannot show a field the victim did not agree to share.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal import contact_needs
from portal.i18n import DEFAULT_LANGUAGE
from portal.partners import queries
from portal.reporting.forms import CHANNELS
from portal.support.assessments import LEVEL_WORDS, latest_assessment
from portal.support.enums import ConsentScope
from portal.support.matching import LANGUAGE_NAMES
from portal.support.models import Referral
from portal.support.referrals import WITNESS_SCOPES
from portal.tracking.hearings import hearings_to_come

CHANNEL_WORDS = dict(CHANNELS)
CONTACT_METHOD_WORDS = {"phone": _l("Phone call"), "text": _l("Text message"), "email": _l("Email"),
                        "video": _l("Video call")}
# The parts of a case, as the organisation reads them.
SCOPE_WORDS = {
    ConsentScope.CATEGORY_AND_DATES: _l("What kind of crime it was, and when it happened"),
    ConsentScope.CONTACT_DETAILS: _l("Their name, how to contact them, and their communication needs"),
    ConsentScope.DESCRIPTION: _l("What they told the police happened"),
    ConsentScope.PROGRESS: "How the case is going: the updates the police send them, and any court dates",
}


@dataclass(frozen=True)
class CommunicationNeeds:
    """How to communicate with the person, from their latest needs assessment."""

    language: str | None
    interpreter: bool
    bsl: bool
    easy_read: bool
    contact_method: str | None
    contact_time: str | None
    # What the person asked for with their contact preferences (an interpreter in a language, BSL, large print).
    contact_needs: tuple[str, ...] = ()
    # Access needs from the assessment: no stairs or steps anywhere they go; taking part only online.
    step_free: bool = False
    online_only: bool = False

    @property
    def any(self) -> bool:
        """Whether there is anything to point out."""
        return bool(self.language or self.interpreter or self.bsl or self.easy_read or self.contact_method
                    or self.contact_time or self.contact_needs or self.step_free or self.online_only)


@dataclass(frozen=True)
class CategoryAndDates:
    """What kind of crime it was, and when (always shared: a referral needs it). Not the crime number: the victim
    was not asked to share it, and the organisation knows the referral by its own reference."""

    category: str
    occurred_on: date
    occurred_until: date | None
    reported_at: datetime
    borough: str


@dataclass(frozen=True)
class ContactDetails:
    """How to reach the person safely."""

    name: str
    email: str | None
    phone: str | None
    safe_channels: tuple[str, ...]
    safe_times: str | None
    voicemail_allowed: bool
    needs: CommunicationNeeds | None


@dataclass(frozen=True)
class CaseView:
    """The shared parts of one referred case. A part the consent does not cover is None."""

    reference: str
    support_level: str
    category_and_dates: CategoryAndDates | None
    contact: ContactDetails | None
    description: str | None
    shared: tuple[str, ...]
    not_shared: tuple[str, ...]
    # A witness's own referral: the person is a witness on the case, not its victim.
    for_witness: bool = False


def _needs(report, witness_link_id: int | None = None) -> CommunicationNeeds | None:
    assessment = latest_assessment(report.id, witness_link_id)
    # The needs the victim gave when reporting are theirs: a witness's come from their own assessment only.
    from_report = tuple(contact_needs.describe(report)) if witness_link_id is None else ()
    if assessment is None:
        return CommunicationNeeds(None, False, False, False, None, None, from_report) if from_report else None
    language = assessment.language if assessment.language and assessment.language != "en" else None
    return CommunicationNeeds(
        language=LANGUAGE_NAMES.get(language, language) if language else None,
        interpreter=assessment.interpreter, bsl=assessment.bsl, easy_read=assessment.easy_read,
        contact_method=str(CONTACT_METHOD_WORDS.get(assessment.contact_method, assessment.contact_method))
        if assessment.contact_method else None,
        contact_time=assessment.contact_time, contact_needs=from_report,
        step_free=assessment.step_free, online_only=assessment.online_only)


def _witness_contact(report, referral: Referral) -> ContactDetails:
    """A witness's own details, by the channels they said are safe (their account's email only while email is)."""
    found = queries.witness_for(referral)
    link, account = found if found is not None else (None, None)
    safe = list((link.safe_channels if link is not None else None) or ["email"])
    return ContactDetails(
        name=(link.contact_name if link is not None and link.contact_name else None)
        or str(_l("Not given: a witness on the case")),
        email=account.email if account is not None and "email" in safe else None,
        phone=link.contact_phone if link is not None and "text" in safe else None,
        safe_channels=tuple(str(CHANNEL_WORDS.get(c, c)) for c in safe) if account is not None else (),
        safe_times=None, voicemail_allowed=False, needs=_needs(report, referral.witness_link_id))


def case_view(referral: Referral) -> CaseView | None:
    """The parts of the case this referral's consent covers, or None if there is no active consent."""
    consent = referral.consent
    if consent is None or not consent.is_active:
        return None
    report = queries.report_for(referral)
    if report is None:
        return None
    covered = {scope for scope in ConsentScope if consent.covers(scope)}
    for_witness = referral.witness_link_id is not None
    offered = [scope for scope in ConsentScope if not for_witness or scope.value in WITNESS_SCOPES]
    category_and_dates = contact = description = None
    if ConsentScope.CATEGORY_AND_DATES in covered:
        category_and_dates = CategoryAndDates(
            category=report.category.name, occurred_on=report.occurred_on,
            occurred_until=report.occurred_until, reported_at=report.submitted_at, borough=report.borough)
    if ConsentScope.CONTACT_DETAILS in covered and for_witness:
        contact = _witness_contact(report, referral)
    elif ConsentScope.CONTACT_DETAILS in covered:
        contact = ContactDetails(
            name=report.contact_name, email=report.contact_email, phone=report.contact_phone,
            safe_channels=tuple(str(CHANNEL_WORDS.get(c, c)) for c in report.safe_channels or ()),
            # A voicemail is safe only while a phone call is (the question is asked only then).
            safe_times=report.safe_times,
            voicemail_allowed=bool(report.voicemail_allowed and "phone" in (report.safe_channels or ())),
            needs=_needs(report))
    if ConsentScope.DESCRIPTION in covered and not for_witness:
        description = report.description
    return CaseView(
        reference=referral.reference,
        support_level=LEVEL_WORDS.get(referral.support_level, referral.support_level),
        category_and_dates=category_and_dates, contact=contact, description=description,
        shared=tuple(str(SCOPE_WORDS[s]) for s in offered if s in covered),
        not_shared=tuple(str(SCOPE_WORDS[s]) for s in offered if s not in covered), for_witness=for_witness)


# The updates that say how a case is going. Not the person's own requests, words or contact preferences (their own
# to share, under other parts of the consent), nor their support elsewhere (another organisation's business).
PROGRESS_KINDS = frozenset({"received", "decision", "update", "progress", "hearing_change"})


@dataclass(frozen=True)
class ProgressUpdate:
    """One update the victim was sent, in English (partner pages are English)."""

    occurred_at: datetime
    title: str
    body: str | None


@dataclass(frozen=True)
class Hearing:
    """A hearing still to come."""

    place: str
    starts: datetime


@dataclass(frozen=True)
class ProgressView:
    """How the case is going, as the victim sees it: their updates, newest first, and hearings to come."""

    reference: str
    updates: tuple[ProgressUpdate, ...]
    hearings: tuple[Hearing, ...]


def shares_progress(referral: Referral) -> bool:
    """Whether the victim's active consent covers how the case is going (never a witness's referral)."""
    consent = referral.consent
    return (referral.witness_link_id is None and consent is not None
            and consent.covers(ConsentScope.PROGRESS))


def progress_view(referral: Referral) -> ProgressView | None:
    """The case's victim-visible updates and hearing dates, or None unless the consent, active, covers them."""
    if not shares_progress(referral):
        return None
    report = queries.report_for(referral)
    if report is None:
        return None
    with force_locale(DEFAULT_LANGUAGE):
        updates = tuple(ProgressUpdate(event.occurred_at, event.shown_title, event.shown_body)
                        for event in queries.progress_events(report.id, PROGRESS_KINDS))
    hearings = tuple(Hearing(hearing.place, hearing.starts) for hearing in hearings_to_come(report))
    return ProgressView(reference=referral.reference, updates=updates, hearings=hearings)
