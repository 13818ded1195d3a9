"""Satisfaction surveys and check-ins, answered by the victim on their case."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/cases")
