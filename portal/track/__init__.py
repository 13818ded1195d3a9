"""Following a case without an account: a crime number and a code sent to a safe channel (issue 19)."""
