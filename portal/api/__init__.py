"""Open data: the support directory as Open Referral UK JSON."""
