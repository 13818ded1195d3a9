"""No request a victim or witness can make ends in a timeline line nobody is asked to act on: every POST route
they can use either raises a task (and test_tasks.py follows each of those end to end) or is on this reviewed
list, with the reason it needs no task."""

from portal.auth.access import PUBLIC, access_rule_for
from portal.auth.roles import Role
from portal.tasks.enums import TaskType
from tests.integration.test_tasks import VICTIM_REQUESTS

RAISES_TASKS = {
    "tracking.ask_for_call": {TaskType.CALL_BACK},
    "tracking.answer_visit": {TaskType.VISIT_REARRANGE},
    "tracking.make_request": {TaskType.LOOK_AGAIN, TaskType.RIGHT_TO_REVIEW, TaskType.PERSONAL_STATEMENT,
                              TaskType.PROPERTY_RETURN},
    "tracking.add_evidence": {TaskType.INFORMATION_ADDED},
    # The same call-back, asked while following a case with a code (/track): test_track.py follows it.
    "track.ask_for_call": {TaskType.CALL_BACK},
    # A witness's requests, for witness care: test_witness_tasks.py follows each.
    "witnesses.availability": {TaskType.WITNESS_CANNOT_ATTEND},
    "witness_requests.special_measures": {TaskType.SPECIAL_MEASURES},
    "witness_requests.expenses": {TaskType.EXPENSES_CLAIM},
}
WITNESS_REQUESTS = {TaskType.WITNESS_CANNOT_ATTEND, TaskType.SPECIAL_MEASURES, TaskType.EXPENSES_CLAIM}

NEEDS_NO_TASK = {
    # Done at once for the person themselves: nothing is asked of anyone.
    "auth.login": "signing in", "auth.login_code": "signing in", "auth.logout": "signing out",
    "auth.unverified": "sends the confirmation link again at once", "auth.register": "creates the account at once",
    "auth.reset_request": "sends the reset link at once", "auth.reset_password": "sets the password at once",
    "auth.keep_alive": "keeps the session open", "auth.sign_out_everywhere": "ends the sessions at once",
    "pages.change_language": "changes the language at once",
    "data_rights.close": "closes the account at once",
    "claims.claim": "links a report to the account at once",
    "witnesses.join": "links the witness to the case at once",
    "track.start": "sends a code to follow the case at once", "track.code": "opens the case at once",
    "track.stop": "this browser stops following the case at once",
    "tracking.preferences": "changes how we keep in touch; every notification reads it at once",
    "witnesses.contact": "changes how we write to the witness; every message to them reads it at once",
    "equality.index": "optional monitoring, kept apart from the case and used only in aggregate",
    "equality.delete": "deletes the person's own answers at once",
    "equality.report_answers": "optional monitoring, kept apart from the case and used only in aggregate",
    # A report has its own queue and clocks: the triage queue, 45 minutes to triage and 48 hours to answer.
    "reporting.begin": "starts a draft report", "reporting.question": "an answer in a draft report",
    "reporting.check_answers": "submits the report to the triage queue, which has its own clocks",
    "reporting.remove_evidence": "edits the person's own draft",
    "reporting.remove_item": "edits the person's own draft",
    "reporting.save_for_later": "sends the person a link to their own draft at once",
    "reporting.resume_link": "opens the person's own draft on this device at once",
    # Messages reach the named officer's unread count on the triage queue and case page.
    "messages.victim_thread": "a message goes to the officer's unread messages on the queue and the case",
    "witness_messages.witness_thread": "a witness's message goes to witness care's unread messages on their task "
                                       "queue, their list of witnesses waiting and the case's witnesses page",
    # Support requests go to the charity's referral inbox, with its own first-contact due time.
    "support.assessment": "the needs assessment; its recommendation is shown at once",
    "support.choose": "the level of support; referrals it makes go to the charity's inbox with a due time",
    "support.refer": "a referral to the charity's inbox, with a first-contact due time",
    "support.suggestion": "the answer to an officer's suggestion; a yes becomes a referral to the charity's inbox",
    "support.withdraw": "withdraws consent at once; the charity's referral closes",
    "support.progress_sharing": "shares, or stops sharing, how the case is going with the charity at once",
    "messages.support_thread": "a message goes to the charity's unread messages, counted in its referral inbox",
    # Offering to be a peer supporter (issue 24): the offer goes to the organisations' lists of new offers.
    "peers.offer": "answers about an offer to help others, kept in the session until the person agrees to share",
    "peers.share": "shares the offer with the organisations at once: it is on their list of new offers",
    "peers.withdraw": "withdraws the offer from every organisation at once",
    # One-to-one peer support: between the person and their peer supporter, under the charity's eye.
    "peer_matches.answer": "the answer to the charity's proposal; the charity sees it on the referral at once",
    "peer_matches.person": "a message to the peer supporter, who is told by their safe channel",
    "peer_matches.conversation": "a message to the person, who is told by their safe channel",
    "peer_matches.person_share": "shares contact details with the peer supporter, shown once both have shared",
    "peer_matches.supporter_share": "shares contact details with the person, shown once both have shared",
    "peer_matches.person_stop_sharing": "stops sharing contact details at once",
    "peer_matches.supporter_stop_sharing": "stops sharing contact details at once",
    "peer_matches.person_end": "ends the conversation at once; the charity is told",
    "peer_matches.supporter_end": "ends the conversation at once; the charity is told",
    "peer_matches.person_concern": "a concern goes to the charity's list of peer concerns, to deal with",
    "peer_matches.supporter_concern": "a concern goes to the charity's list of peer concerns, to deal with",
    # Answers the service asked for: they feed the insight pages.
    "surveys.survey": "answers to a satisfaction survey, for the insight pages",
    "surveys.check_in": "answers to a cope-and-recover check-in, for the insight pages",
    "surveys.witness_check_in": "a witness's answers to a check-in on their own support: theirs, counted nowhere "
                                "that anyone acts on",
    "feedback.give": "anonymous feedback on the service, counted on the insight pages; the page says we cannot reply",
    # Shown to the officer on the case's witness page. (Witness care, a later issue, makes "cannot attend" a task.)
    # Not a person's request: GOV.UK Notify's delivery receipts (a message that fails for good goes by the next
    # safe channel, or becomes a call task when none is left: portal.notifications.receipts).
    "callbacks.notify_receipts": "GOV.UK Notify's delivery receipts; a failure with no channel left is a call task",
}


def victim_and_witness_posts(app) -> set[str]:
    """Every POST route a victim or witness (or anyone signed out) can use."""
    found = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        access = access_rule_for(rule.endpoint, app.view_functions)
        if access == PUBLIC or Role.VICTIM in access or Role.WITNESS in access:
            found.add(rule.endpoint)
    return found


def test_every_request_route_raises_a_task_or_says_why_not(app):
    routes = victim_and_witness_posts(app)
    unexplained = routes - set(RAISES_TASKS) - set(NEEDS_NO_TASK)
    assert unexplained == set(), "raise a task for each, or add it to NEEDS_NO_TASK with the reason"
    assert set(RAISES_TASKS) | set(NEEDS_NO_TASK) <= routes, "a listed route no longer exists"
    assert not set(RAISES_TASKS) & set(NEEDS_NO_TASK)


def test_each_task_a_route_raises_is_followed_end_to_end(app):
    raised = set().union(*RAISES_TASKS.values())
    # The Right to Review shares its route with "look again"; which one is raised is tested on its own.
    assert raised - {TaskType.RIGHT_TO_REVIEW} <= set(VICTIM_REQUESTS) | WITNESS_REQUESTS
