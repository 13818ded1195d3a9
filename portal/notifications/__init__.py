"""Outbound messages: written to an outbox in the caller's transaction, delivered by a worker."""
