"""The order of the report wizard's questions, which ones apply, and where each answer leads.

Pure functions over the saved answers (a dict), so the flow is tested without requests. Each step names its
form class rather than importing it, so that services can ask whether a report is complete without the forms.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from portal.cases.enums import Route
from portal.postal_address import PostalAddress

Answers = dict
# Where the confirmation page finds the report just sent (the session key).
SUBMITTED_KEY = "submitted_report_id"


def _route(answers: Answers) -> str | None:
    """The diversion route of the chosen category."""
    return answers.get("category_route")


def _always(answers: Answers) -> bool:
    return True


def _is_hate(answers: Answers) -> bool:
    return _route(answers) == Route.HATE_INCIDENT


def _is_crime(answers: Answers) -> bool:
    return _route(answers) != Route.INFORMATION


def _for_someone_else(answers: Answers) -> bool:
    return answers.get("reporter_role") == "on_behalf"


def _has_property(answers: Answers) -> bool:
    return answers.get("has_property") == "yes"


def wants_letters(answers: Answers) -> bool:
    """Whether a letter is among the safe ways to reach the person (only then is a postal address asked or kept)."""
    return "letter" in (answers.get("safe_channels") or [])


def _phone_is_safe(answers: Answers) -> bool:
    return "phone" in (answers.get("safe_channels") or [])


def _address_given(answers: Answers) -> bool:
    """An address was saved, and it will do (an address saved any other way sends the person back to it)."""
    return "address_line_1" in answers and not PostalAddress.of_answers(answers).problems()


@dataclass(frozen=True)
class Step:
    """One question page."""

    slug: str
    title: str
    form: str  # the name of its form class in portal.reporting.forms (see answers.form_for)
    done: Callable[[Answers], bool]
    applies: Callable[[Answers], bool] = _always
    single_question: bool = True
    hidden_from_summary: bool = field(default=False)


def _answered(*keys: str) -> Callable[[Answers], bool]:
    """Done when every key has been answered (an optional question answered empty counts)."""
    return lambda answers: all(key in answers for key in keys)


STEPS: tuple[Step, ...] = (
    Step("safety-now", _l("Is anyone in danger now, or is the crime happening now?"), "SafetyNowForm",
         lambda a: a.get("danger_now") == "no"),
    Step("immediate-risk", _l("Was anyone hurt, was a weapon involved, or is the person who did it still nearby?"),
         "ImmediateRiskForm", lambda a: a.get("immediate_risk") == "no"),
    Step("what-happened", _l("What happened?"), "CategoryForm",
         lambda a: _route(a) in (Route.SELF_SERVICE, Route.INFORMATION, Route.HATE_INCIDENT)),
    Step("hate-motivation", _l("What do you think made them act this way?"), "HateMotivationForm",
         _answered("hate_motivations"), applies=_is_hate),
    Step("third-party", _l("Are you reporting this through a community organisation?"), "ThirdPartyForm",
         _answered("via_third_party"), applies=_is_hate, single_question=False),
    Step("who", _l("Who are you reporting as?"), "ReporterForm", _answered("reporter_role")),
    Step("someone-else", _l("The person or business you are reporting for"), "SomeoneElseForm",
         _answered("victim_kind", "victim_knows"), applies=_for_someone_else, single_question=False),
    Step("when", _l("When did it happen?"), "WhenForm", _answered("occurred_on"), single_question=False),
    Step("where", _l("Where did it happen?"), "WhereForm", _answered("borough"), single_question=False),
    Step("description", _l("Tell us what happened"), "DescriptionForm", _answered("description")),
    Step("property", _l("Was anything lost, stolen or damaged?"), "HasPropertyForm", _answered("has_property")),
    Step("property-item", _l("Add an item"), "PropertyItemForm",
         lambda a: bool(a.get("property_items")), applies=_has_property, single_question=False,
         hidden_from_summary=True),
    Step("property-list", _l("Do you need to add another item?"), "AddAnotherForm",
         _answered("property_done"), applies=_has_property, hidden_from_summary=True),
    Step("suspect", _l("Do you know anything about who did it?"), "SuspectForm",
         _answered("suspect_description"), applies=_is_crime),
    Step("witnesses", _l("Did anyone else see what happened?"), "WitnessesForm",
         _answered("other_witnesses"), applies=_is_crime),
    Step("evidence", _l("Upload photos or documents"), "EvidenceForm", _answered("evidence_done"),
         single_question=False),
    Step("contact", _l("Your contact details"), "ContactForm", _answered("contact_name"),
         single_question=False),
    Step("safe-contact", _l("Contacting you safely"), "SafeContactForm", _answered("safe_channels"),
         single_question=False),
    Step("postal-address", _l("What is your postal address?"), "PostalAddressForm", _address_given,
         applies=wants_letters, single_question=False),
    Step("voicemail", _l("Can we leave a voicemail?"), "VoicemailForm", _answered("voicemail_allowed"),
         applies=_phone_is_safe),
    Step("message-words", _l("What our messages say"), "MessageWordsForm", _answered("neutral_sender"),
         single_question=False),
    Step("contact-needs", _l("Help to talk with us"), "ContactNeedsForm", _answered("contact_needs"),
         single_question=False),
    Step("follow-up", _l("Would you like us to contact you about this?"), "FollowUpForm",
         _answered("follow_up")),
    Step("new-demand", _l("If you could not report this online, would you have reported it another way?"),
         "NewDemandForm", _answered("would_have_reported")),
)

BY_SLUG = {step.slug: step for step in STEPS}

# The answers about the victim that only someone reporting for someone else gives.
VICTIM_FIELDS = ("victim_kind", "victim_name", "victim_knows")

# "Something else" and "I'm not sure", offered after the categories: not categories themselves, they lead to a
# page that helps the person decide where to report (here, 101, or another service).
NOT_LISTED = ("something_else", "not_sure")
HELP_CHOOSING = "help_choosing"  # the category_route saved for either

# Where an answer stops the online journey, and the page it goes to instead.
STOP_PAGES: tuple[tuple[Callable[[Answers], bool], str], ...] = (
    (lambda a: a.get("danger_now") == "yes", "call-999"),
    (lambda a: a.get("immediate_risk") == "yes", "urgent-help"),
    (lambda a: _route(a) == Route.FRAUD, "fraud"),
    (lambda a: _route(a) == Route.SPECIALIST, "specialist-support"),
    (lambda a: _route(a) == HELP_CHOOSING, "help-choosing"),
)


def applicable_steps(answers: Answers) -> list[Step]:
    """The questions this person will be asked, given their answers so far."""
    return [step for step in STEPS if step.applies(answers)]


def stop_page(answers: Answers) -> str | None:
    """The stop or diversion page these answers lead to, if any."""
    for rule, page in STOP_PAGES:
        if rule(answers):
            return page
    return None


def first_incomplete(answers: Answers) -> Step | None:
    """The first question still to answer, or None when the report is ready to check."""
    for step in applicable_steps(answers):
        if not step.done(answers):
            return step
    return None


def can_visit(slug: str, answers: Answers) -> bool:
    """A question can be opened once every question before it is answered."""
    steps = applicable_steps(answers)
    slugs = [s.slug for s in steps]
    if slug not in slugs:
        return False
    for step in steps[: slugs.index(slug)]:
        if not step.done(answers):
            return False
    return True


def next_after(slug: str, answers: Answers) -> str:
    """Where to go after answering a question: a stop page, the next question, or check answers."""
    stop = stop_page(answers)
    if stop:
        return stop
    steps = applicable_steps(answers)
    slugs = [s.slug for s in steps]
    if slug in slugs:
        for step in steps[slugs.index(slug) + 1:]:
            if not step.done(answers):
                return step.slug
    incomplete = first_incomplete(answers)
    return incomplete.slug if incomplete else "check-answers"


# The report's parts, in order, for the progress caption: "Part 2 of 4: What happened". Counting parts rather than
# questions means the caption never goes down when an answer adds questions (a hate incident, items, a letter).
PARTS = (_l("Your safety"), _l("What happened"), _l("How we contact you"), _l("Check and send"))
_FIRST_OF_PART = ("safety-now", "what-happened", "contact", "check-answers")


def part_of(slug: str) -> int:
    """The part (counting from 1) a question, or check answers, belongs to."""
    order = [step.slug for step in STEPS] + ["check-answers"]
    starts = [order.index(first) for first in _FIRST_OF_PART]
    return sum(1 for start in starts if order.index(slug) >= start)


def position(slug: str) -> tuple[int, int, str]:
    """The part a page belongs to, how many parts there are, and the part's name, for the progress caption."""
    number = part_of(slug)
    return number, len(PARTS), str(PARTS[number - 1])
