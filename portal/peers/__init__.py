"""Peer support by people who have been through it: offers to help, and the organisations that run it."""
