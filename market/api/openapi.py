"""The OpenAPI 3.0 document of the open-data API, as data. The tests validate every response against it, so a
field added to a JSON shape in services.py without its schema here fails the suite (additionalProperties)."""
from __future__ import annotations

from market.api.ocds import OCDS_VERSION
from market.api.services import (DEFAULT_PER_PAGE, ENTERPRISE_SORTS, INDUSTRIES_PER_PAGE, LISTING_SORTS, MAX_ID,
                                 MAX_PAGE, MAX_PER_PAGE, MAX_PRICE_KRW, MAX_QUERY_LENGTH, YEARS)
from market.catalog import kinds
from market.catalog.areas import AREAS
from market.reports.models import SOCIAL_ECONOMY
from market.reports.queries import CATEGORIES

VERSION = "1.0.0"

KIND_NAMES = {  # English names, fixed (the document does not depend on the visitor's language)
    kinds.SOCIAL_ENTERPRISE: "certified social enterprise (사회적기업)",
    kinds.PRELIMINARY: "preliminary social enterprise (예비사회적기업)",
    kinds.VILLAGE: "village enterprise (마을기업)",
    kinds.SELF_SUFFICIENCY: "self-sufficiency enterprise (자활기업)",
    kinds.SOCIAL_COOPERATIVE: "social cooperative (사회적협동조합)",
    kinds.COOPERATIVE: "cooperative (협동조합)",
    kinds.WOMEN_OWNED: "women-owned enterprise (여성기업)",
    kinds.DISABLED_OWNED: "disability-owned enterprise (장애인기업)",
    kinds.SEVERELY_DISABLED: "severely-disabled producer facility (중증장애인생산품 생산시설)",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    # OpenAPI 3.0 ignores the siblings of a $ref, so a nullable object is written inline.
    return {**schema, "nullable": True}


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {"type": "object", "additionalProperties": False, "required": list(properties),
              "properties": properties}
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
URI = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date", "example": "2026-03-01"}
DATETIME = {"type": "string", "format": "date-time", "example": "2026-03-01T09:30:00Z"}
KIND = {"type": "string", "enum": list(kinds.CERTIFICATION_KINDS),
        "description": "; ".join(f"`{code}`: {name}" for code, name in KIND_NAMES.items())}
CATEGORY = {"type": "string", "enum": list(kinds.LISTING_CATEGORIES)}
ATTAINMENT_CATEGORY = {"type": "string", "enum": list(CATEGORIES),
                       "description": f"`{SOCIAL_ECONOMY}`: the social-economy total (an order counts once, whatever "
                                      "its enterprise holds); otherwise a kind of certification."}
OCDS_RELEASE_SCHEMA = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
OCDS_PACKAGE_SCHEMA = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"


def _schemas() -> dict:
    industry_ref = _object({"code": STRING, "name_ko": STRING, "name_en": STRING},
                           "An industry or item group of the city's taxonomy.")
    return {
        "Error": {"type": "object", "additionalProperties": False, "required": ["error", "message"],
                  "properties": {"error": {**STRING, "description": "A short code, e.g. `bad_parameter`."},
                                 "message": {**STRING, "description": "What went wrong, for people."},
                                 "parameter": {**STRING, "description": "The query parameter at fault."}}},
        "IndustryRef": industry_ref,
        "Industry": _object({"code": STRING, "name_ko": STRING, "name_en": STRING,
                             "groups": {"type": "array", "items": _ref("IndustryRef")}},
                            "An industry with its item groups (the `industry` filter accepts both codes)."),
        "Certification": _object({
            "kind": KIND,
            "number": _nullable(STRING),
            "valid_from": DATE,
            "valid_to": _nullable({**DATE, "description": "null: without an end date."}),
            "valid_today": {"type": "boolean", "description": "Valid today in Korea time (Asia/Seoul)."},
        }, "A certification or designation the support center has verified."),
        "Enterprise": _object({
            "id": INTEGER,
            "name": STRING,
            "name_en": _nullable(STRING),
            "business_number": _nullable({**STRING, "pattern": "^[0-9]{10}$",
                                          "description": "Business registration number (사업자등록번호), digits only."}),
            "area": _nullable({**STRING, "description": "Administrative area (읍/면/동) of Gunsan."}),
            "address": _nullable(STRING),
            "phone": _nullable({**STRING, "description": "The organisation's public telephone number."}),
            "website": _nullable(STRING),
            "description": _nullable({**STRING, "description": "Anything shaped like an e-mail address is removed."}),
            "founded_year": _nullable(INTEGER),
            "employees": _nullable(INTEGER),
            "vulnerable_share_percent": _nullable({**INTEGER, "description": "Whole percent of employees from "
                                                   "vulnerable groups, rounded down."}),
            "main_industry": _nullable(industry_ref),
            "industries": {"type": "array", "items": _ref("IndustryRef"),
                           "description": "Every industry of the enterprise, the main one first."},
            "types": {"type": "array", "items": KIND,
                      "description": "The kinds of certification valid today (what the `type` filter matches)."},
            "certifications": {"type": "array", "items": _ref("Certification"),
                               "description": "Verified certifications only, newest first."},
            "listing_count": {**INTEGER, "description": "Published listings."},
            "logo_url": _nullable(URI),
            "url": {**URI, "description": "The enterprise's page on the marketplace."},
            "listings_url": {**URI, "description": "Its listings in this API."},
            "updated_at": _nullable(DATETIME),
        }, "An approved enterprise of the directory. No e-mail address or personal phone number is published."),
        "EnterpriseRef": _object({"id": INTEGER, "name": STRING, "url": URI}),
        "Image": _object({"url": URI, "thumbnail_url": URI, "width": INTEGER, "height": INTEGER}),
        "Listing": _object({
            "id": INTEGER,
            "title": STRING,
            "description": {**STRING, "description": "Anything shaped like an e-mail address is removed."},
            "category": {**CATEGORY, "description": "Goods, services or works (the `type` filter)."},
            "industry": _ref("IndustryRef"),
            "group": _nullable(industry_ref),
            "unit": STRING,
            "unit_price_krw": _nullable({**INTEGER, "minimum": 0,
                                         "description": "Whole won per unit; null: price on request."}),
            "vat_included": {"type": "boolean"},
            "min_order": {**INTEGER, "minimum": 1},
            "lead_time_days": _nullable(INTEGER),
            "service_area": _nullable(STRING),
            "enterprise": _ref("EnterpriseRef"),
            "images": {"type": "array", "items": _ref("Image")},
            "url": {**URI, "description": "The listing's page on the marketplace."},
            "created_at": DATETIME,
            "updated_at": DATETIME,
        }, "A published product or service of an approved enterprise."),
        "Links": _object({
            "self": URI, "first": URI, "last": URI,
            "next": _nullable({**URI, "description": "null on the last page."}),
            "prev": _nullable({**URI, "description": "null on the first page."}),
        }, "Links to pages of the same query (filters kept)."),
        "Attainment": _object({
            "year": {**INTEGER, "description": "The fiscal year (January to December, Korea time)."},
            "agency": _object({"id": INTEGER, "name": STRING}),
            "category": ATTAINMENT_CATEGORY,
            "target_krw": _nullable({**INTEGER, "minimum": 0, "description": "null: no target set."}),
            "actual_krw": {**INTEGER, "minimum": 0, "description": (
                "Purchase orders with a contract date in the year, cancelled and declined ones excepted, from "
                "enterprises holding a verified certification of the category valid on the contract date.")},
            "percent": _nullable({**INTEGER, "minimum": 0, "description": "Whole percent of the target reached, "
                                  "rounded down; null without a target."}),
        }, "A public agency's purchasing in one category of one year, against its target."),
        "ReleasePackage": {
            "type": "object",
            "required": ["uri", "version", "publishedDate", "publisher", "releases", "page", "per_page", "total",
                         "pages", "links"],
            "description": f"An OCDS {OCDS_VERSION} release package, valid against {OCDS_PACKAGE_SCHEMA}, with the "
                           "API's pagination fields beside it. Each release is one purchase order.",
            "externalDocs": {"url": "https://standard.open-contracting.org/1.1/en/"},
            "properties": {
                "uri": URI,
                "version": {**STRING, "enum": [OCDS_VERSION]},
                "publishedDate": DATETIME,
                "publisher": {"type": "object", "required": ["name"], "properties": {"name": STRING}},
                "releases": {"type": "array", "minItems": 1, "description": f"See {OCDS_RELEASE_SCHEMA}.",
                             "items": {"type": "object",
                                       "required": ["ocid", "id", "date", "tag", "initiationType"]}},
                "page": {**INTEGER, "minimum": 1},
                "per_page": {**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE},
                "total": {**INTEGER, "minimum": 1, "description": "Releases of the year, on every page."},
                "pages": {**INTEGER, "minimum": 1},
                "links": _ref("Links"),
            },
        },
        "AttainmentPage": _page("Attainment"),
        "IndustryPage": _page("Industry"),
        "EnterprisePage": _page("Enterprise"),
        "ListingPage": _page("Listing"),
        "Statistics": _object({
            "date": {**DATE, "description": "The day (Korea time) certifications were counted valid on."},
            "enterprises": {**INTEGER, "description": "Approved enterprises in the directory."},
            "listings": {**INTEGER, "description": "Published listings."},
            "by_type": {"type": "array", "items": _object({"type": KIND, "enterprises": INTEGER}),
                        "description": "Enterprises holding a valid verified certification of each kind; "
                                       "one enterprise may hold several."},
            "by_main_industry": {"type": "array",
                                 "items": _object({"industry": _ref("IndustryRef"), "enterprises": INTEGER}),
                                 "description": "Enterprises by main industry, most first."},
            "listings_by_category": _object({code: INTEGER for code in kinds.LISTING_CATEGORIES}),
        }),
    }


def _page(item: str) -> dict:
    return _object({
        "data": {"type": "array", "items": _ref(item)},
        "page": {**INTEGER, "minimum": 1},
        "per_page": {**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE},
        "total": {**INTEGER, "minimum": 0, "description": "Objects matching the query, on every page."},
        "pages": {**INTEGER, "minimum": 0},
        "links": _ref("Links"),
    }, f"One page of {item.lower()} objects.")


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PARAMETERS = {
    "page": _query("page", {**INTEGER, "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number, from 1."),
    "per_page": _query("per_page", {**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
                       "Objects per page."),
    "industries_per_page": _query("per_page", {**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE,
                                               "default": INDUSTRIES_PER_PAGE}, "Industries per page."),
    "q": _query("q", {**STRING, "maxLength": MAX_QUERY_LENGTH},
                "Words to search for (all must match); Korean words of two syllables or more are found anywhere "
                "in names, e.g. `청소`."),
    "industry": _query("industry", STRING, "An industry or item-group code from /industries."),
    "year": _query("year", {**INTEGER, "minimum": YEARS[0], "maximum": YEARS[1]},
                   "The fiscal year (January to December); the current year in Korea by default."),
}


def _path_id(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {**INTEGER, "minimum": 1},
            "description": f"The {what}'s id."}


def _response(description: str, schema: str) -> dict:
    return {"description": description,
            "headers": {"Access-Control-Allow-Origin": {"$ref": "#/components/headers/Access-Control-Allow-Origin"}},
            "content": {"application/json": {"schema": _ref(schema)}}}


ERRORS = {"400": {"$ref": "#/components/responses/BadRequest"}}
NOT_FOUND = {"404": {"$ref": "#/components/responses/NotFound"}}


def _get(operation_id: str, summary: str, tag: str, ok: str, schema: str, parameters: list, *,
         errors: dict | None = None) -> dict:
    return {"get": {"operationId": operation_id, "summary": summary, "tags": [tag], "parameters": parameters,
                    "responses": {"200": _response(ok, schema), **ERRORS, **(errors or {})}}}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def document(server_url: str = "/api/v1") -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Gunsan Social Economy Marketplace — open data",
            "version": VERSION,
            "description": (
                "Read-only open data of Gunsan's social-economy enterprises and what they offer to public "
                "buyers: the industries, the approved enterprises with their verified certifications, their "
                "published listings, and statistics. No key is needed and every origin may call it (CORS).\n\n"
                "Lists are paginated with `page` and `per_page`; the envelope carries `total`, `pages` and "
                "`links` to the next and previous pages. Unknown or malformed parameters are refused with "
                "400 rather than ignored. Money is a whole number of won in fields ending `_krw`; dates "
                "are ISO 8601, times UTC. `/ocds/releases` follows the Open Contracting Data Standard instead: "
                "its amounts are `value.amount` with `currency` KRW."),
        },
        "servers": [{"url": server_url}],
        "tags": [{"name": "catalog", "description": "Industries, enterprises and listings."},
                 {"name": "statistics", "description": "Aggregates."},
                 {"name": "procurement", "description": "What public agencies bought: attainment of their "
                                                        "purchasing targets, and the contracts in OCDS."}],
        "paths": {
            "/industries": _get("listIndustries", "The industries and their item groups", "catalog",
                                "The taxonomy, in its display order.", "IndustryPage",
                                [_param("page"), _param("industries_per_page")]),
            "/enterprises": _get(
                "listEnterprises", "Approved enterprises of the directory", "catalog", "A page of enterprises.",
                "EnterprisePage",
                [_param("page"), _param("per_page"), _param("industry"),
                 _query("type", KIND, "Enterprises holding this kind of certification, verified and valid today."),
                 _query("area", {**STRING, "enum": AREAS}, "Enterprises based in this area (읍/면/동)."),
                 _param("q"),
                 _query("sort", {**STRING, "enum": list(ENTERPRISE_SORTS), "default": "name"},
                        "`name` (default) or `newest` first.")]),
            "/enterprises/{org_id}": _get(
                "getEnterprise", "One approved enterprise", "catalog", "The enterprise.", "Enterprise",
                [_path_id("org_id", "enterprise")], errors=NOT_FOUND),
            "/listings": _get(
                "listListings", "Published listings", "catalog", "A page of listings.", "ListingPage",
                [_param("page"), _param("per_page"), _param("q"), _param("industry"),
                 _query("type", CATEGORY, "Goods, services or works."),
                 _query("enterprise", {**INTEGER, "minimum": 1, "maximum": MAX_ID},
                        "The listings of one enterprise (its id)."),
                 _query("price_min", {**INTEGER, "minimum": 0, "maximum": MAX_PRICE_KRW},
                        "Unit price at least this many won (listings priced on request are left out)."),
                 _query("price_max", {**INTEGER, "minimum": 0, "maximum": MAX_PRICE_KRW},
                        "Unit price at most this many won."),
                 _query("sort", {**STRING, "enum": list(LISTING_SORTS), "default": "updated"},
                        "`updated` (default: recently updated first), `price` (cheapest first) or `newest`.")]),
            "/listings/{listing_id}": _get(
                "getListing", "One published listing", "catalog", "The listing.", "Listing",
                [_path_id("listing_id", "listing")], errors=NOT_FOUND),
            "/stats": _get("getStatistics", "The city's social economy at a glance", "statistics",
                           "Counts of today.", "Statistics", []),
            "/reports/attainment": _get(
                "listAttainment", "Public agencies' purchasing against their targets", "procurement",
                "A page of (agency, category) figures: agencies by name, then categories in a fixed order.",
                "AttainmentPage",
                [_param("year"), _param("page"), _param("per_page"),
                 _query("agency", {**INTEGER, "minimum": 1, "maximum": MAX_ID}, "One agency (its id)."),
                 _query("category", ATTAINMENT_CATEGORY, "One category.")]),
            "/ocds/releases": _get(
                "listOcdsReleases", "The year's purchase orders as an Open Contracting release package",
                "procurement",
                "One release per purchase order with a contract date in the year, oldest first; cancelled and "
                "declined orders are included with their award and contract cancelled.", "ReleasePackage",
                [_param("year"), _param("page"), _param("per_page")],
                errors={"404": _response("No purchase order on this page of the year (OCDS packages hold at "
                                         "least one release).", "Error")}),
            "/openapi.json": {"get": {
                "operationId": "getOpenApiDocument", "summary": "This document", "tags": ["catalog"],
                "responses": {"200": {"description": "The OpenAPI 3.0 document.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        },
        "components": {
            "schemas": _schemas(),
            "parameters": PARAMETERS,
            "headers": {"Access-Control-Allow-Origin": {
                "description": "Always `*`: the data is open.", "required": True,
                "schema": {"type": "string", "enum": ["*"]}}},
            "responses": {
                "BadRequest": _response("A parameter is unknown, repeated or malformed; `parameter` names it.",
                                        "Error"),
                "NotFound": _response("No public object has this id (it may not exist, be unpublished or belong "
                                      "to an enterprise not approved).", "Error"),
            },
        },
    }
