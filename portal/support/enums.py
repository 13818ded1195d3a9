"""Support's enums: kinds of service, how they are delivered, consent, referral statuses. In their own module
so that views and forms use them without importing models."""

import enum


class ServiceKind(enum.StrEnum):
    """A service run by staff, or a peer-support group."""

    SERVICE = "service"
    PEER_GROUP = "peer_group"
    # One-to-one peer support: an organisation pairs the person with a peer supporter it has accepted (issue 24).
    PEER_ONE_TO_ONE = "peer_one_to_one"
    # Restorative justice: a trained facilitator helps the victim communicate with the person who harmed them,
    # if both agree. Offered on the case page (the Victims' Code), not by the support recommendation.
    RESTORATIVE_JUSTICE = "restorative"


class Availability(enum.StrEnum):
    """When someone can usually talk: a peer supporter's offer, and a person asking for one-to-one peer support."""

    WEEKDAY_DAYTIME = "weekday_daytime"
    WEEKDAY_EVENINGS = "weekday_evenings"
    WEEKENDS = "weekends"


# A person asking for one-to-one peer support may say "any time" instead of particular times.
ANY_TIME = "any"


class Delivery(enum.StrEnum):
    """Where the support happens."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    BOTH = "both"


class ConsentScope(enum.StrEnum):
    """The parts of a case a victim can agree to share."""

    CATEGORY_AND_DATES = "category_and_dates"
    CONTACT_DETAILS = "contact_details"
    DESCRIPTION = "description"
    # How the case is going: the updates the victim sees and the hearing dates (portal.partners.case_view).
    PROGRESS = "progress"


class ConsentSource(enum.StrEnum):
    """How consent was given."""

    ONLINE = "online"  # by the victim, in the portal
    VERBAL = "verbal"  # told to an officer, who recorded it


class ReferralStatus(enum.StrEnum):
    """Where a referral is. Transitions live in `portal.support.referral_states`."""

    PROPOSED = "proposed"  # suggested by an officer, waiting for the victim's consent
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CONTACTED = "contacted"
    UNABLE_TO_CONTACT = "unable_to_contact"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # the victim withdrew consent or turned down the suggestion
