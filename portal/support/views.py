"""Support pages for victims: needs assessment, support levels, the directory, consent and referral tracking."""

from flask import Blueprint

bp = Blueprint("support", __name__, url_prefix="/support")
