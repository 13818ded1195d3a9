"""Roles, in their own module so that views, forms and access rules use them without importing models."""

import enum


class Role(enum.StrEnum):
    """What a person is allowed to do."""

    VICTIM = "victim"
    WITNESS = "witness"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    PARTNER = "partner"
    ADMIN = "admin"
    COMMISSIONER = "commissioner"  # sees the insight aggregates only
    WITNESS_CARE = "witness_care"  # the Witness Care Unit: witness tasks and the witness side of cases only


# Roles that see other people's case data sign in with a second factor.
TOTP_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.PARTNER, Role.ADMIN, Role.COMMISSIONER,
                        Role.WITNESS_CARE})
PUBLIC_ROLES = frozenset({Role.VICTIM, Role.WITNESS})
