"""The case's enums: statuses, who reported, what they asked for, where a category routes, the Victims' Code
promises. In their own module so that views and forms use them without importing models."""

import enum


class Route(enum.StrEnum):
    """Where a crime category sends the person: the diversion rules, held as data."""

    SELF_SERVICE = "self_service"  # report it here
    INFORMATION = "information"  # not a crime: recorded as an information report
    HATE_INCIDENT = "hate_incident"  # report it here, with the perceived-motivation question
    FRAUD = "fraud"  # signposted to the national fraud reporting service
    SPECIALIST = "specialist"  # domestic abuse, sexual offences, ...: specialist page with phone numbers


class ReporterRole(enum.StrEnum):
    """Who is making the report."""

    VICTIM = "victim"
    WITNESS = "witness"
    ON_BEHALF = "on_behalf"


class FollowUp(enum.StrEnum):
    """What the person asked for after reporting."""

    NONE = "none"
    CALL = "call"
    VISIT = "visit"


class CaseStatus(enum.StrEnum):
    """Where a case is. Transitions are decided in one place (the triage state machine)."""

    RECEIVED = "received"
    TRIAGED = "triaged"
    NO_FURTHER_INVESTIGATION = "no_further_investigation"
    UNDER_INVESTIGATION = "under_investigation"
    ATTENDANCE_ARRANGED = "attendance_arranged"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    SUSPECT_IDENTIFIED = "suspect_identified"
    SUSPECT_ARRESTED = "suspect_arrested"
    SUSPECT_INTERVIEWED = "suspect_interviewed"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    CHARGED = "charged"
    COURT_HEARING_SCHEDULED = "court_hearing_scheduled"
    OUTCOME = "outcome"
    CLOSED = "closed"


class DeadlineKind(enum.StrEnum):
    """What the Victims' Code (or our own service standard) promises, and by when."""

    TRIAGE = "triage"  # reviewed within 45 minutes (service standard)
    FIRST_RESPONSE = "first_response"  # heard from us within 48 hours (service standard)
    SUPPORT_REFERRAL = "support_referral"  # offered a referral to support within 2 working days
    DECISION_NOT_TO_INVESTIGATE = "decision_not_to_investigate"  # told within 5 working days
    KEY_EVENT = "key_event"  # told within 5 working days, or 1 for enhanced rights
    ROUTINE_UPDATE = "routine_update"  # at the frequency the victim agreed
