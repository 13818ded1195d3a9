"""Move values between a question's form and the saved answers, and describe answers for checking."""

from datetime import date

from flask_babel import gettext as _
from wtforms.validators import Length

from portal import contact_needs
from portal.i18n import uk_date
from portal.postal_address import PostalAddress
from portal.reporting import forms, money
from portal.reporting.forms import CHANNELS, HATE_MOTIVATIONS, VICTIM_KINDS, VICTIM_KNOWS
from portal.reporting.journey import Answers, Step, applicable_steps

NOT_ANSWER_FIELDS = {"csrf_token", "submit", "file"}


def form_for(step: Step) -> type:
    """The form class of a question."""
    return getattr(forms, step.form)


def form_data_for(step: Step, answers: Answers) -> dict:
    """Values to show in a question's form, from the saved answers."""
    data = {}
    form_class = form_for(step)
    for name in dir(form_class):
        if name in answers and name not in NOT_ANSWER_FIELDS:
            value = answers[name]
            if isinstance(value, str) and name.startswith("occurred_") and name != "occurred_time":
                value = date.fromisoformat(value) if value else None
            data[name] = value
    return data


def answers_from(form) -> dict:
    """The answers a submitted form gives, ready to save as JSON."""
    values = {}
    for field in form:
        if field.name in NOT_ANSWER_FIELDS:
            continue
        value = field.data
        if isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, str):
            value = value.strip()
        values[field.name] = value
    return values


def max_length(field) -> int | None:
    """The largest Length(max=...) on a field, for the character count component."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0]
    return max(limits) if limits else None


def heading_params(field, title: str) -> dict:
    """Make a single question's label or legend the page heading, as GOV.UK question pages do."""
    fieldset_types = {"RadioField", "SelectMultipleField", "GovDateField"}
    params: dict = {}
    if field.type in fieldset_types:
        params["fieldset"] = {"legend": {"text": title, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}}
    else:
        params["label"] = {"text": title, "isPageHeading": True, "classes": "govuk-label--l"}
    limit = max_length(field)
    if limit and field.type == "TextAreaField":
        params["maxlength"] = limit
    return params


def field_params(field) -> dict:
    """Parameters for a question that is not the page heading."""
    params: dict = {}
    if field.type in {"RadioField", "SelectMultipleField"}:
        params["fieldset"] = {"legend": {"text": field.label.text, "classes": "govuk-fieldset__legend--m"}}
    limit = max_length(field)
    if limit and field.type == "TextAreaField":
        params["maxlength"] = limit
    return params


def _labels(choices) -> dict:
    """Choice values to their display text."""
    return {value: str(label) for value, label in choices}


def summary_rows(answers: Answers, category_name: str | None, evidence_names: list[str]) -> list[dict]:
    """Check-your-answers rows: question, answer, and which page changes it."""
    yes_no = {"yes": _("Yes"), "no": _("No"), "not_sure": _("I am not sure")}
    rows = []

    def add(key, label, value):
        rows.append({"slug": key, "label": label, "value": value if value not in (None, "", []) else _("Not given")})

    for step in applicable_steps(answers):
        slug = step.slug
        if slug == "safety-now":
            add(slug, _("Anyone in danger now"), yes_no.get(answers.get("danger_now")))
        elif slug == "immediate-risk":
            add(slug, _("Injury, weapon or suspect nearby"), yes_no.get(answers.get("immediate_risk")))
        elif slug == "what-happened":
            add(slug, _("What happened"), category_name)
        elif slug == "hate-motivation":
            labels = _labels(HATE_MOTIVATIONS)
            add(slug, _("What you think made them act this way"),
                ", ".join(labels.get(m, m) for m in answers.get("hate_motivations", [])))
        elif slug == "third-party":
            value = answers.get("third_party_organisation") if answers.get("via_third_party") == "yes" else _("No")
            add(slug, _("Reporting through an organisation"), value)
        elif slug == "who":
            roles = {"victim": _("The victim"), "witness": _("A witness"), "on_behalf": _("Someone else")}
            add(slug, _("Reporting as"), roles.get(answers.get("reporter_role")))
        elif slug == "someone-else":
            kind = _labels(VICTIM_KINDS).get(answers.get("victim_kind"))
            add(slug, _("Who the victim is"), ", ".join(str(p) for p in (kind, answers.get("victim_name")) if p))
            add(slug, _("Do they know you are reporting this"), _labels(VICTIM_KNOWS).get(answers.get("victim_knows")))
        elif slug == "when":
            add(slug, _("When it happened"), describe_when(answers))
        elif slug == "where":
            parts = (answers.get("location"), answers.get("postcode"), answers.get("borough"))
            place = ", ".join(p for p in parts if p)
            add(slug, _("Where it happened"), place)
        elif slug == "description":
            add(slug, _("What happened, in your words"), answers.get("description"))
        elif slug == "property":
            items = answers.get("property_items", []) if answers.get("has_property") == "yes" else []
            add(slug, _("Lost, stolen or damaged"),
                "; ".join(describe_item(item) for item in items) if items else _("Nothing"))
        elif slug == "suspect":
            add(slug, _("About who did it"), answers.get("suspect_description"))
        elif slug == "witnesses":
            add(slug, _("Other witnesses"), answers.get("other_witnesses"))
        elif slug == "evidence":
            add(slug, _("Files"), ", ".join(evidence_names) if evidence_names else _("None"))
        elif slug == "contact":
            contact = ", ".join(p for p in (answers.get("contact_name"), answers.get("contact_email"),
                                            answers.get("contact_phone")) if p)
            add(slug, _("Your contact details"), contact)
        elif slug == "safe-contact":
            labels = _labels(CHANNELS)
            parts = [", ".join(labels.get(c, c) for c in answers.get("safe_channels", []))]
            if answers.get("safe_times"):
                parts.append(answers["safe_times"])
            add(slug, _("Safe ways to contact you"), "; ".join(parts))
        elif slug == "voicemail":
            add(slug, _("Voicemail"), _("Voicemail allowed") if answers.get("voicemail_allowed") == "yes"
                else _("No voicemail"))
        elif slug == "message-words":
            add(slug, _("Messages must not mention the police"), yes_no.get(answers.get("neutral_sender")))
            add(slug, _("Crime number in your confirmation"),
                _("Yes") if answers.get("crime_number_in_confirmation") else _("No"))
        elif slug == "contact-needs":
            needs = answers.get("contact_needs") or []
            need_labels = _labels(contact_needs.NEEDS)
            language_labels = _labels(contact_needs.INTERPRETER_LANGUAGES)
            described = [need_labels.get(n, n) for n in needs]
            if "interpreter" in needs and answers.get("interpreter_language"):
                language = answers["interpreter_language"]
                described[needs.index("interpreter")] = _("An interpreter (%(language)s)",
                                                          language=language_labels.get(language, language))
            add(slug, _("Help to talk with us"), "; ".join(described) if described else _("None"))
        elif slug == "postal-address":
            address = PostalAddress.of_answers(answers)
            add(slug, _("Postal address"), "\n".join(filter(None, (address.lines, address.kept_postcode))))
        elif slug == "follow-up":
            follow = {"call": _("Please call me"), "visit": _("I would like a visit"), "none": _("No contact needed")}
            add(slug, _("Contact about this"), follow.get(answers.get("follow_up")))
        elif slug == "new-demand":
            add(slug, _("Would have reported another way"), yes_no.get(answers.get("would_have_reported")))
    return rows


def describe_when(answers: Answers) -> str:
    """A readable date, range and time."""
    first = answers.get("occurred_on")
    if not first:
        return ""
    text = uk_date(date.fromisoformat(first))
    if answers.get("occurred_until"):
        last = uk_date(date.fromisoformat(answers["occurred_until"]))
        text = _("Between %(first)s and %(last)s", first=text, last=last)
    if answers.get("occurred_time"):
        text += ", " + answers["occurred_time"].replace(".", ":")
    return text


def describe_item(item: dict) -> str:
    """'Black bicycle (£250, damaged)'."""
    extras = []
    if item.get("value"):
        extras.append(money.shown(item["value"]))
    if item.get("damaged"):
        extras.append(_("damaged"))
    return item["description"] + (f" ({', '.join(extras)})" if extras else "")


def category_hints(categories) -> list[dict]:
    """Per-option hints for the 'What happened?' radios, in the same order as the choices (the categories, then
    "Something else" and "I'm not sure")."""
    return [*({"hint": {"text": c.hint_text}} if c.hint else {} for c in categories),
            {"hint": {"text": _("For example, a burglary, a robbery or an assault")}},
            {"hint": {"text": _("We will help you decide where to report it")}}]
