"""Issue 24: one-to-one peer support conversations in the person's own data download, from each side. The person
referred gets their pairings (the organisation, the peer supporter's chosen first name, status and dates), the
messages both ways, the contact details they shared (the other side's only when both shared), and the concerns they
reported; the peer supporter the same from their side, never the person's case. Concerns reported about someone are
the organisation's safeguarding records: the download says so instead of holding them."""

import io

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from portal.auth.roles import Role
from portal.data_rights.export import PEER_NOT_INCLUDED, _peer_pairing
from portal.data_rights.queries import PeerPairing
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.match_models import PeerMatch
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support.models import Organisation, Referral
from tests.conftest import kept_for_the_module, sign_in_as
from tests.peer_match_helpers import (
    PERSON_CONTACT,
    SUPPORTER_CONTACT,
    one_to_one_organisation,
    partner_client,
    partner_url,
    peer_supporter,
    person_url,
    propose_and_agree,
    supporter_client,
    victim_asking_for_one_to_one,
)

PERSON_CONCERN = "The person's own worry about the chat."
SUPPORTER_CONCERN = "The peer supporter's worry about the person."
PERSON_CASE = "Sam's own account of the theft at the station."  # what the person reported


@pytest.fixture(scope="module")
def conversation(app):
    """The conversation below, had once for the module: each test starts from it in a savepoint of the transaction
    it was made in (conftest's kept_for_the_module)."""
    with kept_for_the_module(app):
        with app.app_context():
            organisation_id, service_id = one_to_one_organisation()
        jo = peer_supporter(app, organisation_id, "Jo")
        max_ = peer_supporter(app, organisation_id, "Max")
        person = victim_asking_for_one_to_one(app, service_id, contact_email="sam.case@example.org",
                                              description=PERSON_CASE)
        partner = partner_client(app, organisation_id)
        assert partner.post(partner_url(person), data={"supporter": str(max_["id"])}).status_code == 302
        assert person["client"].post(person_url(person, "/answer"), data={"agree": "no"}).status_code == 302
        match_id = propose_and_agree(app, person, partner, jo, "Sam")
        jo_client = supporter_client(app, jo)
        assert person["client"].post(person_url(person), data={"body": "Hello Jo, thank you."}).status_code == 302
        assert jo_client.post(f"/peer-conversations/{match_id}", data={"body": "Hello Sam, glad to help."}) \
            .status_code == 302
        assert person["client"].post(person_url(person, "/share"), data={"contact": PERSON_CONTACT}).status_code \
            == 302
        assert person["client"].post(person_url(person, "/concern"), data={"reason": PERSON_CONCERN}).status_code \
            == 302
        assert jo_client.post(f"/peer-conversations/{match_id}/concern", data={"reason": SUPPORTER_CONCERN}) \
            .status_code == 302
        del person["client"]
        yield {"person": person, "jo": jo, "max": max_, "match_id": match_id}


@pytest.fixture
def talked(app, conversation):
    """Sam (the person) and Jo (the peer supporter) paired, a message each way, and a concern from each side; Max
    was suggested to Sam first and Sam said no. Sam and Jo each signed in with a client of this test's own."""
    person = {**conversation["person"], "client": app.test_client()}
    sign_in_as(person["client"], person["user"])
    return {**conversation, "person": person, "jo_client": supporter_client(app, conversation["jo"])}


def _json(client) -> dict:
    response = client.get("/account/data/download.json")
    assert response.status_code == 200
    return response.get_json()


def _pdf_text(client, language: str | None = None) -> str:
    if language is not None:
        assert client.post("/language", data={"language": language}).status_code == 302
    response = client.get("/account/data/download.pdf")
    assert response.status_code == 200
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_person_gets_their_pairings_messages_and_own_concerns(app, talked):
    person = talked["person"]
    data = _json(person["client"])
    declined, pairing = data["peer_conversations"]
    assert (declined["peer_supporter"], declined["status"], declined["ended_by"]) == ("Max", "declined", "person")
    assert pairing["your_side"] == "person"
    assert (pairing["organisation"], pairing["peer_supporter"], pairing["status"]) == ("Camden Peer Network", "Jo",
                                                                                       "agreed")
    assert pairing["referral"] == person["reference"] and pairing["person_first_name"] == "Sam"
    assert pairing["proposed_at"] and pairing["answered_at"]
    assert [(m["from"], m["body"]) for m in pairing["messages"]] == [("you", "Hello Jo, thank you."),
                                                                     ("the peer supporter", "Hello Sam, glad to help.")]
    assert (pairing["person_contact"], pairing["supporter_contact"]) == (PERSON_CONTACT, None)
    assert [(c["raised_by"], c["reason"]) for c in pairing["concerns_you_reported"]] == [("person", PERSON_CONCERN)]
    assert pairing["not_included"] == PEER_NOT_INCLUDED[Side.PERSON]
    text = str(data)
    for hidden in (SUPPORTER_CONCERN, SUPPORTER_CONTACT, talked["jo"]["crime_number"], "jo@example.org",
                   "supporter-offer-marker@example.org"):
        assert hidden not in text, hidden


def test_the_peer_supporter_gets_their_side_and_never_the_persons_case(app, talked):
    person, jo_client = talked["person"], talked["jo_client"]
    data = _json(jo_client)
    [pairing] = data["peer_conversations"]  # Max's refused suggestion is not Jo's; Jo's own never reached Jo
    assert pairing["your_side"] == "supporter" and pairing["referral"] is None
    assert (pairing["peer_supporter"], pairing["person_first_name"]) == ("Jo", "Sam")
    assert [(m["from"], m["body"]) for m in pairing["messages"]] == [("the person", "Hello Jo, thank you."),
                                                                     ("you", "Hello Sam, glad to help.")]
    assert (pairing["person_contact"], pairing["supporter_contact"]) == (None, None)
    assert [c["reason"] for c in pairing["concerns_you_reported"]] == [SUPPORTER_CONCERN]
    assert pairing["not_included"] == PEER_NOT_INCLUDED[Side.SUPPORTER]
    text = str(data["peer_conversations"])
    for hidden in (PERSON_CONCERN, PERSON_CONTACT, person["crime_number"], person["reference"], PERSON_CASE,
                   "sam.case@example.org", "Sam Victim"):
        assert hidden not in text, hidden
    # Nothing of the person's anywhere in the peer supporter's download.
    whole = str(data)
    for hidden in (PERSON_CONCERN, PERSON_CONTACT, person["crime_number"], person["reference"],
                   "sam.case@example.org"):
        assert hidden not in whole, hidden


def test_contact_details_cross_over_only_once_both_shared(app, talked):
    person, jo_client = talked["person"], talked["jo_client"]
    share = jo_client.post(f"/peer-conversations/{talked['match_id']}/share", data={"contact": SUPPORTER_CONTACT})
    assert share.status_code == 302
    [_declined, as_person] = _json(person["client"])["peer_conversations"]
    [as_supporter] = _json(jo_client)["peer_conversations"]
    assert (as_person["person_contact"], as_person["supporter_contact"]) == (PERSON_CONTACT, SUPPORTER_CONTACT)
    assert (as_supporter["person_contact"], as_supporter["supporter_contact"]) == (PERSON_CONTACT, SUPPORTER_CONTACT)
    # Taking one's details back hides the other's from both downloads again.
    assert person["client"].post(person_url(person, "/stop-sharing")).status_code == 302
    [as_supporter] = _json(jo_client)["peer_conversations"]
    assert (as_supporter["person_contact"], as_supporter["supporter_contact"]) == (None, SUPPORTER_CONTACT)
    [_declined, as_person] = _json(person["client"])["peer_conversations"]
    assert (as_person["person_contact"], as_person["supporter_contact"]) == (None, None)


def test_both_pdfs_hold_their_side_only(app, talked):
    person, jo_client = talked["person"], talked["jo_client"]
    person_text = _pdf_text(person["client"])
    for shown in ("Your one-to-one peer support conversations", "With Jo, a peer supporter from Camden Peer Network",
                  "Hello Jo, thank you.", "Hello Sam, glad to help.", PERSON_CONTACT, PERSON_CONCERN,
                  "Not shared with you", "With Max", "You chose not to talk with them"):
        assert shown in person_text, shown
    assert "are not included: they are the organisation's safeguarding records" in person_text
    for hidden in (SUPPORTER_CONCERN, talked["jo"]["crime_number"]):
        assert hidden not in person_text, hidden

    jo_text = _pdf_text(jo_client)
    for shown in ("With Sam, whom you supported for Camden Peer Network", "Hello Jo, thank you.",
                  "Hello Sam, glad to help.", SUPPORTER_CONCERN, "never their case"):
        assert shown in jo_text, shown
    for hidden in (PERSON_CONCERN, PERSON_CONTACT, person["crime_number"], person["reference"], PERSON_CASE,
                   "With Max"):
        assert hidden not in jo_text, hidden


def test_the_pdf_is_in_the_readers_language(app, talked):
    jo_client = talked["jo_client"]
    text = _pdf_text(jo_client, "pl")
    with app.test_request_context(), force_locale("pl"):
        heading = gettext("Your one-to-one peer support conversations")
        note = gettext(PEER_NOT_INCLUDED[Side.SUPPORTER])
    assert heading != "Your one-to-one peer support conversations" and heading in text
    assert " ".join(note.split())[:40] in text
    assert "Hello Jo, thank you." in text  # what people wrote stays as they wrote it


def test_someone_with_no_peer_support_gets_an_empty_section(app, talked, make_user):
    """Another victim (with their own case, no pairing) downloads nothing of Sam's or Jo's."""
    client = app.test_client()
    sign_in_as(client, make_user(Role.VICTIM))
    data = _json(client)
    assert data["peer_conversations"] == []
    assert "Hello Jo" not in str(data)
    assert "None." in _pdf_text(client)


@pytest.mark.parametrize("person_shared", [True, False])
@pytest.mark.parametrize("supporter_shared", [True, False])
@pytest.mark.parametrize("side", [Side.PERSON, Side.SUPPORTER])
def test_each_side_gets_the_others_contact_only_when_both_shared(app, side, person_shared, supporter_shared):
    """Every combination: one's own details as chosen; the other's only when both chose to share."""
    person, supporter = ("person@example.org" if person_shared else None,
                         "supporter@example.org" if supporter_shared else None)
    match = PeerMatch(status=MatchStatus.AGREED, person_first_name="Sam", person_contact=person,
                      supporter_contact=supporter,
                      referral=Referral(reference="RF-CONTACTS", organisation=Organisation(name="Camden")),
                      supporter=PeerSupporter(offer=PeerOffer(first_name="Jo")))
    record = _peer_pairing(PeerPairing(match, side, [], []))
    both = person_shared and supporter_shared
    own, other = ("person_contact", "supporter_contact") if side == Side.PERSON else ("supporter_contact",
                                                                                     "person_contact")
    chosen = {"person_contact": person, "supporter_contact": supporter}
    assert record[own] == chosen[own]
    assert record[other] == (chosen[other] if both else None)
    assert record["referral"] == ("RF-CONTACTS" if side == Side.PERSON else None)
