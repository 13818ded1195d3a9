"""Who is asked what, and when: satisfaction surveys and cope-and-recover check-ins.

- A survey after the triage decision, while the case is open; a survey when the case is closed. A case decided and
  closed before the job ran (information only, a duplicate) gets only the closure survey: one event, one question.
- Check-ins for every referral that was sent with consent: at referral, then 4 and 12 weeks later. And for the
  comparison sample, a random tenth of the victims who were not referred: at the draw, then 4 and 12 weeks later
  (portal.surveys.comparison says who is drawn, and when).
- A witness's own referral (issue 23) gets its check-ins too, under the same rules: they are the witness's
  (check_ins.witness_link_id, copied from the referral), asked of the witness's account (the link's user, never the
  person who reported), and the invitation goes by the witness's own safe channel (queue_for_witness).
- Only people who can sign in to answer: an account that is still active. Guests get nothing (they cannot sign in),
  and nor does anyone whose account was closed or deactivated.
- Never on a case marked for safeguarding.
- Only while it is still the right time: a decision, a closure or a check-in is offered within OFFER_WINDOW of
  happening or falling due. A run that was missed, or the first run after this is deployed, does not ask people
  about something that happened months ago.
- Never twice for the same event: the unique constraints, with guarded inserts and updates, so two runs at the same
  time cannot both invite.
- The email goes only by a safe channel (queue_for_reporter; a witness's by queue_for_witness). When email is not
  safe, the invitation is still recorded and waits on the case page for the next time the person signs in; nothing
  is sent.
- At most one invitation per person per run: a person with a survey and a check-in due gets one email, and sees
  both on their case page (a witness, on their own view of the case).

Every rule is in the SQL, so people who must not be asked never fill a batch, and nothing loops over all reports.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.auth.models import User
from portal.cases.enums import CaseStatus
from portal.cases.models import Report, TimelineEvent, WitnessLink
from portal.clock import utcnow
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.services import queue_for_reporter, queue_for_witness
from portal.support.enums import ReferralStatus
from portal.support.models import Consent, Referral
from portal.surveys import comparison
from portal.surveys.comparison import RandomSource
from portal.surveys.models import CHECK_IN_WEEKS, CheckIn, Survey, SurveyKind

BATCH = 500
# How long after the event (or the due date) we may still ask about it.
OFFER_WINDOW = timedelta(days=14)


@dataclass
class SendCounts:
    """What one run did."""

    surveys: int = 0  # surveys offered (recorded on the case page)
    drawn: int = 0  # cases drawn for the comparison sample (chosen or not)
    chosen: int = 0  # of those, chosen for the comparison check-ins
    check_ins_created: int = 0  # check-in rows added for new referrals and chosen draws
    check_ins: int = 0  # check-ins offered
    emails: int = 0  # invitations emailed (the rest wait on the case page)


# The rules as plain functions -----------------------------------------------------------------------------------


def check_in_due_at(sent_at: datetime, weeks: int) -> datetime:
    """When a check-in falls due: the referral's sending time plus the weeks."""
    if weeks not in CHECK_IN_WEEKS:
        raise ValueError(f"no check-in at {weeks} weeks")
    return sent_at + timedelta(weeks=weeks)


def still_timely(happened_at: datetime | None, now: datetime) -> bool:
    """Whether something that happened (or fell due) at that time may be asked about now."""
    return happened_at is not None and now - OFFER_WINDOW <= happened_at <= now


def may_ask(account: User | None, safeguarding: bool) -> bool:
    """Only someone with an active account, never on a safeguarding case."""
    return account is not None and account.is_active_account and not safeguarding


def survey_due(kind: SurveyKind, *, status: CaseStatus, triaged_at: datetime | None,
               last_update_at: datetime | None, now: datetime, asked: set[SurveyKind]) -> bool:
    """Whether a case is due this survey. `last_update_at`: the newest event on the victim's timeline;
    `asked`: the surveys the case has already been offered."""
    if kind in asked:
        return False
    if kind == SurveyKind.AFTER_DECISION:
        return (status != CaseStatus.CLOSED and SurveyKind.AT_CLOSURE not in asked
                and still_timely(triaged_at, now))
    return status == CaseStatus.CLOSED and last_update_at is not None and last_update_at >= now - OFFER_WINDOW


# The same rules in SQL ------------------------------------------------------------------------------------------


def _askable():
    """Conditions on Report and User (joined) for anyone we may ask."""
    return (User.is_active_account.is_(True), Report.safeguarding.is_(False))


def _has_survey(kind: SurveyKind):
    return exists().where(Survey.report_id == Report.id, Survey.kind == kind)


def _due_surveys(kind: SurveyKind, now: datetime, limit: int) -> list[tuple[Report, User]]:
    """Cases due this survey, oldest first, with the account to write to."""
    query = (select(Report, User).join(User, User.id == Report.reporter_user_id)
             .where(*_askable(), ~_has_survey(kind)))
    if kind == SurveyKind.AFTER_DECISION:
        query = query.where(Report.triaged_at >= now - OFFER_WINDOW, Report.triaged_at <= now,
                            Report.status != CaseStatus.CLOSED, ~_has_survey(SurveyKind.AT_CLOSURE))
    else:
        # Closed recently: the closing decision or update is on the victim's timeline.
        recent = exists().where(TimelineEvent.report_id == Report.id, TimelineEvent.visible_to_victim.is_(True),
                                TimelineEvent.occurred_at >= now - OFFER_WINDOW)
        query = query.where(Report.status == CaseStatus.CLOSED, recent)
    return list(db.session.execute(query.order_by(Report.id).limit(limit)).tuples())


def _asked_account(witness_link_id):
    """The account to ask (the join condition for User): for a witness's own referral or check-in (`witness_link_id`
    set), the witness's account through the outer-joined WitnessLink; else the person who reported. A witness link
    with no account left asks nobody."""
    return User.id == case((witness_link_id.is_(None), Report.reporter_user_id), else_=WitnessLink.witness_user_id)


def _referrals_missing_check_ins(now: datetime, limit: int) -> list:
    """Referrals sent with consent still in force that lack any of their check-ins (and are recent enough to
    ask about): the victim's, and each witness's own (asked of the witness's account)."""
    missing = [~exists().where(CheckIn.referral_id == Referral.id, CheckIn.weeks == weeks)
               for weeks in CHECK_IN_WEEKS]
    query = (select(Referral.id, Referral.report_id, Referral.witness_link_id, Referral.organisation_id,
                    Referral.support_level, Referral.sent_at)
             .join(Consent, Consent.id == Referral.consent_id)
             .join(Report, Report.id == Referral.report_id)
             .outerjoin(WitnessLink, and_(WitnessLink.id == Referral.witness_link_id,
                                          WitnessLink.report_id == Referral.report_id))
             .join(User, _asked_account(Referral.witness_link_id))
             .where(Referral.sent_at.is_not(None), Referral.sent_at <= now,
                    Referral.sent_at >= now - timedelta(weeks=max(CHECK_IN_WEEKS)) - OFFER_WINDOW,
                    Referral.status != ReferralStatus.WITHDRAWN, Consent.withdrawn_at.is_(None),
                    *_askable(), or_(*missing))
             .order_by(Referral.id).limit(limit))
    return list(db.session.execute(query).all())


def _due_check_ins(now: datetime, limit: int) -> list[tuple[CheckIn, Report, User, WitnessLink | None]]:
    """Check-ins due and not yet offered: on referrals whose consent still stands, or for the comparison sample on
    cases that have not been referred since the draw. With the account to ask, and the witness link for a
    witness's own."""
    referral_stands = and_(CheckIn.referral_id.is_not(None), Referral.status != ReferralStatus.WITHDRAWN,
                           Consent.id.is_not(None), Consent.withdrawn_at.is_(None))
    query = (select(CheckIn, Report, User, WitnessLink).select_from(CheckIn)
             .outerjoin(Referral, Referral.id == CheckIn.referral_id)
             .outerjoin(Consent, Consent.id == Referral.consent_id)
             .join(Report, Report.id == CheckIn.report_id)
             .outerjoin(WitnessLink, and_(WitnessLink.id == CheckIn.witness_link_id,
                                          WitnessLink.report_id == CheckIn.report_id))
             .join(User, _asked_account(CheckIn.witness_link_id))
             .where(CheckIn.invited_at.is_(None), CheckIn.due_at <= now, CheckIn.due_at >= now - OFFER_WINDOW,
                    or_(referral_stands, and_(CheckIn.draw_id.is_not(None), comparison.still_in_comparison())),
                    *_askable())
             .order_by(CheckIn.due_at, CheckIn.id).limit(limit))
    return list(db.session.execute(query).tuples())


def _insert_ignoring_duplicates(model, rows: list[dict], keys: list[str]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING: how many rows this call added (another run may have added the rest)."""
    return len(_insert_ignoring_duplicates_returning(model, rows, keys, model.id))


def _insert_ignoring_duplicates_returning(model, rows: list[dict], keys: list[str], column) -> set:
    """INSERT ... ON CONFLICT DO NOTHING: the `column` of each row this call added (RETURNING, as rowcount is not
    reliable on every driver)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(rows).on_conflict_do_nothing(index_elements=keys).returning(column)
    return set(db.session.scalars(statement))


# The job ---------------------------------------------------------------------------------------------------------


class _Mailer:
    """Writes to each person at most once per run: the person who reported (once per case), or a witness (once per
    account), each by their own safe channel."""

    def __init__(self):
        self.sign_in_link = absolute_url("auth.login")
        self.reached: set[tuple[str, int]] = set()
        self.sent = 0

    def invite(self, report: Report, template: str) -> None:
        if ("case", report.id) in self.reached:
            return
        if queue_for_reporter(report, template, sign_in_link=self.sign_in_link) is not None:
            self.reached.add(("case", report.id))
            self.sent += 1

    def invite_witness(self, link: WitnessLink, account: User, template: str) -> None:
        if ("witness", account.id) in self.reached:
            return
        if queue_for_witness(link, account, template, sign_in_link=self.sign_in_link) is not None:
            self.reached.add(("witness", account.id))
            self.sent += 1


def send_due(now: datetime | None = None, limit: int = BATCH, rng: RandomSource | None = None) -> SendCounts:
    """Offer every survey and check-in that is due (up to `limit` of each kind), and email the invitations. Draws
    newly decided cases for the comparison sample first, with `rng` (the system's random source unless given).

    Idempotent, and safe to run twice at once. Run it every few minutes: `flask surveys send`.
    """
    now = now or utcnow()
    counts = SendCounts()
    drawn = comparison.draw(now, OFFER_WINDOW, rng or comparison.system_random(), limit,
                            _insert_ignoring_duplicates_returning,
                            rate=current_app.config.get("COMPARISON_SAMPLE_RATE", comparison.SAMPLE_RATE))
    counts.drawn, counts.chosen = drawn.drawn, drawn.chosen
    mailer = _Mailer()
    for kind in (SurveyKind.AT_CLOSURE, SurveyKind.AFTER_DECISION):
        # The query has already left out people who must not be asked; may_ask is the rule said once more.
        due = [report for report, account in _due_surveys(kind, now, limit) if may_ask(account, report.safeguarding)]
        added: set[int] = set()
        # In the due order (by case), so two runs at once lock in the same order: one waits, neither deadlocks.
        for start in range(0, len(due), comparison.INSERT_ROWS):
            added |= _insert_ignoring_duplicates_returning(
                Survey, [{"report_id": report.id, "kind": kind, "invited_at": now}
                         for report in due[start:start + comparison.INSERT_ROWS]], ["report_id", "kind"],
                Survey.report_id)
        for report in due:
            if report.id in added:  # another run at the same time offered the rest: it emails them
                counts.surveys += 1
                mailer.invite(report, "survey_invite")
    for referral in _referrals_missing_check_ins(now, limit):
        rows = [{"referral_id": referral.id, "report_id": referral.report_id,
                 "witness_link_id": referral.witness_link_id, "organisation_id": referral.organisation_id,
                 "support_level": referral.support_level,
                 "weeks": weeks, "due_at": check_in_due_at(referral.sent_at, weeks)} for weeks in CHECK_IN_WEEKS]
        counts.check_ins_created += _insert_ignoring_duplicates(CheckIn, rows, ["referral_id", "weeks"])
    for chosen in comparison.draws_missing_check_ins(now, OFFER_WINDOW, limit):
        rows = comparison.check_in_rows(chosen.id, chosen.report_id, chosen.drawn_at)
        counts.check_ins_created += _insert_ignoring_duplicates(CheckIn, rows, ["draw_id", "weeks"])
    for check_in, report, account, link in _due_check_ins(now, limit):
        if not may_ask(account, report.safeguarding):
            continue
        # Guarded: if another run offered it first, this one changes nothing and sends nothing.
        claimed = db.session.execute(
            update(CheckIn).where(CheckIn.id == check_in.id, CheckIn.invited_at.is_(None))
            .values(invited_at=now).execution_options(synchronize_session=False)).rowcount
        if claimed:
            counts.check_ins += 1
            if check_in.witness_link_id is None:
                mailer.invite(report, "check_in_invite")
            elif link is not None:
                mailer.invite_witness(link, account, "check_in_invite")
    db.session.commit()
    counts.emails = mailer.sent
    return counts
