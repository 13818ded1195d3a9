"""Administration: crime categories and diversion rules (staff accounts come with triage)."""
