"""The open-data API blueprint (/api/v1): read-only, JSON, paginated, open to every origin.

Views only read the query string, call one service and serialise; the services decide what is public.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request

from market.api import ocds, openapi, services
from market.api.services import ApiError

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _json(data, status: int = 200) -> Response:
    # Korean stays readable (UTF-8), not \uXXXX escapes.
    return current_app.response_class(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                                      status=status, mimetype="application/json")


@bp.after_request
def open_to_every_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return _json(error.to_json(), error.status)


@bp.route("/industries")
def industries():
    return _json(services.industries_page(request.args))


@bp.route("/enterprises")
def enterprises():
    return _json(services.enterprises_page(request.args))


@bp.route("/enterprises/<int:org_id>")
def enterprise(org_id: int):
    return _json(services.enterprise_detail(org_id, request.args))


@bp.route("/listings")
def listings():
    return _json(services.listings_page(request.args))


@bp.route("/listings/<int:listing_id>")
def listing(listing_id: int):
    return _json(services.listing_detail(listing_id, request.args))


@bp.route("/stats")
def stats():
    return _json(services.statistics(request.args))


@bp.route("/reports/attainment")
def attainment():
    return _json(services.attainment_page(request.args))


@bp.route("/ocds/releases")
def ocds_releases():
    return _json(ocds.release_package(request.args))


@bp.route("/openapi.json")
def openapi_document():
    return _json(openapi.document(server_url=request.url_root.rstrip("/") + bp.url_prefix))
