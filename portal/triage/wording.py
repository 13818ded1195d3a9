"""Plain-English wording for decisions and updates. Officers start from these and may adjust the text.

Kept as data so that wording can be reviewed (and translated) without reading code.
"""

from dataclasses import dataclass

from portal.cases.enums import CaseStatus as S
from portal.i18n import N_


@dataclass(frozen=True)
class Wording:
    """The title and body a victim sees for an event."""

    title: str
    body: str


# Screening reasons from the Crime Assessment Principles, for a decision not to investigate further.
NFI_REASONS: dict[str, Wording] = {
    "no_lines_of_enquiry": Wording(
        N_("We are not able to investigate further at the moment"),
        N_(
            "We have looked carefully at what you told us. There is no CCTV, witness, forensic evidence or other "
            "information that could lead us to the person who did this."
        ),
    ),
    "no_realistic_prospect": Wording(
        N_("We are not able to investigate further at the moment"),
        N_(
            "We have looked carefully at what you told us and checked what we could. We do not believe there is a "
            "realistic chance of finding who did this."
        ),
    ),
    "proportionality": Wording(
        N_("We are not able to investigate further at the moment"),
        N_(
            "We have looked at how serious this was, the harm it caused you and what we could do next. We have "
            "decided that further investigation would not be proportionate. This does not mean we doubt you."
        ),
    ),
    "victim_request": Wording(
        N_("We have stopped the investigation, as you asked"),
        N_("You told us you did not want us to investigate further."),
    ),
}

NFI_NEXT_STEPS = N_(
    "Your report is kept on record and helps us see where crime is happening. If you find new information, "
    "such as CCTV, a witness or your property for sale, tell us and we will look at your case again. "
    "You have the right to ask for this decision to be reviewed. If you would like to talk it through, "
    "ask for a call on your case page."
)

REFER_AGENCIES: dict[str, Wording] = {
    "national_fraud": Wording(
        N_("We have passed your report to the national fraud reporting service"),
        N_(
            "Fraud is investigated nationally, so reports from across the country can be linked. They will "
            "contact you if they need more information."
        ),
    ),
    "council_asb": Wording(
        N_("We have passed your report to your local council"),
        N_(
            "The council deals with this kind of anti-social behaviour and can take action such as warnings and "
            "orders. They will contact you."
        ),
    ),
    "other_force": Wording(
        N_("We have passed your report to another police force"),
        N_("It happened in an area another force covers, so they will deal with it. They will contact you."),
    ),
}

DECISIONS: dict[str, Wording] = {
    "allocate": Wording(
        N_("An officer is now looking after your case"),
        N_(
            "%(officer)s is your contact for this case. They will keep you updated and tell you about any "
            "important developments."
        ),
    ),
    "attendance": Wording(
        N_("We would like to visit you"),
        N_(
            "An officer would like to visit you on %(when)s. If this time does not suit you, tell us on your case "
            "page and we will arrange another."
        ),
    ),
    "information_only": Wording(
        N_("We have recorded what you told us as information"),
        N_(
            "What you told us is not a crime, so we have recorded it as information. It helps us understand what "
            "is happening in your area. If anything else happens, you can report it."
        ),
    ),
    "duplicate": Wording(
        N_("We have joined your report with another one"),
        N_(
            "This was already reported, so we have joined the reports together to deal with them once. "
            "You do not need to do anything."
        ),
    ),
    "follow_up_call": Wording(
        N_("We would like to talk to you"),
        N_("An officer will call you about your report, using the safe contact details you gave us."),
    ),
    "follow_up_visit": Wording(
        N_("We would like to visit you"),
        N_(
            "An officer would like to visit you on %(when)s. If this time does not suit you, tell us on your case "
            "page and we will arrange another."
        ),
    ),
}

KEY_EVENTS: dict[S, Wording] = {
    S.SUSPECT_IDENTIFIED: Wording(
        N_("We have identified a suspect"), N_("We have identified someone we believe may be responsible.")
    ),
    S.SUSPECT_ARRESTED: Wording(
        N_("Someone has been arrested"), N_("We have arrested someone in connection with your case.")
    ),
    S.SUSPECT_INTERVIEWED: Wording(
        N_("A suspect has been interviewed"),
        N_("We have interviewed a suspect. We are now deciding what happens next."),
    ),
    S.RELEASED_UNDER_INVESTIGATION: Wording(
        N_("A suspect has been released while we continue to investigate"),
        N_("The suspect has been released while the investigation continues. This does not mean the case is closed."),
    ),
    S.CHARGED: Wording(
        N_("Someone has been charged"), N_("A suspect has been charged with an offence. The case will now go to court.")
    ),
    S.COURT_HEARING_SCHEDULED: Wording(
        N_("A court hearing has been arranged"), N_("A hearing has been arranged at %(place)s on %(when)s.")
    ),
    S.OUTCOME: Wording(N_("The court has reached a decision"), N_("The court has made its decision in your case.")),
    S.CLOSED: Wording(
        N_("Your case is now closed"), N_("We have finished our work on your case. Thank you for reporting it.")
    ),
}

# The title of a progress update: the officer's own words, with no change of status.
PROGRESS_UPDATE_TITLE = N_("An update on your case")
