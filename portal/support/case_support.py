"""The support section of the staff case page: what it loads and the words it uses."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.cases.models import Report
from portal.support import matching, referrals
from portal.support.assessments import LEVEL_WORDS, latest_assessment
from portal.support.models import Consent, NeedsAssessment, Referral
from portal.support.referral_text import STAFF_STATUS_NAMES, STATUS_COLOURS

# What the victim agreed to share, in words for the officer. The keys are referral_text.SCOPE_WORDS' keys.
STAFF_SCOPE_WORDS = {
    "category_and_dates": _l("What kind of crime it was, and when it happened"),
    "contact_details": _l("The victim’s name, how to contact them, and their communication needs"),
    "description": _l("What the victim told us happened"),
    "progress": _l("How the case is going: the victim’s updates and any court dates"),
}


@dataclass
class CaseSupport:
    """What the staff case page shows about support: the latest assessment, referrals and consents."""

    assessment: NeedsAssessment | None
    referrals: list[Referral]
    consents: list[Consent]


def case_support(report: Report) -> CaseSupport:
    """Load the support section of the staff case page (three statements)."""
    return CaseSupport(latest_assessment(report.id), referrals.referrals_for_case(report.id),
                       referrals.consents_for_case(report.id))


def support_context() -> dict:
    """Words the support section of the staff case page uses."""
    return {"status_names": STAFF_STATUS_NAMES, "status_colours": STATUS_COLOURS, "level_words": LEVEL_WORDS,
            "scope_words": STAFF_SCOPE_WORDS,
            "language_names": matching.LANGUAGE_NAMES}
