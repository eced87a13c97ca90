"""Every CSV and XLSX the site writes keeps a typed formula as text: a name, title or note that begins like a
formula (=, +, -, @) would otherwise run when an official opens the file in a spreadsheet."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from market.core.models import AuditEntry
from market.extensions import db
from market.reports import services as reports
from market.reports.models import SOCIAL_ECONOMY
from market.core.timeutil import seoul_today
from tests import factories

AGENCY = '=HYPERLINK("http://evil.example/x","click")'
ENTERPRISE = "+SUM(1,2)"
INDUSTRY = "@SUM(A1)"
TITLE = "-2+3"
NOTE = "=cmd|' /C calc'!A0"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
VIEWS = ("agencies", "kinds", "industries", "enterprises", "months", "quarters")

# endpoint -> (who downloads, the route's arguments, the query strings to try and what each must carry)
EXPORTS = {
    "catalog.export_listings": ("enterprise_a", lambda w: {}, {"": [TITLE]}),
    "accounts.audit_export": ("city", lambda w: {}, {"": [NOTE]}),  # CSV only
    "reports.agency_submission": ("agency_x", lambda w: {"agency_id": w.agency_x.id}, {"": [AGENCY]}),
    "reports.city_submission": ("city", lambda w: {}, {"": [AGENCY]}),
    "reports.export": ("city", lambda w: {}, {
        "view=agencies": [AGENCY], "view=kinds": [], "view=industries": [INDUSTRY], "view=enterprises": [ENTERPRISE],
        "view=months": [], "view=quarters": []}),
}


def _exporting_rules(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if re.search(r"\.(csv|xlsx)$|<any\(csv, xlsx\):fmt>|\.<", rule.rule) and rule.endpoint != "static"}


def test_every_export_route_is_checked_here(app):
    assert _exporting_rules(app) == set(EXPORTS), "a new CSV/XLSX route needs a case in EXPORTS"


@pytest.fixture
def planted(world):
    """The world, with text shaped like formulas wherever an export shows what people typed."""
    year = seoul_today().year
    world.agency_x.name = AGENCY
    world.enterprise_a.name = ENTERPRISE
    world.listing_a.title = TITLE
    world.listing_a.industry.name_ko = world.listing_a.industry.name_en = INDUSTRY
    reports.set_targets(world.users.city, world.agency_x, year, {SOCIAL_ECONOMY: 10_000_000})
    reports.set_targets(world.users.city, world.agency_x, year - 1, {SOCIAL_ECONOMY: 10_000_000})
    factories.purchase_order(world.agency_x, world.enterprise_a, world.users.agency_x, total=2_200_000,
                             contract_date=date(year, 1, 15), status="closed")
    db.session.add(AuditEntry(actor_id=world.users.city.id, action="organization.suspend",
                              subject_type="organization", subject_id=world.enterprise_b.id, note=NOTE))
    db.session.commit()
    return world


def _cells(response, fmt: str) -> list:
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for cell in row]
    sheet = load_workbook(io.BytesIO(response.data)).active
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert not formulas, f"live formulas in {formulas}"
    return [cell.value for row in sheet.iter_rows() for cell in row]


CASES = [(endpoint, query, fmt) for endpoint, (_, _, queries) in EXPORTS.items() for query in queries
         for fmt in (("csv",) if endpoint == "accounts.audit_export" else ("csv", "xlsx"))]


@pytest.mark.parametrize(("endpoint", "query", "fmt"), CASES, ids=[f"{e}?{q}.{f}" for e, q, f in CASES])
def test_an_export_writes_formula_like_text_as_text(app, planted, as_user, endpoint, query, fmt):
    from flask import url_for

    role, args, queries = EXPORTS[endpoint]
    with app.test_request_context():
        url = url_for(endpoint, year=seoul_today().year, **args(planted),
                      **({} if endpoint == "accounts.audit_export" else {"fmt": fmt}))
    response = as_user(getattr(planted.users, role)).get(f"{url}&{query}")
    assert response.status_code == 200, response.data[:500]
    cells = _cells(response, fmt)
    raw = [cell for cell in cells if isinstance(cell, str) and cell.startswith(FORMULA_START)]
    assert not raw, f"cells a spreadsheet would compute: {raw}"
    for text in queries[query]:
        assert "'" + text in cells, f"{text!r} should be in the file, after an apostrophe"
