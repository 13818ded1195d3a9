"""Questions about accounts that change nothing."""

from portal.auth.models import TokenPurpose
from portal.auth.tokens import find_valid_token


def reset_link_account_words(token: str) -> tuple[str | None, ...]:
    """What the account a reset link belongs to is known by (its email address and display name), which its
    new password must not lean on. Empty for a link that no longer works."""
    record = find_valid_token(token, TokenPurpose.RESET_PASSWORD)
    if record is None:
        return ()
    return (record.user.email, record.user.display_name)
