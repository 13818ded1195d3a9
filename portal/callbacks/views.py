"""POST /notify/receipts: GOV.UK Notify's delivery-status callback (portal.notifications.receipts acts on it).

Set this URL, with NOTIFY_CALLBACK_TOKEN as its bearer token, in both Notify services' callback settings. The
route is public (Notify signs in as nobody), exempt from CSRF (Notify sends no form token; the bearer token takes
its place), and answers in JSON:

- 404 when no token is configured: the route does not exist until someone sets one;
- 401 with no detail for a missing or wrong token (compared in constant time); each refusal counts towards
  NOTIFY_CALLBACK_RATE_LIMIT for the address, so guessing is slow, while Notify's own receipts are not counted;
- 400 for a body that is not a receipt; 404 for a receipt of a message the portal does not know (Notify does not
  retry a 4xx, and nothing would come of retrying); 200 once stored, and 200 again for a repeat;
- 503 when the database is unavailable (portal.errors), which Notify retries.
"""

import hmac

from flask import Blueprint, current_app, jsonify, request

from portal.auth.access import public
from portal.extensions import csrf, limiter
from portal.notifications.receipts import BadReceipt, record_receipt

bp = Blueprint("callbacks", __name__)

# Refused tokens allowed per address; Notify's own receipts are never counted.
DEFAULT_RATE_LIMIT = "20 per minute;200 per hour"


def _token_accepted(expected: str) -> bool:
    """The request carries `Authorization: Bearer <expected>` (compared in constant time)."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())


def _answer(status: int, **body):
    return jsonify(body), status


@bp.route("/notify/receipts", methods=["POST"])
@public
@csrf.exempt
@limiter.limit(lambda: current_app.config.get("NOTIFY_CALLBACK_RATE_LIMIT") or DEFAULT_RATE_LIMIT,
               methods=["POST"], deduct_when=lambda response: response.status_code == 401)
def notify_receipts():
    """Store one delivery receipt from GOV.UK Notify."""
    expected = current_app.config.get("NOTIFY_CALLBACK_TOKEN")
    if not expected:
        return _answer(404, error="not found")
    if not _token_accepted(expected):
        return jsonify(error="unauthorised"), 401, {"WWW-Authenticate": "Bearer"}
    payload = request.get_json(silent=True)
    if payload is None:
        return _answer(400, error="the body is not JSON")
    try:
        outcome = record_receipt(payload)
    except BadReceipt as error:
        return _answer(400, error=str(error))
    if not outcome.known:
        return _answer(404, error="no such message")
    return _answer(200, result="stored" if outcome.changed else "already stored")
