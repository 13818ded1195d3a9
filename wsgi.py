"""WSGI entry point: ``flask --app wsgi ...`` and gunicorn use ``app``."""

from portal.app import create_app

app = create_app()
