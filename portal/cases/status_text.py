"""What each case status means to the victim, and what happens next. Data, not logic."""

from dataclasses import dataclass

from portal.cases.enums import CaseStatus as S
from portal.i18n import N_


@dataclass(frozen=True)
class StatusText:
    """A status in plain words."""

    label: str
    meaning: str
    next: str


STATUS_TEXT: dict[S, StatusText] = {
    S.RECEIVED: StatusText(
        N_("Received"),
        N_("We have your report."),
        N_("A member of staff will review it within 45 minutes. You will hear from us within 48 hours."),
    ),
    S.TRIAGED: StatusText(
        N_("Reviewed"),
        N_("A member of staff has looked at your report."),
        N_("We will tell you what we decide and why."),
    ),
    S.NO_FURTHER_INVESTIGATION: StatusText(
        N_("Not being investigated further"),
        N_("We are not able to investigate further at the moment."),
        N_("If you have new information, tell us and we will look again. You can ask for the decision to be reviewed."),
    ),
    S.UNDER_INVESTIGATION: StatusText(
        N_("Being investigated"),
        N_("An officer is investigating your case."),
        N_("We will tell you about important developments, such as an arrest."),
    ),
    S.ATTENDANCE_ARRANGED: StatusText(
        N_("Visit arranged"),
        N_("An officer will visit you."),
        N_("If the time does not suit you, tell us and we will arrange another."),
    ),
    S.REFERRED_ELSEWHERE: StatusText(
        N_("Passed to another organisation"),
        N_("Another organisation is better placed to deal with this."),
        N_("They will contact you."),
    ),
    S.SUSPECT_IDENTIFIED: StatusText(
        N_("Suspect identified"),
        N_("We have identified a suspect."),
        N_("We will tell you if they are arrested or interviewed."),
    ),
    S.SUSPECT_ARRESTED: StatusText(
        N_("Suspect arrested"),
        N_("Someone has been arrested."),
        N_("We will tell you whether they are charged, released or bailed."),
    ),
    S.SUSPECT_INTERVIEWED: StatusText(
        N_("Suspect interviewed"),
        N_("A suspect has been interviewed."),
        N_("We are deciding what happens next and will tell you."),
    ),
    S.RELEASED_UNDER_INVESTIGATION: StatusText(
        N_("Suspect released while we investigate"),
        N_("The suspect has been released while we keep investigating."),
        N_("The case is still open. We will tell you about any decision."),
    ),
    S.CHARGED: StatusText(N_("Suspect charged"), N_("Someone has been charged."), N_("The case will go to court.")),
    S.COURT_HEARING_SCHEDULED: StatusText(
        N_("Court hearing arranged"),
        N_("A court hearing has been arranged."),
        N_("A witness care officer will tell you what to expect."),
    ),
    S.OUTCOME: StatusText(
        N_("Court decision"), N_("The court has made its decision."), N_("We will explain what it means for you.")
    ),
    S.CLOSED: StatusText(
        N_("Closed"), N_("We have finished our work on this case."), N_("If anything else happens, you can report it.")
    ),
}

# Each status's GOV.UK tag colour, by stage, so a list of cases can be read at a glance: new (blue), being looked
# at (light blue), being investigated (purple), going to court (pink), finished with a result (green), and ended
# without one or passed elsewhere (grey). The words always say the status too: colour alone never carries it.
STATUS_COLOURS: dict[S, str] = {
    S.RECEIVED: "blue",
    S.TRIAGED: "light-blue",
    S.NO_FURTHER_INVESTIGATION: "grey",
    S.UNDER_INVESTIGATION: "purple",
    S.ATTENDANCE_ARRANGED: "purple",
    S.REFERRED_ELSEWHERE: "grey",
    S.SUSPECT_IDENTIFIED: "purple",
    S.SUSPECT_ARRESTED: "purple",
    S.SUSPECT_INTERVIEWED: "purple",
    S.RELEASED_UNDER_INVESTIGATION: "purple",
    S.CHARGED: "pink",
    S.COURT_HEARING_SCHEDULED: "pink",
    S.OUTCOME: "green",
    S.CLOSED: "grey",
}
