"""Pages every user can reach: start, account home, legal pages, health and the exit route."""
