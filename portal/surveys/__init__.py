"""Satisfaction surveys and cope-and-recover check-ins: short, optional, sent through the outbox."""
