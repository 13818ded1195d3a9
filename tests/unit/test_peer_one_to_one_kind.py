"""One-to-one peer support, a new kind of service (issue 24): the support recommendation suggests it to nobody (the
organisation pairs people with its peer supporters), and the Open Referral API names it."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.api.oruk_mapping import _attributes
from portal.support.enums import ServiceKind
from portal.support.matching import Need, best_matches, can_serve
from portal.support.models import SupportService
from tests.unit.test_support_matching import GROUP, SERVICE

ONE_TO_ONE = replace(GROUP, id=3, name="One-to-one peer support", kind=ServiceKind.PEER_ONE_TO_ONE,
                     levels=("contact", "specialist", "peer"))


@given(level=st.sampled_from(["information", "contact", "specialist", "peer"]),
       borough=st.sampled_from([None, "Camden", "Hackney"]), bsl=st.booleans())
def test_the_recommendation_suggests_one_to_one_peer_support_to_nobody(level, borough, bsl):
    need = Need(level=level, borough=borough, bsl=bsl)
    assert not can_serve(need, ONE_TO_ONE)
    assert ONE_TO_ONE.id not in [match.candidate.id for match in best_matches(need, [SERVICE, GROUP, ONE_TO_ONE])]


@pytest.mark.parametrize("kind, name", [(ServiceKind.PEER_ONE_TO_ONE, "One-to-one peer support"),
                                        (ServiceKind.PEER_GROUP, "Peer-support group"),
                                        (ServiceKind.SERVICE, "Support service")])
def test_the_open_referral_api_names_each_kind(kind, name):
    service = SupportService(id=7, kind=kind, levels=[], categories=[])
    attribute = _attributes(service, "service-7", {})[0]
    assert attribute["taxonomy_term"]["term"] == kind.value
    assert attribute["taxonomy_term"]["name"] == name
