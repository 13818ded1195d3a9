"""The insight dashboard (supervisors and commissioners) and the published summary."""

from flask import Blueprint

bp = Blueprint("insight", __name__, url_prefix="/insight")
