"""What a peer supporter's or a person's chosen first name and shared text may hold: shared by the offer's checks
(`services`) and the one-to-one pairings (`matches`), which `services` calls when a peer supporter's status changes."""

import re

FIRST_NAME_MAX = 40
# Letters of any alphabet, with single spaces, hyphens or apostrophes between them: a name, never an address or a
# number.
FIRST_NAME = re.compile(r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
