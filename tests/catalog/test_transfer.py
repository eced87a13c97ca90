"""Bulk import (all rows or none, with a preview) and export of an enterprise's catalog."""
from __future__ import annotations

import csv
import io
import re

import zipfile

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook

from market.catalog import transfer
from market.catalog.forms import MAX_PRICE_KRW
from market.catalog.models import Listing
from market.core.errors import ValidationFailed
from market.core.models import AuditEntry
from market.extensions import db
from tests import hostile_files

HEADER = "title,category,industry,group,unit,unit_price_krw,vat_included,min_order,lead_time_days,service_area,description\n"
GOOD = HEADER + ("계단 청소,용역,cleaning,,월,300000,Y,1,7,군산시 전역,주 2회\n"
                 "소독 서비스,services,청소·방역·위생,,회,150000,N,1,,,\n")
BROKEN = HEADER + ("계단 청소,용역,cleaning,,월,300000,Y,1,7,,\n"
                   ",goods,nowhere,,개,-5,maybe,0,,,\n")


def _count(world) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Listing)
                             .where(Listing.organization_id == world.enterprise_a.id))


def _upload(client, body: bytes, name: str = "listings.csv"):
    return client.post("/catalog/import", data={"file": (io.BytesIO(body), name)}, content_type="multipart/form-data")


def test_valid_csv_is_previewed_then_imported_as_drafts(as_user, world):
    client = as_user(world.users.enterprise_a)
    preview = _upload(client, GOOD.encode("utf-8"))
    assert preview.status_code == 200 and _count(world) == 1, "nothing is saved at preview"
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.get_data(as_text=True)).group(1)
    assert client.post("/catalog/import/confirm", data={"token": token}).status_code == 302
    titles = {l.title: l for l in db.session.scalars(db.select(Listing).where(Listing.organization_id == world.enterprise_a.id))}
    assert {"계단 청소", "소독 서비스"} <= set(titles)
    assert titles["소독 서비스"].unit_price_krw == 150000 and titles["소독 서비스"].vat_included is False
    assert all(l.status == "draft" for t, l in titles.items() if t != "사무실 청소 용역")


def test_broken_rows_are_listed_and_nothing_is_saved(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    response = _upload(client, BROKEN.encode("utf-8"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "title: This field is required." in html and "Unknown industry" in html and "name=\"token\"" not in html
    assert _count(world) == 1


def test_cp949_csv_from_korean_excel_is_read(as_user, world):
    response = _upload(as_user(world.users.enterprise_a), GOOD.encode("cp949"))
    assert response.status_code == 200


def test_xlsx_import(as_user, world):
    workbook = Workbook()
    for line in GOOD.strip().split("\n"):
        workbook.active.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(as_user(world.users.enterprise_a), buffer.getvalue(), "listings.xlsx")
    assert response.status_code == 200 and 'name="token"' in response.get_data(as_text=True)


def test_a_file_that_is_not_a_table_is_refused(as_user, world):
    response = _upload(as_user(world.users.enterprise_a), b"\x89PNG\r\n\x1a\n\x00\x00garbage", "x.csv")
    assert response.status_code == 400 and _count(world) == 1


def test_another_enterprise_cannot_confirm_my_import(as_user, world):
    preview = _upload(as_user(world.users.enterprise_a), GOOD.encode("utf-8"))
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.get_data(as_text=True)).group(1)
    as_user(world.users.enterprise_b).post("/catalog/import/confirm", data={"token": token})
    assert db.session.scalar(db.select(db.func.count()).select_from(Listing)
                             .where(Listing.organization_id == world.enterprise_b.id)) == 1


def test_export_round_trips_through_import(as_user, world):
    client = as_user(world.users.enterprise_a)
    exported = client.get("/catalog/export.xlsx")
    assert exported.status_code == 200
    rows = list(load_workbook(io.BytesIO(exported.data)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "title") and rows[1][:2] == (world.listing_a.id, "사무실 청소 용역")
    csv_export = client.get("/catalog/export.csv")
    assert csv_export.data.startswith("\ufeff".encode("utf-8"))
    assert _upload(client, csv_export.data).status_code == 200


# --- every row follows the listing form's rules ---

ROW = {"title": "계단 청소", "category": "services", "industry": "cleaning", "group": "", "unit": "월",
       "unit_price_krw": "300000", "vat_included": "Y", "min_order": "1", "lead_time_days": "7",
       "service_area": "군산시 전역", "description": "주 2회"}
# The same listing as the listing form receives it (the file's columns are the form's fields).
FORM = dict(ROW, vat_included="y")


# By default, the columns as exported before the id column: a file a user may still have.
def _csv(*rows: dict, columns=("title", "category", "industry", "group", "unit", "unit_price_krw", "vat_included",
                               "min_order", "lead_time_days", "service_area", "description")) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _token(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.get_data(as_text=True)).group(1)


def _errors(html: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", "".join(re.findall(r'<ul class="errors">(.*?)</ul>', html, re.S)))


def test_an_overflowing_price_is_refused_in_the_preview_and_nothing_is_saved(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    response = _upload(client, _csv(dict(ROW, unit_price_krw="99999999999999999999")))
    assert response.status_code == 400 and 'name="token"' not in response.get_data(as_text=True)
    assert _errors(response.get_data(as_text=True)) == [
        "unit_price_krw: Enter a whole number of won, at most 10,000,000,000."]
    assert _count(world) == 1


def test_confirming_rows_that_break_a_rule_saves_none_of_them(app, world):
    rows = transfer.read_rows("x.csv", io.BytesIO(_csv(ROW, dict(ROW, unit_price_krw="99999999999999999999"))))
    with app.test_request_context():
        with pytest.raises(ValidationFailed):
            transfer.import_rows(world.users.enterprise_a, world.enterprise_a, rows)
    db.session.rollback()
    assert _count(world) == 1


# Each rule of the listing form, broken by one cell: the form refuses the value, and so does the import.
FORM_RULES = [
    ("title", ""), ("title", "가" * 121), ("description", "가" * 8001), ("service_area", "가" * 121),
    ("unit", "톤"), ("unit_price_krw", "-1"), ("unit_price_krw", str(MAX_PRICE_KRW + 1)),
    ("unit_price_krw", "99999999999999999999"), ("unit_price_krw", "12.5"), ("min_order", "0"),
    ("min_order", "1000001"), ("lead_time_days", "-1"), ("lead_time_days", "366"), ("lead_time_days", "9999"),
    ("lead_time_days", "one week"),
]


@pytest.mark.parametrize(("column", "value"), FORM_RULES)
def test_the_import_refuses_what_the_listing_form_refuses(as_user, world, column, value):
    client = as_user(world.users.enterprise_a)
    assert client.post("/catalog/listings/new", data=dict(FORM, **{column: value})).status_code == 400
    response = _upload(client, _csv(dict(ROW, **{column: value})))
    errors = _errors(response.get_data(as_text=True))
    assert response.status_code == 400 and errors and all(error.startswith(f"{column}: ") for error in errors)
    assert _count(world) == 1


@pytest.mark.parametrize(("column", "value", "message"), [
    ("category", "food", "The type must be goods, services or works"),
    ("industry", "nowhere", "Unknown industry"),
    ("industry", "cleaning-office", "Unknown industry"),  # an item group is not an industry
    ("group", "nowhere", "Unknown item group"),
    ("group", "catering-lunchbox", "The item group does not belong to the chosen industry."),
    ("vat_included", "maybe", "vat_included must be Y or N."),
])
def test_the_import_refuses_an_unknown_type_industry_group_or_vat_flag(as_user, world, column, value, message):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    response = _upload(client, _csv(dict(ROW, **{column: value})))
    errors = _errors(response.get_data(as_text=True))
    assert response.status_code == 400 and len(errors) == 1 and message in errors[0]


# The limits themselves are allowed, by the form and by the import alike.
FORM_LIMITS = [("title", "가" * 120), ("description", "가" * 8000), ("service_area", "가" * 120),
               ("unit_price_krw", "0"), ("unit_price_krw", str(MAX_PRICE_KRW)), ("min_order", "1000000"),
               ("lead_time_days", "0"), ("lead_time_days", "365")]


@pytest.mark.parametrize(("column", "value"), FORM_LIMITS)
def test_the_import_accepts_what_the_listing_form_accepts(as_user, world, column, value):
    client = as_user(world.users.enterprise_a)
    assert client.post("/catalog/listings/new", data=dict(FORM, **{column: value})).status_code == 302
    assert _upload(client, _csv(dict(ROW, **{column: value}))).status_code == 200


def test_an_empty_price_is_price_on_request_and_an_empty_minimum_order_is_one(as_user, world):
    client = as_user(world.users.enterprise_a)
    preview = _upload(client, _csv(dict(ROW, unit_price_krw="", min_order="", vat_included="")))
    client.post("/catalog/import/confirm", data={"token": _token(preview)})
    listing = db.session.scalar(db.select(Listing).where(Listing.title == "계단 청소"))
    assert listing.price_on_request and listing.min_order == 1 and listing.vat_included


# --- the round trip: an exported row carries its listing's id and updates that listing ---

def _csv_rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _audit(action: str) -> list[AuditEntry]:
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_reimporting_an_unchanged_export_creates_no_copy_and_touches_nothing(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    updated_at = world.listing_a.updated_at
    preview = _upload(client, client.get("/catalog/export.csv").data)
    assert preview.status_code == 200 and "No change" in preview.get_data(as_text=True)
    assert client.post("/catalog/import/confirm", data={"token": _token(preview)}).status_code == 302
    assert _count(world) == 1 and not _audit("listing.update") and not _audit("listing.create")
    assert db.session.get(Listing, world.listing_a.id).updated_at == updated_at


def test_a_price_edited_in_an_exported_csv_updates_that_listing(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    rows = _csv_rows(client.get("/catalog/export.csv").data)
    rows[0]["unit_price_krw"] = "450,000"
    preview = _upload(client, _csv(*rows, columns=list(rows[0])))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Update" in html and "<code>unit_price_krw</code>: 500000 → 450000" in html
    client.post("/catalog/import/confirm", data={"token": _token(preview)})
    listing = db.session.get(Listing, world.listing_a.id)
    assert listing.unit_price_krw == 450_000 and listing.status == "published" and _count(world) == 1
    [entry] = _audit("listing.update")
    assert entry.subject_id == listing.id and entry.actor_id == world.users.enterprise_a.id
    assert (entry.before["unit_price_krw"], entry.after["unit_price_krw"]) == (500_000, 450_000)


def test_a_title_edited_in_an_exported_xlsx_updates_the_published_listing_and_its_search(as_user, world, client):
    owner = as_user(world.users.enterprise_a)
    workbook = load_workbook(io.BytesIO(owner.get("/catalog/export.xlsx").data))
    workbook.active["B2"] = "유리창 특수 청소"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = _upload(owner, buffer.getvalue(), "listings.xlsx")
    owner.post("/catalog/import/confirm", data={"token": _token(preview)})
    assert db.session.get(Listing, world.listing_a.id).title == "유리창 특수 청소" and _count(world) == 1
    assert "유리창 특수 청소" in client.get("/listings?q=유리창").get_data(as_text=True), "still public, found anew"


def test_a_file_may_update_some_listings_and_add_others(as_user, world):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    [row] = _csv_rows(client.get("/catalog/export.csv").data)
    preview = _upload(client, _csv(dict(row, min_order="2"), dict(row, id="", title="계단 청소"),
                                   columns=list(row)))
    assert "New draft" in preview.get_data(as_text=True)
    client.post("/catalog/import/confirm", data={"token": _token(preview)})
    assert db.session.get(Listing, world.listing_a.id).min_order == 2 and _count(world) == 2
    assert db.session.scalar(db.select(Listing).where(Listing.title == "계단 청소")).status == "draft"


@pytest.mark.parametrize("whose", ["another enterprise's", "nobody's", "beyond the database's integers"])
def test_a_row_naming_a_listing_outside_my_catalog_is_refused(as_user, world, whose):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    listing_id = {"another enterprise's": world.draft_b.id, "nobody's": 999_999}.get(whose, 10**20)
    response = _upload(client, _csv(dict(ROW, id=str(listing_id)), columns=transfer.COLUMNS))
    assert response.status_code == 400 and 'name="token"' not in response.get_data(as_text=True)
    assert _errors(response.get_data(as_text=True)) == [
        f"Listing {listing_id} is not in your catalog; leave id empty to add the row as a new listing."]
    assert db.session.get(Listing, world.draft_b.id).title == "친환경 도시락" and _count(world) == 1


def test_confirming_an_import_with_another_enterprises_id_changes_nothing(app, world):
    rows = transfer.read_rows("x.csv", io.BytesIO(_csv(dict(ROW, id=str(world.draft_b.id)), columns=transfer.COLUMNS)))
    with app.test_request_context():
        with pytest.raises(ValidationFailed):
            transfer.import_rows(world.users.enterprise_a, world.enterprise_a, rows)
    db.session.rollback()
    assert db.session.get(Listing, world.draft_b.id).title == "친환경 도시락"


@pytest.mark.parametrize(("ids", "message"), [
    (["abc"], "id must be a whole number."),
    (["{a}", "{a}"], "Listing {a} is already updated by row 2."),
])
def test_a_malformed_or_repeated_id_is_refused(as_user, world, ids, message):
    client = as_user(world.users.enterprise_a)
    client.post("/language/en")
    a = world.listing_a.id
    response = _upload(client, _csv(*[dict(ROW, id=i.format(a=a)) for i in ids], columns=transfer.COLUMNS))
    assert response.status_code == 400 and _errors(response.get_data(as_text=True)) == [message.format(a=a)]


def test_an_old_export_without_the_id_column_adds_new_drafts(as_user, world):
    client = as_user(world.users.enterprise_a)
    old = _csv_rows(client.get("/catalog/export.csv").data)
    preview = _upload(client, _csv(*old))  # the columns as exported before the id
    assert preview.status_code == 200
    client.post("/catalog/import/confirm", data={"token": _token(preview)})
    titles = db.session.scalars(db.select(Listing.title).where(Listing.organization_id == world.enterprise_a.id)).all()
    assert sorted(titles) == ["사무실 청소 용역", "사무실 청소 용역"]
    assert db.session.get(Listing, world.listing_a.id).status == "published" and len(_audit("listing.create")) == 1


def test_a_preview_saved_before_the_id_column_can_still_be_confirmed(as_user, world, app):
    with app.test_request_context():
        rows = [dict(ROW)]  # no "id": saved before the column existed
        token = transfer.save_pending(world.enterprise_a.id, rows)
        db.session.commit()
    response = as_user(world.users.enterprise_a).post("/catalog/import/confirm", data={"token": token})
    assert response.status_code == 302 and _count(world) == 2


# --- hostile files: read in bounded memory and time, refused at the limits ---

LIMIT_SECONDS = 1.0
LIMIT_BYTES = 50 * 1024 * 1024


def _refusal(data: bytes, name: str = "listings.xlsx") -> str:
    with pytest.raises(ValidationFailed) as refused:
        transfer.read_rows(name, io.BytesIO(data))
    return refused.value.message


def _within_limits(data: bytes, name: str = "listings.xlsx"):
    spent = hostile_files.cost(lambda: transfer.read_rows(name, io.BytesIO(data)))
    # CPU time, not the wall clock: the two cores are shared, and other processes' load is not the import's cost.
    assert spent.cpu_seconds < LIMIT_SECONDS and spent.peak_bytes < LIMIT_BYTES, spent
    return spent


def test_a_million_row_spreadsheet_is_refused_within_a_second_and_fifty_megabytes(app):
    bomb = hostile_files.xlsx_rows(1_000_000)
    assert len(bomb) < 1024 * 1024
    with app.test_request_context(), force_locale("en"):
        assert "at most 1000 rows" in _refusal(bomb)
        _within_limits(bomb)


def test_the_million_rows_are_refused_on_the_import_page_too(as_user, world):
    response = _upload(as_user(world.users.enterprise_a), hostile_files.xlsx_rows(1_000_000), "listings.xlsx")
    assert response.status_code == 400 and "1000" in response.get_data(as_text=True)
    assert _count(world) == 1


def test_a_sheet_over_the_row_limit_is_refused_as_it_streams(app):
    """Forty thousand rows stay under the size a part may unpack to: the rows are read until the limit, no further."""
    sheet = hostile_files.xlsx_rows(40_000)
    with app.test_request_context(), force_locale("en"):
        assert _refusal(sheet) == "At most 1000 rows at a time."
        _within_limits(sheet)


def test_a_thousand_rows_are_read_within_the_limits(app):
    sheet = hostile_files.xlsx_rows(1000)
    with app.test_request_context(), force_locale("en"):
        assert len(transfer.read_rows("listings.xlsx", io.BytesIO(sheet))) == 1000
        _within_limits(sheet)


def test_one_cell_larger_than_a_part_may_unpack_to_is_refused_unread(app):
    sheet = hostile_files.xlsx_with_cell(transfer.MAX_UNPACKED_PART + 1)
    with app.test_request_context(), force_locale("en"):
        assert "too large once unpacked" in _refusal(sheet)
        assert hostile_files.cost(lambda: transfer.read_rows("x.xlsx", io.BytesIO(sheet))).peak_bytes < 1024 * 1024


def test_a_part_lying_about_its_size_is_refused_before_openpyxl_reads_it_whole(app):
    """openpyxl reads [Content_Types].xml whole; zipfile would inflate all of it whatever the directory says."""
    sheet = hostile_files.xlsx_rows(10)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sheet)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "[Content_Types].xml":
                body += b" " * (200 * 1024 * 1024)  # well-formed, and 200 MB
            target.writestr(info.filename, body)
    lying = hostile_files.declare_size(out.getvalue(), "[Content_Types].xml", 1000)
    with app.test_request_context(), force_locale("en"):
        assert _refusal(lying) == "The Excel file could not be read."
        _within_limits(lying)


def test_a_sheet_that_jumps_to_its_last_row_is_refused_at_the_limit_of_blank_rows(app):
    row = b'<c t="inlineStr"><is><t>x</t></is></c>' * 4
    sheet = hostile_files.xlsx(b"<row>" + row.replace(b">x<", b">title<", 1) + b"</row>",
                               b'<row r="1048576">' + row + b"</row>")
    with app.test_request_context(), force_locale("en"):
        assert _refusal(sheet) == "At most 1000 rows at a time."
        _within_limits(sheet)


def test_a_csv_of_millions_of_lines_is_refused_within_the_limits(app):
    csv_bomb = b"title,category,industry,unit\n" + b"\n" * (transfer.MAX_BYTES - 100)
    with app.test_request_context(), force_locale("en"):
        assert _refusal(csv_bomb, "listings.csv") == "At most 1000 rows at a time."
        _within_limits(csv_bomb, "listings.csv")


def test_a_csv_field_past_the_csv_module_limit_is_refused_not_an_error(as_user, world):
    body = b'title,category,industry,unit\n"' + b"a" * 200_000 + b'",services,cleaning,1\n'
    response = _upload(as_user(world.users.enterprise_a), body)
    assert response.status_code == 400 and _count(world) == 1


def test_a_title_that_looks_like_a_formula_leaves_as_text_and_comes_back_unchanged(as_user, world):
    world.listing_a.title = '=HYPERLINK("http://evil.example/x","click")'
    db.session.commit()
    client = as_user(world.users.enterprise_a)
    for fmt in ("csv", "xlsx"):
        exported = client.get(f"/catalog/export.{fmt}")
        preview = _upload(client, exported.data, f"listings.{fmt}")
        assert preview.status_code == 200
        assert 'name="token"' in preview.get_data(as_text=True)
        assert client.post("/catalog/import/confirm", data={"token": _token(preview)}).status_code == 302
        db.session.expire_all()
        assert _count(world) == 1, "the exported row names its listing: no copy"
        assert db.session.get(Listing, world.listing_a.id).title == '=HYPERLINK("http://evil.example/x","click")'
