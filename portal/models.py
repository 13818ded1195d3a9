"""Import every model so that the metadata (and Alembic) sees them all."""

from portal.audit.models import AuditEvent
from portal.auth.models import AccountToken, User
from portal.auth.roles import Role
from portal.cases.models import (
    CrimeCategory,
    CrimeNumberSequence,
    EvidenceFile,
    PropertyItem,
    Report,
    SlaAlert,
    TimelineEvent,
    VictimsCodeDeadline,
    WitnessLink,
)
from portal.equality.models import EqualityRecord
from portal.feedback.models import Feedback
from portal.insight.models import (
    DailyCoping,
    DailyDeadlines,
    DailyReferrals,
    DailyReports,
    DailySatisfaction,
    RefreshState,
)
from portal.messages.models import CaseMessage, WitnessMessage
from portal.notifications.models import OutboxMessage
from portal.peers.match_models import PeerConcern, PeerMatch, PeerMessage
from portal.peers.models import PeerOffer, PeerSupporter
from portal.reporting.models import Diversion, ReportDraft, ResumeLink
from portal.support.group_models import GroupPlace, GroupSessionChange
from portal.support.models import (
    Consent,
    NeedsAssessment,
    Organisation,
    Referral,
    ReferralEvent,
    SupportService,
)
from portal.surveys.models import CheckIn, ComparisonDraw, Survey
from portal.tasks.models import Task
from portal.track.models import TrackingCode
from portal.tracking.models import CourtAvailability

__all__ = [
    "GroupPlace", "GroupSessionChange",
    "PeerOffer", "PeerSupporter", "PeerMatch", "PeerMessage", "PeerConcern",
    "AccountToken", "AuditEvent", "Diversion", "CaseMessage", "CrimeCategory", "CrimeNumberSequence", "EvidenceFile",
    "OutboxMessage", "PropertyItem", "Report", "ReportDraft", "ResumeLink", "TrackingCode", "Role", "SlaAlert",
    "TimelineEvent", "User", "WitnessMessage",
    "VictimsCodeDeadline", "CourtAvailability", "WitnessLink", "Consent", "NeedsAssessment", "Organisation",
    "Referral", "ReferralEvent", "SupportService", "CheckIn", "EqualityRecord", "Survey", "DailyCoping",
    "DailyDeadlines", "DailyReferrals", "DailyReports", "DailySatisfaction", "RefreshState", "Task", "Feedback",
    "ComparisonDraw",
]
