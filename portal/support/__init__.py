"""Support for victims: needs assessment, support levels, consent-based referrals and the directory."""
