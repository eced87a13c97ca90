"""Catalog import and export (CSV and XLSX) in one column layout, so an export can be edited and re-imported.

The export's first column is each listing's id: on import, a row with an id updates that listing of the
enterprise, a row without one (or a file without the column, as exported before it existed) adds a new draft.
An import is all or nothing: every row is checked first; the preview shows each row's errors, or what it will
do; nothing is saved unless every row is valid, and then all rows are saved in one transaction.
"""
from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass, field
from xml.etree.ElementTree import iterparse

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from werkzeug.datastructures import MultiDict

from market.catalog import forms, services
from market.catalog.models import Industry, Listing
from market.core import files, storage, tables
from market.core.errors import ValidationFailed
from market.extensions import db

COLUMNS = ("id", "title", "category", "industry", "group", "unit", "unit_price_krw", "vat_included", "min_order",
           "lead_time_days", "service_area", "description")
MAX_ROWS = 1000
MAX_LINES = 10 * MAX_ROWS  # rows read, blank ones included
MAX_COLUMNS = 64
MAX_BYTES = 5 * 1024 * 1024
# An XLSX part, unpacked: 1000 listings described in 2,500 characters each (each part is inflated once, in
# chunks, to prove its declared size: this also bounds the time an import takes).
MAX_UNPACKED_PART = 8 * 1024 * 1024
MAX_UNPACKED = 12 * 1024 * 1024
CATEGORY_ALIASES = {"goods": "goods", "물품": "goods", "services": "services", "용역": "services",
                    "works": "works", "공사": "works"}
TRUE = {"y", "yes", "true", "1", "예", "포함", "o"}
FALSE = {"n", "no", "false", "0", "아니오", "별도", "x", ""}


@dataclass
class ImportRow:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)
    data: services.ListingData | None = None  # what will be saved, once the row is valid
    listing: Listing | None = None  # the listing the row's id names; none for a new draft
    changes: dict[str, tuple] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.listing is None:
            return "create"
        return "update" if self.changes else "unchanged"


def count_actions(rows: list[ImportRow]) -> dict[str, int]:
    return {action: sum(row.action == action for row in rows) for action in ("create", "update", "unchanged")}


def read_rows(filename: str, stream) -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM, or CP949) or XLSX file as dicts keyed by COLUMNS.

    The file is read as a stream and refused at the row limit: a 140 KB spreadsheet can hold a million rows.
    An XLSX is a ZIP archive; each of its parts may unpack to MAX_UNPACKED_PART bytes at most, and all of them
    to MAX_UNPACKED, so that no cell or sheet can grow to fill the memory (see core.files.open_archive)."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than 5 MB."))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        table = _table(_xlsx_rows(data), _("The Excel file could not be read."))
    else:
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed(_("The file is neither CSV (UTF-8 or CP949) nor Excel (.xlsx)."))
        table = _table(csv.reader(io.StringIO(text)), _("The CSV file could not be read."))
    if not table:
        raise ValidationFailed(_("The file is empty."))
    header = [h.lower() for h in table[0]]
    missing = [c for c in ("title", "category", "industry", "unit") if c not in header]
    if missing:
        raise ValidationFailed(_("The first row must name the columns; missing: %(columns)s.",
                                 columns=", ".join(missing)))
    return [{column: (row[header.index(column)] if column in header and header.index(column) < len(row) else "")
             for column in COLUMNS} for row in table[1:]]


def _declared_size(sheet: ReadOnlyWorksheet) -> None:
    """openpyxl's own look for a sheet's <dimension> parses to the END of <sheetData> when the element is
    missing (as hostile tools write sheets): a whole pass over up to MAX_UNPACKED_PART bytes before the first
    row is read. The element comes before the rows or not at all, so the look stops where the rows start."""
    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = \
                    SheetDimension.from_tree(element).boundaries
                return
            if element.tag == DATA_TAG:
                return


ReadOnlyWorksheet._get_size = _declared_size  # the only read-only workbooks the app opens are these imports


def _xlsx_rows(data: bytes):
    try:
        with files.open_archive(data, MAX_UNPACKED) as archive:
            if any(info.file_size > MAX_UNPACKED_PART for info in archive.infolist()):
                raise files.ArchiveTooLarge("a part too large once unpacked")
            files.prove_sizes(archive)  # openpyxl reads some parts whole
    except files.ArchiveTooLarge:
        raise ValidationFailed(_("The Excel file is too large once unpacked; at most %(max)d rows at a time.",
                                 max=MAX_ROWS)) from None
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        # max_col: the width a sheet declares (up to 16,384 columns) would otherwise widen every row read.
        for row in workbook.active.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield ["" if value is None else str(value) for value in row]
    finally:
        workbook.close()


def _table(rows, unreadable: str) -> list[list[str]]:
    """The rows that hold something, their cells stripped, read only up to the row limit (blank rows count
    too, at most MAX_LINES: a sheet may jump to row 1,048,576)."""
    table = []
    try:
        for number, row in enumerate(rows, 1):
            cells = [tables.read_cell(cell.strip()) for cell in row[:MAX_COLUMNS]]
            if any(cells):
                table.append(cells)
            if len(table) > MAX_ROWS + 1 or number > MAX_LINES:  # the header, then the rows
                raise ValidationFailed(_("At most %(max)d rows at a time.", max=MAX_ROWS))
    except ValidationFailed:
        raise
    except Exception:  # csv.Error, and the many kinds of error openpyxl raises on a damaged file
        raise ValidationFailed(unreadable) from None
    return table


def _number(value: str) -> str:
    """A number as spreadsheets write it ("1,250,000원", "7.0" from Excel) in the plain digits the form reads."""
    return value.replace(",", "").replace("원", "").strip().removesuffix(".0")


def _form_data(values: dict, industries: dict[str, Industry], errors: dict[str, str]) -> MultiDict:
    """The row as the listing form would receive it from a browser; a cell the file's conventions cannot
    translate (an unknown industry name, a type alias, a yes/no word) gets its own error instead."""
    data = MultiDict({name: values[name] for name in ("title", "unit", "service_area", "description")})
    data["category"] = CATEGORY_ALIASES.get(values["category"].lower(), "")
    if not data["category"]:
        errors["category"] = _("The type must be goods, services or works (물품, 용역, 공사).")
    industry = industries.get(values["industry"].lower())
    if industry is None or industry.parent_id is not None:
        errors["industry"] = _("Unknown industry “%(value)s”.", value=values["industry"])
    data["industry"] = industry.code if industry else ""
    group = industries.get(values["group"].lower()) if values["group"] else None
    if values["group"] and (group is None or group.parent_id is None):
        errors["group"] = _("Unknown item group “%(value)s” for this industry.", value=values["group"])
    data["group"] = group.code if group else ""
    data["unit_price_krw"] = _number(values["unit_price_krw"])
    if not data["unit_price_krw"]:
        data["price_on_request"] = "y"  # the file's way of ticking "price on request"
    data["min_order"] = _number(values["min_order"]) or "1"
    data["lead_time_days"] = _number(values["lead_time_days"])
    vat = values["vat_included"].lower()
    if vat in TRUE or not vat:
        data["vat_included"] = "y"
    elif vat not in FALSE:
        errors["vat_included"] = _("vat_included must be Y or N.")
    return data


def _row_listing(values: dict, listings: dict[int, Listing], first_rows: dict[int, int], number: int,
                 errors: dict[str, str]) -> Listing | None:
    """The listing the row's id names, None for a new draft. An id that is not a number, names no listing of
    the enterprise (another's, or none) or was already on an earlier row is the row's error: never a new listing
    in its place, never someone else's listing changed."""
    if not values["id"]:
        return None
    listing_id = _number(values["id"])
    if not listing_id.isdigit():
        errors["id"] = _("%(column)s must be a whole number.", column="id")
        return None
    listing = listings.get(int(listing_id))
    if listing is None:
        errors["id"] = _("Listing %(id)s is not in your catalog; leave id empty to add the row as a new listing.",
                         id=listing_id)
    elif listing.id in first_rows:
        errors["id"] = _("Listing %(id)s is already updated by row %(row)d.", id=listing_id, row=first_rows[listing.id])
    else:
        first_rows[listing.id] = number
    return listing


def check_rows(organization, rows: list[dict]) -> list[ImportRow]:
    """Check every row by the listing form's own rules, then the service's, so that a row is accepted exactly
    when the same values typed into the form would be saved; a row with an id must name a listing of
    `organization`, once in the file."""
    industries = industry_lookup()
    tree = services.industry_tree()
    by_code = {industry.code: industry for industry in industries.values()}
    # The labels are never shown; the choices only say which codes the form accepts.
    industry_choices, group_choices = forms.industry_choices(tree, "ko", "—"), forms.group_choices(tree, "ko", "—")
    listings = services.own_listings(organization) if any(values["id"] for values in rows) else {}
    first_rows: dict[int, int] = {}
    checked = []
    for number, values in enumerate(rows, start=2):  # as the spreadsheet numbers them, after the header
        own: dict[str, str] = {}
        listing = _row_listing(values, listings, first_rows, number, own)
        form = forms.ListingForm(formdata=_form_data(values, industries, own), meta={"csrf": False})
        form.industry.choices, form.group.choices = industry_choices, group_choices
        valid = form.validate()
        errors = []
        for column in COLUMNS:
            if column in own:
                errors.append(own[column])
            elif column in form:
                errors += [_("%(column)s: %(error)s", column=column, error=error) for error in form[column].errors]
        row = ImportRow(number, values, errors, listing=listing)
        if valid and not own:
            row.data = form.data_for_service(by_code.get)
            try:
                services.check_listing_data(row.data)
            except ValidationFailed as error:
                errors.append(error.message)
            if listing is not None:
                row.changes = services.listing_changes(listing, row.data)
        checked.append(row)
    return checked


def industry_lookup() -> dict[str, Industry]:
    lookup: dict[str, Industry] = {}
    for industry in db.session.scalars(db.select(Industry)):
        for key in (industry.code, industry.name_ko, industry.name_en):
            lookup[key.lower()] = industry
    return lookup


def import_rows(actor, organization, rows: list[dict]) -> dict[str, int]:
    """Save every row, or none (the caller's transaction is rolled back on error): a new draft for a row without
    id; for a row with one, the listing's update through the same service as its edit form (audited, searched
    anew, its status kept); an unchanged listing is left alone, so that re-importing an export touches nothing.
    Returns how many rows were created, updated and unchanged."""
    checked = check_rows(organization, rows)
    if any(row.errors for row in checked):
        raise ValidationFailed(_("Some rows have errors; nothing was saved."))
    for row in checked:
        if row.action == "create":
            services.create_listing(actor, organization, row.data)
        elif row.action == "update":
            services.update_listing(actor, row.listing, row.data)
    return count_actions(checked)


# --- the pending import, kept between preview and confirmation ---

def _pending_key(token: str) -> str:
    if not (len(token) == 32 and all(c in "0123456789abcdef" for c in token)):
        raise ValidationFailed(_("This import has expired; upload the file again."))
    return f"imports/{token}.json"


def save_pending(organization_id: int, rows: list[dict]) -> str:
    """Keep the checked rows until the confirmation (`market.core.storage`, area "imports", swept after a day)."""
    token = secrets.token_hex(16)
    storage.save(db.session, _pending_key(token),
                 json.dumps({"organization_id": organization_id, "rows": rows}).encode("utf-8"))
    return token


def load_pending(token: str, organization_id: int) -> list[dict]:
    kept = storage.read(_pending_key(token))
    if kept is None:
        raise ValidationFailed(_("This import has expired; upload the file again."))
    pending = json.loads(kept.decode("utf-8"))
    if pending["organization_id"] != organization_id:
        raise ValidationFailed(_("This import has expired; upload the file again."))
    # A preview saved by an earlier version lacks the columns added since (the id): empty, as in an older file.
    return [{column: row.get(column, "") for column in COLUMNS} for row in pending["rows"]]


def discard_pending(token: str) -> None:
    """The pending import goes once the import it led to commits."""
    storage.remove_after_commit(db.session, _pending_key(token))


# --- export ---

def export_values(listing) -> list:
    return [listing.id, listing.title, listing.category, listing.industry.code,
            listing.group.code if listing.group else "", listing.unit,
            "" if listing.unit_price_krw is None else listing.unit_price_krw,
            "Y" if listing.vat_included else "N", listing.min_order,
            "" if listing.lead_time_days is None else listing.lead_time_days, listing.service_area or "",
            listing.description or ""]
