"""Referral statuses, reasons and outcomes in plain words, for victims and partners."""

from portal.i18n import N_
from portal.support.enums import ReferralStatus as S
from portal.support.enums import ServiceKind

# What the victim sees: a short label and what it means for them.
STATUS_WORDS: dict[S, tuple[str, str]] = {
    S.PROPOSED: (
        N_("Waiting for your decision"),
        N_("An officer suggested this support. Nothing is shared until you agree."),
    ),
    S.SENT: (
        N_("Sent"),
        N_("We have sent your referral. The organisation will look at it and decide whether they can help."),
    ),
    S.ACCEPTED: (
        N_("Accepted"),
        N_("The organisation can help you. They will get in touch using the details you agreed to share."),
    ),
    S.DECLINED: (
        N_("Not accepted"),
        N_("The organisation cannot take your referral. The reason is shown below. You can choose another service."),
    ),
    S.CONTACTED: (N_("Contacted"), N_("The organisation has been in touch with you.")),
    S.UNABLE_TO_CONTACT: (
        N_("Could not reach you"),
        N_(
            "The organisation tried to contact you but could not reach you. "
            "Check your contact details, or ask to be referred again."
        ),
    ),
    S.CLOSED: (N_("Closed"), N_("The organisation has finished working with you on this referral.")),
    S.WITHDRAWN: (
        N_("Withdrawn"),
        N_("You stopped this referral. The organisation can no longer see any of your details."),
    ),
}

# Police staff and partner pages are in English (their words are not in the victims' catalogue).
# Each status's GOV.UK tag colour, the same on every page that shows one.
STATUS_COLOURS: dict[S, str] = {
    S.PROPOSED: "govuk-tag--grey",
    S.SENT: "govuk-tag--blue",
    S.ACCEPTED: "govuk-tag--turquoise",
    S.DECLINED: "govuk-tag--orange",
    S.CONTACTED: "govuk-tag--green",
    S.UNABLE_TO_CONTACT: "govuk-tag--yellow",
    S.CLOSED: "govuk-tag--grey",
    S.WITHDRAWN: "govuk-tag--red",
}
# What police staff read.
STAFF_STATUS_NAMES: dict[S, str] = {
    S.PROPOSED: "Waiting for the victim’s consent",
    S.SENT: "Sent",
    S.ACCEPTED: "Accepted",
    S.DECLINED: "Declined",
    S.CONTACTED: "Contacted",
    S.UNABLE_TO_CONTACT: "Unable to contact",
    S.CLOSED: "Closed",
    S.WITHDRAWN: "Withdrawn",
}
# What the organisation reads: a referral sent to it is new to it. It never sees a proposed or withdrawn one.
PARTNER_STATUS_NAMES: dict[S, str] = {**STAFF_STATUS_NAMES, S.SENT: "New"}


# For a peer-support group, being accepted means a place in the group.
PEER_GROUP_WORDS: dict[S, tuple[str, str]] = {
    S.ACCEPTED: (
        N_("Place confirmed"),
        N_(
            "The group has a place for you. They will get in touch to tell you when and "
            "where it meets, using the details you agreed to share."
        ),
    ),
}


def words_for(referral) -> tuple[str, str]:
    """The label and explanation the victim reads for one referral."""
    if referral.service.kind == ServiceKind.PEER_GROUP and referral.status in PEER_GROUP_WORDS:
        return PEER_GROUP_WORDS[referral.status]
    return STATUS_WORDS[referral.status]


# Why an organisation declines, following Primero's reason codes.
DECLINE_REASONS: dict[str, str] = {
    "client_refused": "The person did not want the service",
    "lack_of_capacity": "We do not have capacity at the moment",
    "no_longer_needed": "The service is no longer needed",
    "unable_to_contact": "We could not contact the person",
    "not_eligible": "The person is not eligible for this service",
    "outside_area": "The person is outside our area",
    "duplicate_referral": "Duplicate referral: we already have one for this person",
}
# The same reasons as the victim reads them.
DECLINE_REASONS_FOR_VICTIM: dict[str, str] = {
    "client_refused": N_("The organisation understood that you did not want their help."),
    "lack_of_capacity": N_("The organisation has no space to help anyone new at the moment. This is not about you."),
    "no_longer_needed": N_("The organisation understood that you no longer need this help."),
    "unable_to_contact": N_("The organisation could not reach you with the details they were given."),
    "not_eligible": N_("This service is for people in a different situation, so the organisation cannot help you "
                       "through it. You can choose another service."),
    "outside_area": N_("The organisation does not cover your area. You can choose another service."),
    "duplicate_referral": N_("The organisation already has a referral for you, so it did not need this one."),
}

CONTACT_OUTCOMES: dict[str, str] = {
    "reached": "Spoke to the person",
    "no_answer": "No answer",
    "left_message": "Left a message",
    "wrong_details": "Contact details did not work",
}

CLOSE_OUTCOMES: dict[str, str] = {
    "support_completed": "Support given and completed",
    "joined_group": "Joined the peer-support group",
    "referred_on": "Referred on to another service",
    "client_ended": "The person chose to stop",
    "no_longer_needed": "Support no longer needed",
    "unable_to_contact": "Could not make contact",
    "not_eligible": "The person is not eligible for this service",
    "outside_area": "The person is outside our area",
    "duplicate_referral": "Duplicate referral: we already have one for this person",
}
CLOSE_OUTCOMES_FOR_VICTIM: dict[str, str] = {
    "support_completed": N_("Your support has finished."),
    "joined_group": N_("You have a place in the group."),
    "referred_on": N_("The organisation passed you on to another service that can help."),
    "client_ended": N_("You chose to stop this support."),
    "no_longer_needed": N_("You no longer needed this support."),
    "unable_to_contact": N_("The organisation could not reach you, so they closed the referral."),
    "not_eligible": N_("This service is for people in a different situation, so the organisation closed the "
                       "referral. You can choose another service."),
    "outside_area": N_("The organisation does not cover your area, so it closed the referral. You can choose "
                       "another service."),
    "duplicate_referral": N_("The organisation already had a referral for you, so it closed this one."),
}

SCOPE_WORDS = {
    "category_and_dates": N_("What kind of crime it was, and when it happened"),
    "contact_details": N_("Your name, how to contact you, and your communication needs"),
    "description": N_("What you told us happened"),
    "progress": N_("How your case is going: the updates we send you and any court dates"),
}
