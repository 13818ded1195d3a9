"""Import every model so that the metadata (and Alembic) sees them all."""

from portal.audit.models import AuditEvent
from portal.auth.models import AccountToken, Role, User
from portal.equality.models import EqualityRecord
from portal.insight.models import (
    DailyCoping,
    DailyDeadlines,
    DailyReferrals,
    DailyReports,
    DailySatisfaction,
    RefreshState,
)
from portal.messages.models import CaseMessage
from portal.notifications.models import OutboxMessage
from portal.reporting.models import (
    CrimeCategory,
    CrimeNumberSequence,
    Diversion,
    EvidenceFile,
    PropertyItem,
    Report,
    ReportDraft,
)
from portal.support.models import (
    Consent,
    NeedsAssessment,
    Organisation,
    Referral,
    ReferralEvent,
    SupportService,
)
from portal.surveys.models import CheckIn, Survey
from portal.tracking.models import TimelineEvent
from portal.tracking.witness_models import CourtAvailability, WitnessLink
from portal.triage.models import SlaAlert, VictimsCodeDeadline

__all__ = [
    "AccountToken", "AuditEvent", "Diversion", "CaseMessage", "CrimeCategory", "CrimeNumberSequence", "EvidenceFile",
    "OutboxMessage", "PropertyItem", "Report", "ReportDraft", "Role", "SlaAlert", "TimelineEvent", "User",
    "VictimsCodeDeadline", "CourtAvailability", "WitnessLink", "Consent", "NeedsAssessment", "Organisation",
    "Referral", "ReferralEvent", "SupportService", "CheckIn", "EqualityRecord", "Survey", "DailyCoping",
    "DailyDeadlines", "DailyReferrals", "DailyReports", "DailySatisfaction", "RefreshState",
]
