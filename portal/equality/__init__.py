"""Optional equality monitoring, stored apart from cases and used only in aggregate."""
