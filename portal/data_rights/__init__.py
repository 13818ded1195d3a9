"""Your data: see and download what we hold, who has viewed your cases, and close your account."""
