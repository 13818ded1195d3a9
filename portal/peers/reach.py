"""Telling people there is something to read about a peer supporter's offer, in neutral words with a link to sign
in; never the other side, the pairing or anything of the case.

- The person behind the offer: the victim of the offer's case by their safe channel, or the witness who made it by
  theirs.
- The organisations holding it: a new offer to review, or one withdrawn, at the address each gave (the same emails
  as for a referral, which say nothing of what the item is).
"""

from portal.auth.models import User
from portal.cases.models import Report, WitnessLink
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE
from portal.links import absolute_url
from portal.notifications.services import queue_email, queue_for_reporter, queue_for_witness


def tell_offerer(offer, template: str = "case_update") -> None:
    """Queue a neutral message (`case_update` or `new_message`) to whoever made the offer."""
    sign_in_link = absolute_url("auth.login")
    if offer.witness_link_id is not None:
        link = db.session.get(WitnessLink, offer.witness_link_id)
        if link is not None and link.witness_user_id == offer.user_id:
            queue_for_witness(link, db.session.get(User, offer.user_id), template, sign_in_link=sign_in_link)
        return
    report = db.session.get(Report, offer.report_id)
    if report is not None and report.reporter_user_id == offer.user_id:
        queue_for_reporter(report, template, sign_in_link=sign_in_link)


def tell_organisations(organisations, template: str) -> None:
    """Queue `partner_referral` (a new item to review) or `partner_referral_withdrawn` to each organisation that gave
    an email address."""
    sign_in_link = absolute_url("auth.login")
    for organisation in organisations:
        if organisation.email:
            queue_email(organisation.email, template, locale=DEFAULT_LANGUAGE, sign_in_link=sign_in_link)
