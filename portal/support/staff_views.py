"""Police staff suggest a referral from the staff case page, with the victim's consent given online or verbally."""

from flask import Blueprint

bp = Blueprint("support_staff", __name__, url_prefix="/staff/cases")
