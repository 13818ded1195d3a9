"""Admin pages for support organisations, their accreditation, and partner accounts."""

from flask import Blueprint

bp = Blueprint("admin_organisations", __name__, url_prefix="/admin")
