"""The case core: reports and their statuses, timeline, Victims' Code clock, working days and crime numbers.

Every capability changes a case through this package; it imports no capability package.
"""
