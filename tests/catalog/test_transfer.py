"""Bulk import (all rows or none, with a preview) and export of an enterprise's catalog."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook

from market.catalog.models import Listing
from market.extensions import db

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
    client.get("/language/en")
    response = _upload(client, BROKEN.encode("utf-8"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The title is required." in html and "Unknown industry" in html and "name=\"token\"" not in html
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
    assert rows[0][0] == "title" and rows[1][0] == "사무실 청소 용역"
    csv_export = client.get("/catalog/export.csv")
    assert csv_export.data.startswith("\ufeff".encode("utf-8"))
    assert _upload(client, csv_export.data).status_code == 200
