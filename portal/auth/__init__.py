"""Accounts: registration, sign-in with TOTP for staff, password reset, roles."""
