"""Following a case: the timeline victims and witnesses see."""
