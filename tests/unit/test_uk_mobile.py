"""Texts go only to numbers that can receive them: UK mobiles, however they were written."""

import pytest

from portal.notifications.channels import uk_mobile


@pytest.mark.parametrize(("typed", "kept"), [
    ("07700 900982", "07700900982"), ("+44 7700 900982", "07700900982"), ("+44 (0)7700-900982", "07700900982"),
    ("447700900982", "07700900982"), ("0044 7700 900 982", "07700900982"), ("(07700) 900982", "07700900982"),
    ("020 7946 0018", None), ("+44 20 7946 0018", None), ("0770090098", None), ("077009009821", None),
    ("", None), (None, None), ("07700 9OO982", None), ("+1 415 555 0100", None),
])
def test_only_uk_mobile_numbers_are_kept_for_texts(typed, kept):
    assert uk_mobile(typed) == kept
