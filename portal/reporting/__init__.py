"""Reporting a crime online: safety questions, diversion, the wizard, and the crime number."""
