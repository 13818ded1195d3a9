"""Partner pages, for accounts with the partner role, scoped to their one organisation."""

from flask import Blueprint

bp = Blueprint("partners", __name__, url_prefix="/partner")
