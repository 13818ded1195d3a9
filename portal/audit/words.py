"""The audit trail in words: what each recorded action means, as it reads after a person's name
("PC 1234 Alex Morgan claimed the report"), instead of the code the trail stores (`report.claimed`)."""

ACTIONS: dict[str, str] = {
    "account.close_failed": "tried to close their account, and it could not be closed",
    "account.closed": "closed their account",
    "account.data_downloaded": "downloaded their data",
    "account.email_verified": "confirmed their email address",
    "account.language_changed": "changed their language",
    "account.registered": "created an account",
    "case.call_requested": "asked for a call",
    "case.correction": "corrected the report",
    "case.enhanced_rights": "recorded that the victim has enhanced rights",
    "case.evidence_added": "added information or evidence",
    "case.preferences_changed": "changed how they are contacted",
    "case.unlinked": "stopped following the case",
    "case.viewed": "viewed the case",
    "case.visit_answered": "answered about the visit",
    "category.updated": "changed a crime category",
    "check_in.answered": "answered a check-in",
    "consent.withdrawn": "withdrew their consent to share their details",
    "equality.deleted": "deleted their equality answers",
    "equality.saved": "saved their equality answers",
    "evidence.viewed": "viewed a file of evidence",
    "group.left": "recorded that a member left a peer-support group",
    "group.left_waiting_list": "took someone off a peer-support group's waiting list",
    "group.moved_up": "gave a place in a peer-support group to the first person waiting",
    "group.session_cancelled": "cancelled a meeting of a peer-support group",
    "group.session_moved": "moved a meeting of a peer-support group",
    "group.viewed": "viewed a peer-support group's members or waiting list",
    "login.failed": "failed to sign in",
    "login.succeeded": "signed in",
    "message.sent": "sent a message",
    "messages.viewed": "read the messages",
    "organisation.created": "added an organisation",
    "organisation.updated": "changed an organisation",
    "password.reset": "reset their password",
    "password.reset_requested": "asked to reset their password",
    "peer_offer.made": "offered to help others as a peer supporter, and agreed to share the offer",
    "peer_offer.viewed": "viewed an offer to be a peer supporter",
    "peer_offer.withdrawn": "withdrew their offer to be a peer supporter",
    "peer_supporter.accepted": "accepted someone as a peer supporter",
    "peer_supporter.checks_recorded": "recorded the checks on a peer supporter",
    "peer_supporter.declined": "declined an offer to be a peer supporter",
    "peer_supporter.status_changed": "changed a peer supporter's status",
    "referral.accepted": "accepted a referral",
    "referral.closed": "closed a referral",
    "referral.concern_raised": "raised a safeguarding concern about the person referred",
    "referral.consented": "agreed to a referral",
    "referral.contact_attempt": "recorded an attempt to contact the person referred",
    "referral.declined": "declined a referral",
    "referral.exported": "downloaded a referral",
    "message.not_delivered": "could not deliver a message, and sent it another way or asked for a call",
    "referral.proposed": "proposed a referral",
    "referral.sent": "sent a referral",
    "referral.turned_down": "turned down a proposed referral",
    "referral.verbal_consent": "sent a referral with consent given by phone or in person",
    "referral.viewed": "viewed a referral",
    "referral.progress_viewed": "viewed how the case of a person referred is going",
    "referral.messages_viewed": "read the messages with a person referred",
    "consent.progress_shared": "started sharing how the case is going with a support organisation",
    "consent.progress_withdrawn": "stopped sharing how the case is going with a support organisation",
    "referral.withdrawn": "withdrew a referral",
    "report.assigned": "gave the report to an officer",
    "report.claim_requested": "asked to add a report to their account",
    "report.claim_unmatched": "tried to add a report to their account, and it did not match",
    "report.claimed": "claimed the report",
    "report.resume_link_sent": "asked for a link to go on with an unfinished report",
    "report.resume_link_used": "went on with an unfinished report from a link",
    "report.submitted": "reported the crime",
    "service.created": "added a support service",
    "service.updated": "changed a support service",
    "sessions.ended_everywhere": "signed out on every device",
    "staff.created": "created a staff account",
    "staff.deactivated": "deactivated a staff account",
    "support.assessed": "answered the support questions",
    "support.level_chosen": "chose a level of support",
    "survey.answered": "answered a survey",
    "task.assigned": "gave a task to an officer",
    "task.claimed": "took a task",
    "task.raised": "raised a task",
    "task.viewed": "viewed a task",
    "task.done": "finished a task",
    "task.cannot_do": "closed a task that cannot be done",
    "totp.enrolled": "set up their authenticator app",
    "totp.failed": "entered a wrong authenticator code",
    "tracking.call_requested": "asked for a call while following the case with a code",
    "tracking.code_not_sent": "asked for a code to follow a case, and none was sent",
    "tracking.code_refused": "entered a code to follow the case that did not work",
    "tracking.code_sent": "asked for a code to follow the case, and it was sent",
    "tracking.opened": "opened the case with a code",
    "tracking.stopped": "stopped following the case with a code",
    "hearing.adjourned": "recorded that the hearing was adjourned",
    "hearing.moved": "moved the hearing to a new date",
    "hearing.vacated": "recorded that the hearing will not go ahead",
    "witness.availability": "gave the dates they cannot attend court",
    "witness.expenses_claim": "started an expenses claim",
    "witness.invited": "invited a witness",
    "witness.linked": "joined the case as a witness",
    "witness.special_measures": "asked for special measures",
    "witnesses.viewed": "viewed the witnesses",
}

# Families of actions whose last part names a decision, a status or a request.
FAMILIES: dict[str, str] = {
    "decision.": "decided: {}",
    "update.": "updated the case: {}",
    "case.request_": "asked for {}",
}

DETAILS: dict[str, str] = {
    "no_further_investigation": "no further investigation",
    "allocate": "give it to an officer to investigate",
    "attendance": "arrange a visit",
    "officer_follow_up_visit": "an officer will visit",
    "officer_follow_up_call": "an officer will call",
    "escalate": "escalate it",
    "refer_elsewhere": "refer it to another organisation",
    "information_only": "record it for information only",
    "duplicate": "it is a duplicate of another report",
    "review": "the decision to be looked at again",
    "statement": "a Victim Personal Statement",
    "property": "their property back",
}


def in_words(action: str) -> str:
    """What the action means, in words that follow a name. An action with no words yet is shown with its code's
    punctuation taken out, never as a bare code (tests/unit/test_audit_words.py keeps this list complete)."""
    if action in ACTIONS:
        return ACTIONS[action]
    for prefix, template in FAMILIES.items():
        if action.startswith(prefix):
            rest = action[len(prefix):]
            return template.format(DETAILS.get(rest, rest.replace("_", " ")))
    return action.replace(".", " ").replace("_", " ")


def has_words(action: str) -> bool:
    """Whether the action has words of its own or belongs to a family that has."""
    return action in ACTIONS or any(action.startswith(prefix) for prefix in FAMILIES)
