"""GET /api/oruk/...: the directory in the Open Referral UK profile of HSDS 3.0. Public, read-only, no personal data.

Only listed services (active, of an approved organisation with an accreditation in date) are published, with the
organisation's own contact details. Lists are paged with ``page`` and ``per_page`` as the ORUK API describes.
"""

import re

from flask import Blueprint, jsonify, request

from portal.api import oruk_mapping, queries
from portal.auth.access import public
from portal.paging import page_count
from portal.reporting.services import list_categories
from portal.support import directory

bp = Blueprint("oruk", __name__, url_prefix="/api/oruk")

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
WHOLE_NUMBER = re.compile(r"^[0-9]{1,6}$")


class BadRequest(Exception):
    """A query parameter the API cannot use; the message says how to fix it."""


def _error(message: str, status: int):
    return jsonify({"error": message, "status": status}), status


@bp.errorhandler(BadRequest)
def _bad_request(error: BadRequest):
    return _error(str(error), 400)


def _whole_number(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not WHOLE_NUMBER.match(raw) or int(raw) < 1:
        raise BadRequest(f"{name} must be a whole number from 1")
    return int(raw)


def _paging() -> tuple[int, int]:
    """The page asked for, and the page size (capped)."""
    return _whole_number("page", 1), min(_whole_number("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)


def _check_page(number: int, total: int, per_page: int) -> None:
    pages = page_count(total, per_page)
    if number > pages:
        raise BadRequest(f"page must be from 1 to {pages}")


@bp.route("/services")
@public
def services():
    """Listed services, by name, one page at a time (one-to-one fields and the organisation)."""
    number, per_page = _paging()
    found = directory.search(directory.Filters(), page=number, per_page=per_page)
    _check_page(number, found.total, per_page)
    return jsonify(oruk_mapping.page([oruk_mapping.service_summary(s) for s in found.services], found.total,
                                     number, per_page))


@bp.route("/services/<service_id>")
@public
def service(service_id: str):
    """One listed service, fully nested."""
    row_id = queries.listed_service_id(service_id[:64])
    found = directory.listed_service(row_id) if row_id is not None else None
    if found is None:
        return _error("No listed service has this id", 404)
    names = {category.code: category.name for category in list_categories()}
    return jsonify(oruk_mapping.service_full(found, names))


@bp.route("/organizations")
@public
def organizations():
    """Organisations that may be listed today, by name, one page at a time."""
    number, per_page = _paging()
    listed = directory.listed_organisations()
    _check_page(number, len(listed), per_page)
    shown = listed[(number - 1) * per_page:number * per_page]
    return jsonify(oruk_mapping.page([oruk_mapping.organization(o) for o in shown], len(listed), number, per_page))
