"""Equality monitoring: optional questions, from the account page or after reporting."""

from flask import Blueprint

bp = Blueprint("equality", __name__, url_prefix="/equality")
