"""Peer supporters' enums, in their own module so that views and forms use them without importing models."""

import enum

# When a peer supporter can usually help: the same values a person asking for one-to-one peer support answers.
from portal.support.enums import Availability as Availability


class Decision(enum.StrEnum):
    """An organisation's decision on an offer to be a peer supporter."""

    NEW = "new"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class SupporterStatus(enum.StrEnum):
    """An accepted peer supporter's standing with the organisation."""

    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class DeclineReason(enum.StrEnum):
    """Why an organisation did not take an offer up."""

    NO_CAPACITY = "no_capacity"  # cannot train or support more peer supporters now
    CHECKS_NOT_MET = "checks_not_met"  # training, references or the safeguarding check were not completed
    NOT_A_FIT = "not_a_fit"  # the offer does not fit the peer support the organisation runs
    TOO_SOON = "too_soon"  # the organisation asks people to wait longer after their own support
    OTHER = "other"
