"""Development only: a local SMTP sink and a page to read what it received. Never registered in production."""
