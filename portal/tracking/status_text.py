"""What each case status means to the victim, and what happens next. Data, not logic."""

from dataclasses import dataclass

from portal.reporting.models import CaseStatus as S


@dataclass(frozen=True)
class StatusText:
    """A status in plain words."""

    label: str
    meaning: str
    next: str


STATUS_TEXT: dict[S, StatusText] = {
    S.RECEIVED: StatusText(
        "Received", "We have your report.",
        "A member of staff will review it within 45 minutes. You will hear from us within 48 hours."),
    S.TRIAGED: StatusText("Reviewed", "A member of staff has looked at your report.",
                          "We will tell you what we decide and why."),
    S.NO_FURTHER_INVESTIGATION: StatusText(
        "Not being investigated further", "We are not able to investigate further at the moment.",
        "If you have new information, tell us and we will look again. You can ask for the decision to be reviewed."),
    S.UNDER_INVESTIGATION: StatusText("Being investigated", "An officer is investigating your case.",
                                      "We will tell you about important developments, such as an arrest."),
    S.ATTENDANCE_ARRANGED: StatusText("Visit arranged", "An officer will visit you.",
                                      "If the time does not suit you, tell us and we will arrange another."),
    S.REFERRED_ELSEWHERE: StatusText("Passed to another organisation",
                                     "Another organisation is better placed to deal with this.",
                                     "They will contact you."),
    S.SUSPECT_IDENTIFIED: StatusText("Suspect identified", "We have identified a suspect.",
                                     "We will tell you if they are arrested or interviewed."),
    S.SUSPECT_ARRESTED: StatusText("Suspect arrested", "Someone has been arrested.",
                                   "We will tell you whether they are charged, released or bailed."),
    S.SUSPECT_INTERVIEWED: StatusText("Suspect interviewed", "A suspect has been interviewed.",
                                      "We are deciding what happens next and will tell you."),
    S.RELEASED_UNDER_INVESTIGATION: StatusText(
        "Suspect released while we investigate", "The suspect has been released while we keep investigating.",
        "The case is still open. We will tell you about any decision."),
    S.CHARGED: StatusText("Suspect charged", "Someone has been charged.", "The case will go to court."),
    S.COURT_HEARING_SCHEDULED: StatusText("Court hearing arranged", "A court hearing has been arranged.",
                                          "A witness care officer will tell you what to expect."),
    S.OUTCOME: StatusText("Court decision", "The court has made its decision.",
                          "We will explain what it means for you."),
    S.CLOSED: StatusText("Closed", "We have finished our work on this case.",
                         "If anything else happens, you can report it."),
}
