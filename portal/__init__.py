"""The victim and witness portal. The application factory is portal.app.create_app."""
