"""The 12 rights of the Victims' Code (Code of Practice for Victims of Crime in England and Wales, 2020), each in
plain words with the places in this service where it is met, for one case."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

COMPENSATION_SCHEME_URL = "https://www.gov.uk/claim-compensation-criminal-injury"
WITNESS_EXPENSES_URL = "https://www.gov.uk/going-to-court-witness-prosecution/expenses"
VICTIM_CONTACT_SCHEME_URL = "https://www.gov.uk/guidance/victim-contact-scheme"
IOPC_URL = "https://www.policeconduct.gov.uk/complaints-reviews-and-appeals"


@dataclass(frozen=True)
class Place:
    """Where a right is met: a link with its words."""

    text: str
    href: str


@dataclass(frozen=True)
class CodeRight:
    """One right: its number, what it is, what it means for this case, and where to use it."""

    number: int
    title: str
    meaning: str
    places: tuple[Place, ...]


def rights_for_case(crime_number: str) -> list[CodeRight]:
    """All 12 rights, with links into this case."""

    def on_case(endpoint: str, anchor: str | None = None, **values) -> str:
        return url_for(endpoint, crime_number=crime_number, _anchor=anchor, **values)

    def here(anchor: str) -> str:
        return url_for("tracking.code_rights", crime_number=crime_number, _anchor=anchor)

    table = [
        (_l("To understand and be understood"),
         _l("We use words you can understand. You can ask for an interpreter, British Sign Language or large "
            "print, and use this service in Polish or Arabic."),
         [(_l("Ask for an interpreter, BSL or large print"), on_case("tracking.preferences")),
          (_l("Read about your rights in easy read"), url_for("pages.easy_read", page="rights"))]),
        (_l("To have the crime recorded without unjustified delay"),
         _l("Your report was recorded when you sent it, and you were given a crime number at once."),
         [(_l("What has happened so far"), on_case("tracking.updates", "timeline"))]),
        (_l("To get information when you report the crime"),
         _l("You were told what happens next, and you can keep a copy of what you reported."),
         [(_l("Download a copy of your report (PDF)"), on_case("tracking.summary_pdf")),
          (_l("What happens next, in easy read"), url_for("pages.easy_read", page="what-happens-next"))]),
        (_l("To be referred to support, tailored to your needs"),
         _l("You can choose the support you want, from information to a specialist caseworker or a peer-support "
            "group, and ask to hear from the restorative justice service."),
         [(_l("Get support"), url_for("support.assessment", crime_number=crime_number)),
          (_l("Restorative justice"), on_case("tracking.restorative_justice"))]),
        (_l("To get information about compensation"),
         _l("You may be able to get compensation for an injury, or from the person who did it if they are "
            "convicted."),
         [(_l("Compensation"), here("compensation"))]),
        (_l("To be told about the investigation and any prosecution"),
         _l("We tell you about important decisions, with our reasons, and give you regular updates."),
         [(_l("Your rights, and whether we met them"), here("your-rights")),
          (_l("How often we update you"), on_case("tracking.preferences"))]),
        (_l("To make a Victim Personal Statement"),
         _l("You can tell the court, in your own words, how the crime has affected you."),
         [(_l("Ask to make a statement"), here("statement"))]),
        (_l("To be told about the trial and your part as a witness"),
         _l("If there is a trial, we tell you when and where, and what to expect if you are a witness."),
         [(_l("What has happened so far"), on_case("tracking.updates", "timeline")),
          (_l("Expenses for witnesses"), here("expenses"))]),
        (_l("To be told the outcome of the case and any appeal"),
         _l("We tell you the outcome, and you can ask for a review if we decide not to take the case further."),
         [(_l("What has happened so far"), on_case("tracking.updates", "timeline"))]),
        (_l("To be paid expenses and to have your property returned"),
         _l("Witnesses can claim travel costs and lost earnings. You can ask for property the police hold to be "
            "given back."),
         [(_l("Ask for your property back"), here("property")), (_l("Expenses for witnesses"), here("expenses"))]),
        (_l("To be told about the offender after a conviction"),
         _l("If the offender is sent to prison for 12 months or more for a violent or sexual offence, the "
            "probation service’s Victim Contact Scheme can keep you informed."),
         [(_l("The Victim Contact Scheme (GOV.UK)"), VICTIM_CONTACT_SCHEME_URL)]),
        (_l("To complain if your rights are not met"),
         _l("You can complain to the police force. If you are not happy with the answer, you can ask the "
            "Independent Office for Police Conduct to review it."),
         [(_l("Ask to talk to someone"), on_case("tracking.ask_for_call")),
          (_l("Complaints and reviews (IOPC)"), IOPC_URL)]),
    ]
    return [CodeRight(number, str(title), str(meaning), tuple(Place(str(text), href) for text, href in places))
            for number, (title, meaning, places) in enumerate(table, start=1)]
