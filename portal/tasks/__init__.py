"""Tasks: what a victim, witness, partner or the service asks of the police, with an owner, a due time and an
outcome the person reads. The task table is the only source of truth for what is owed to someone."""
