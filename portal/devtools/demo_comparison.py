"""Demo data for the comparison of support (issue 24).

- The demo victim: one of their decided cases without a referral is in the comparison sample, so the start
  check-in waits on that case (offered by the survey job, as for anyone chosen).
- Behind the insight pages: among the generated cases, a tenth of the victims who were not referred are drawn
  (seeded), about a third of them chose information and self-help, and they answer at the start, 4 and 12 weeks as
  the generated referred people do; and a one-to-one peer support service with referrals and check-ins. Like the
  generator's, these people have no accounts: nobody is written to.
"""

import random
from datetime import timedelta

from sqlalchemy import exists, func, insert, select

from portal.cases.enums import ReporterRole
from portal.cases.models import Report
from portal.clock import utcnow
from portal.devtools.generator import _reference
from portal.extensions import db
from portal.support.enums import ConsentSource, Delivery, ReferralStatus, ServiceKind
from portal.support.models import Consent, NeedsAssessment, Organisation, Referral, SupportService
from portal.surveys.models import CHECK_IN_WEEKS, CheckIn, ComparisonDraw

SEED = 24
SHARE = 0.10
INFORMATION_SHARE = 0.35
ONE_TO_ONE_REFERRALS = 40
ITEMS = {"coping": 0.0, "safety": 0.2, "wellbeing": -0.1, "confidence": -0.4, "daily_life": 0.1}
# How much better people are doing 12 weeks on, by group (invented, for the demo only).
GAIN = {"none": 0.35, "information": 0.45, "one_to_one": 0.9}
ANSWERED = {0: 0.8, 4: 0.65, 12: 0.6}
ONE_TO_ONE = {
    "name": "One-to-one peer support", "kind": ServiceKind.PEER_ONE_TO_ONE, "levels": ["peer"],
    "description": "A trained peer supporter who has been through something similar meets or calls you every week "
                   "for up to 12 weeks.",
    "categories": [], "boroughs": [], "languages": ["en"], "delivery": Delivery.BOTH,
    "expected_wait_days": 10,
}


def demo_victim_in_comparison(victim) -> list[str]:
    """One of the demo victim's decided cases, not referred, chosen for the comparison (only once)."""
    if victim is None:
        return []
    referred = exists().where(Referral.report_id == Report.id, Referral.sent_at.is_not(None))
    drawn = exists().where(ComparisonDraw.report_id == Report.id, ComparisonDraw.chosen.is_(True))
    existing = db.session.scalar(select(Report).where(Report.reporter_user_id == victim.id, drawn))
    if existing is not None:
        return [f"Comparison sample: {existing.crime_number} already drawn"]
    case = db.session.scalar(select(Report).where(Report.reporter_user_id == victim.id, Report.triaged_at.is_not(None),
                                                  Report.safeguarding.is_(False), ~referred)
                             .order_by(Report.triaged_at.desc()).limit(1))
    if case is None:
        return []
    now = utcnow()
    draw = ComparisonDraw(report_id=case.id, drawn_at=now, chosen=True)
    db.session.add(draw)
    db.session.flush()
    db.session.add_all(CheckIn(draw_id=draw.id, report_id=case.id, weeks=weeks, due_at=now + timedelta(weeks=weeks))
                       for weeks in CHECK_IN_WEEKS)
    db.session.commit()
    return [f"Comparison sample: {case.crime_number} chosen; its first check-in waits on the case"]


def _answers(rng: random.Random, person: float, gain: float, weeks: int) -> dict:
    share = {0: 0.0, 4: 0.5, 12: 1.0}[weeks]
    return {item: max(1, min(5, round(person + offset + gain * share + rng.gauss(0, 0.6))))
            for item, offset in ITEMS.items()}


def _series(rng: random.Random, report_id: int, start, gain: float, person: float, now, **link) -> list[dict]:
    rows = []
    for weeks in CHECK_IN_WEEKS:
        due = start + timedelta(weeks=weeks)
        if due > now:
            break
        answered = rng.random() < ANSWERED[weeks]
        row = {"report_id": report_id, "referral_id": None, "draw_id": None, "organisation_id": None,
               "support_level": None, "weeks": weeks, "due_at": due, "invited_at": due,
               "answered_at": due + timedelta(hours=rng.uniform(1, 72)) if answered else None,
               **dict.fromkeys(ITEMS), **link}
        if answered:
            row.update(_answers(rng, person, gain, weeks))
        rows.append(row)
    return rows


def demo_comparison_volume() -> list[str]:
    """The comparison sample and one-to-one peer support among the generated cases (run after the generator)."""
    generated_drawn = (select(func.count()).select_from(ComparisonDraw)
                       .join(Report, Report.id == ComparisonDraw.report_id).where(Report.reporter_user_id.is_(None)))
    if db.session.scalar(generated_drawn):
        return []
    rng, now = random.Random(SEED), utcnow()  # noqa: S311 - demo data, not a secret
    referred = exists().where(Referral.report_id == Report.id)
    candidates = list(db.session.execute(
        select(Report.id, Report.triaged_at).where(Report.reporter_user_id.is_(None), Report.triaged_at.is_not(None),
                                                   Report.triaged_at <= now - timedelta(weeks=1),
                                                   Report.reporter_role == ReporterRole.VICTIM,
                                                   Report.safeguarding.is_(False), ~referred)
        .order_by(Report.id)))
    check_ins: list[dict] = []
    chosen = 0
    for report_id, triaged_at in candidates:
        picked = rng.random() < SHARE
        draw_id = db.session.scalar(insert(ComparisonDraw).values(report_id=report_id, drawn_at=triaged_at,
                                                                  chosen=picked).returning(ComparisonDraw.id))
        if not picked:
            continue
        chosen += 1
        information = rng.random() < INFORMATION_SHARE
        if information:
            db.session.add(NeedsAssessment(report_id=report_id, answers={}, recommended_level="information",
                                           reasons=[], chosen_level="information", chosen_at=triaged_at))
        gain = GAIN["information" if information else "none"]
        check_ins += _series(rng, report_id, triaged_at, gain, rng.gauss(2.7, 0.6), now, draw_id=draw_id)
    lines = [f"Comparison sample: {chosen} of {len(candidates)} generated victims not referred were chosen"]
    lines += _one_to_one(rng, now, candidates[::-1], check_ins)
    if check_ins:
        db.session.execute(insert(CheckIn), check_ins)
    db.session.commit()
    return lines


def _one_to_one(rng: random.Random, now, candidates, check_ins: list[dict]) -> list[str]:
    """A one-to-one peer support service, and referrals to it (with consent) on generated cases old enough for a
    12-week check-in that were not drawn as chosen."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == "Camden Victim Support"))
    if organisation is None:
        return []
    service = SupportService(organisation_id=organisation.id, **ONE_TO_ONE)
    db.session.add(service)
    db.session.flush()
    chosen = set(db.session.scalars(select(ComparisonDraw.report_id).where(ComparisonDraw.chosen.is_(True))))
    old_enough = [(report_id, triaged) for report_id, triaged in candidates
                  if report_id not in chosen and triaged <= now - timedelta(weeks=14)][:ONE_TO_ONE_REFERRALS]
    for report_id, triaged in old_enough:
        sent = triaged + timedelta(days=rng.uniform(1, 7))
        consent = Consent(report_id=report_id, organisation_id=organisation.id,
                          scopes=["category_and_dates", "contact_details"], source=ConsentSource.ONLINE,
                          given_at=sent)
        db.session.add(consent)
        db.session.flush()
        referral = Referral(reference=_reference(report_id), report_id=report_id, organisation_id=organisation.id,
                            service_id=service.id, consent_id=consent.id, status=ReferralStatus.CONTACTED,
                            support_level="peer", sent_at=sent, accepted_at=sent + timedelta(days=1),
                            first_contact_at=sent + timedelta(days=3))
        db.session.add(referral)
        db.session.flush()
        check_ins += _series(rng, report_id, sent, GAIN["one_to_one"], rng.gauss(2.6, 0.6), now,
                             referral_id=referral.id, organisation_id=organisation.id, support_level="peer")
    return [f"One-to-one peer support: {len(old_enough)} referrals to {organisation.name}"]
