"""Catalog import and export (CSV and XLSX) in one column layout, so an export can be edited and re-imported.

An import is all or nothing: every row is checked first; the preview shows each row's errors; nothing is
saved unless every row is valid, and then all rows are saved in one transaction.
"""
from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from market.catalog import kinds, services
from market.catalog.models import Industry
from market.core.errors import ValidationFailed

COLUMNS = ("title", "category", "industry", "group", "unit", "unit_price_krw", "vat_included", "min_order",
           "lead_time_days", "service_area", "description")
MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024
CATEGORY_ALIASES = {"goods": "goods", "물품": "goods", "services": "services", "용역": "services",
                    "works": "works", "공사": "works"}
TRUE = {"y", "yes", "true", "1", "예", "포함", "o"}
FALSE = {"n", "no", "false", "0", "아니오", "별도", "x", ""}


@dataclass
class ImportRow:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


def read_rows(filename: str, stream) -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM, or CP949) or XLSX file as dicts keyed by COLUMNS."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than 5 MB."))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:  # openpyxl raises many kinds of errors on damaged files
            raise ValidationFailed(_("The Excel file could not be read.")) from None
    else:
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed(_("The file is neither CSV (UTF-8 or CP949) nor Excel (.xlsx)."))
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    table = [row for row in table if any(row)]
    if not table:
        raise ValidationFailed(_("The file is empty."))
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in ("title", "category", "industry", "unit") if c not in header]
    if missing:
        raise ValidationFailed(_("The first row must name the columns; missing: %(columns)s.",
                                 columns=", ".join(missing)))
    if len(table) - 1 > MAX_ROWS:
        raise ValidationFailed(_("At most %(max)d rows at a time.", max=MAX_ROWS))
    return [{column: (row[header.index(column)] if column in header and header.index(column) < len(row) else "")
             for column in COLUMNS} for row in table[1:]]


def _integer(value: str, label: str, errors: list[str], required: bool = False) -> int | None:
    value = value.replace(",", "").replace("원", "").strip()
    if not value:
        if required:
            errors.append(_("%(column)s is required.", column=label))
        return None
    try:
        number = int(float(value)) if value.endswith(".0") else int(value)
    except ValueError:
        errors.append(_("%(column)s must be a whole number.", column=label))
        return None
    if number < 0:
        errors.append(_("%(column)s cannot be negative.", column=label))
    return number


def check_rows(rows: list[dict], industries: dict[str, Industry]) -> list[ImportRow]:
    """Validate every row; `industries` maps codes and Korean/English names to Industry."""
    checked = []
    for number, values in enumerate(rows, start=2):
        errors: list[str] = []
        if not values["title"]:
            errors.append(_("The title is required."))
        elif len(values["title"]) > 120:
            errors.append(_("The title is longer than 120 characters."))
        if CATEGORY_ALIASES.get(values["category"].lower()) is None:
            errors.append(_("The type must be goods, services or works (물품, 용역, 공사)."))
        industry = industries.get(values["industry"].lower())
        if industry is None or industry.parent_id is not None:
            errors.append(_("Unknown industry “%(value)s”.", value=values["industry"]))
        group = industries.get(values["group"].lower()) if values["group"] else None
        if values["group"] and (group is None or industry is None or group.parent_id != industry.id):
            errors.append(_("Unknown item group “%(value)s” for this industry.", value=values["group"]))
        if values["unit"] not in kinds.UNITS:
            errors.append(_("Unknown unit “%(value)s”.", value=values["unit"]))
        _integer(values["unit_price_krw"], "unit_price_krw", errors)
        if _integer(values["min_order"] or "1", "min_order", errors) == 0:
            errors.append(_("The minimum order is at least 1."))
        _integer(values["lead_time_days"], "lead_time_days", errors)
        if values["vat_included"].lower() not in TRUE | FALSE:
            errors.append(_("vat_included must be Y or N."))
        if len(values["service_area"]) > 120:
            errors.append(_("The service area is longer than 120 characters."))
        if len(values["description"]) > 8000:
            errors.append(_("The description is longer than 8000 characters."))
        checked.append(ImportRow(number, values, errors))
    return checked


def industry_lookup() -> dict[str, Industry]:
    from market.extensions import db

    lookup: dict[str, Industry] = {}
    for industry in db.session.scalars(db.select(Industry)):
        for key in (industry.code, industry.name_ko, industry.name_en):
            lookup[key.lower()] = industry
    return lookup


def to_listing_data(values: dict, industries: dict[str, Industry]) -> services.ListingData:
    errors: list[str] = []
    return services.ListingData(
        title=values["title"], description=values["description"],
        industry=industries[values["industry"].lower()],
        group=industries.get(values["group"].lower()) if values["group"] else None,
        category=CATEGORY_ALIASES[values["category"].lower()], unit=values["unit"],
        unit_price_krw=_integer(values["unit_price_krw"], "", errors),
        vat_included=values["vat_included"].lower() in TRUE or values["vat_included"] == "",
        min_order=_integer(values["min_order"] or "1", "", errors) or 1,
        lead_time_days=_integer(values["lead_time_days"], "", errors),
        service_area=values["service_area"] or None)


def import_rows(actor, organization, rows: list[dict]) -> int:
    """Save every row as a draft listing, or none (the caller's transaction is rolled back on error)."""
    industries = industry_lookup()
    checked = check_rows(rows, industries)
    if any(row.errors for row in checked):
        raise ValidationFailed(_("Some rows have errors; nothing was saved."))
    for row in checked:
        services.create_listing(actor, organization, to_listing_data(row.values, industries))
    return len(checked)


# --- the pending import, kept between preview and confirmation ---

def save_pending(directory: Path, organization_id: int, rows: list[dict]) -> str:
    token = secrets.token_hex(16)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{token}.json").write_text(json.dumps({"organization_id": organization_id, "rows": rows}),
                                             encoding="utf-8")
    return token


def load_pending(directory: Path, token: str, organization_id: int) -> list[dict]:
    if not (len(token) == 32 and all(c in "0123456789abcdef" for c in token)):
        raise ValidationFailed(_("This import has expired; upload the file again."))
    path = directory / f"{token}.json"
    if not path.exists():
        raise ValidationFailed(_("This import has expired; upload the file again."))
    pending = json.loads(path.read_text(encoding="utf-8"))
    if pending["organization_id"] != organization_id:
        raise ValidationFailed(_("This import has expired; upload the file again."))
    return pending["rows"]


def discard_pending(directory: Path, token: str) -> None:
    (directory / f"{token}.json").unlink(missing_ok=True)


# --- export ---

def export_values(listing) -> list:
    return [listing.title, listing.category, listing.industry.code, listing.group.code if listing.group else "",
            listing.unit, "" if listing.unit_price_krw is None else listing.unit_price_krw,
            "Y" if listing.vat_included else "N", listing.min_order,
            "" if listing.lead_time_days is None else listing.lead_time_days, listing.service_area or "",
            listing.description or ""]


def export_csv(listings) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(export_values(listing) for listing in listings)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel open Korean text correctly


def export_xlsx(listings) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "listings"
    sheet.append(COLUMNS)
    for listing in listings:
        sheet.append(export_values(listing))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
