"""Police triage and case management: the queue, decisions, updates and the Victims' Code clock."""
