"""Secure messages between a victim and police staff, threaded on the case."""
