"""The kind of support a person received, for comparing coping and recovery between groups (issue 24).

One rule, written once as a table and used both in Python and in SQL:
- a referral to a support service run by staff or volunteers: a support worker;
- a referral to a peer-support group: a group;
- a referral to one-to-one peer support: one-to-one peer support;
- no referral, in the comparison sample: information only if the person chose the self-help (information) level of
  support, otherwise no support.
Restorative justice is not support in this sense and is left out of the comparison.
"""

import enum

from sqlalchemy import case, null

from portal.support.enums import ServiceKind


class SupportKind(enum.StrEnum):
    """The groups compared, in the order the comparison shows them."""

    NONE = "none"
    INFORMATION = "information"
    SUPPORT_WORKER = "support_worker"
    GROUP = "group"
    PEER_ONE_TO_ONE = "peer_one_to_one"


# A referral's kind of support, by the kind of service it was to.
BY_SERVICE = {
    ServiceKind.SERVICE: SupportKind.SUPPORT_WORKER,
    ServiceKind.PEER_GROUP: SupportKind.GROUP,
    ServiceKind.PEER_ONE_TO_ONE: SupportKind.PEER_ONE_TO_ONE,
}
# The support level that means information and self-help, with no referral.
INFORMATION_LEVEL = "information"


def kind_of_support(service_kind: ServiceKind | str | None, chosen_level: str | None) -> SupportKind | None:
    """The kind of support: `service_kind` of the referral the check-ins followed (None for the comparison sample)
    and the support level the person chose (used only without a referral). None: not compared."""
    if service_kind is None:
        return SupportKind.INFORMATION if chosen_level == INFORMATION_LEVEL else SupportKind.NONE
    return BY_SERVICE.get(ServiceKind(service_kind))


def kind_of_support_sql(service_kind, chosen_level):
    """The same rule in SQL, over a column of service kinds (NULL for the comparison sample) and chosen levels."""
    referred = [(service_kind == kind.value, support.value) for kind, support in BY_SERVICE.items()]
    return case((service_kind.is_(None) & (chosen_level == INFORMATION_LEVEL), SupportKind.INFORMATION.value),
                (service_kind.is_(None), SupportKind.NONE.value), *referred, else_=null())
