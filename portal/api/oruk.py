"""GET /api/oruk/...: the directory in the Open Referral UK profile of HSDS 3.0. Public, read-only, no personal data."""

from flask import Blueprint

bp = Blueprint("oruk", __name__, url_prefix="/api/oruk")
