"""One-to-one peer support's enums, in their own module so that views use them without importing models."""

import enum


class MatchStatus(enum.StrEnum):
    """Where a pairing is."""

    PROPOSED = "proposed"  # the organisation proposed a peer supporter; the person has not answered
    AGREED = "agreed"  # the person agreed: they can talk
    DECLINED = "declined"  # the person said no to this peer supporter
    PAUSED = "paused"  # the organisation paused the conversation: nobody can write
    ENDED = "ended"  # one side, or the organisation, ended it


class Side(enum.StrEnum):
    """Who did something: the person referred, the peer supporter, or the organisation."""

    PERSON = "person"
    SUPPORTER = "supporter"
    ORGANISATION = "organisation"
