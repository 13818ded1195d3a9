"""The feedback form: one rating, an optional comment, and the page the link was on (hidden)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.feedback.services import COMMENT_MAX
from portal.forms import Answered, PortalForm, options, submit
from portal.widgets import CharacterCount, RadioInput

# Best first, as GOV.UK's own feedback survey lists them. The values are the 1 to 5 scores.
RATING_CHOICES = [("5", _l("Very satisfied")), ("4", _l("Satisfied")),
                  ("3", _l("Neither satisfied nor dissatisfied")), ("2", _l("Dissatisfied")),
                  ("1", _l("Very dissatisfied"))]
NO_RATING = _l("Select how you felt about the service")


def _one_of_the_ratings(form, field):
    """A value that is not one of the options (a crafted or stale post) gets the same plain message."""
    if field.data not in {value for value, _label in RATING_CHOICES}:
        raise ValidationError(NO_RATING)


class FeedbackForm(PortalForm):
    """How the person felt about the service, and how we could improve it, with nothing about who they are."""

    rating = RadioField(_l("Overall, how did you feel about the service you received today?"), widget=RadioInput(),
                        choices=options(RATING_CHOICES), validate_choice=False,
                        validators=[Answered(message=NO_RATING), _one_of_the_ratings])
    comment = TextAreaField(
        _l("How could we improve this service? (optional)"), widget=CharacterCount(),
        description=_l("Do not include personal details, such as your name, address, phone number or crime "
                       "number. We cannot reply to you."),
        validators=[Optional(), Length(max=COMMENT_MAX, message=_l(
            "Your answer must be %(max)d characters or fewer", max=COMMENT_MAX))])
    page = HiddenField()  # checked by the service: dropped unless it is one of this site's pages
    submit = submit(_l("Send feedback"))

    def details(self) -> dict:
        """The answers, as the service takes them."""
        return {"rating": int(self.rating.data), "comment": self.comment.data, "page": self.page.data}
