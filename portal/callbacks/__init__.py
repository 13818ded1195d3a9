"""Calls other services make to the portal: GOV.UK Notify's delivery receipts. No person uses these routes."""
