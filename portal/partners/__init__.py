"""The partner portal: a support organisation's referral inbox, its handling of referrals and its own records."""
