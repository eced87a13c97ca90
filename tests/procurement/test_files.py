"""Documents attached to requests, quotes and messages: checked by content, shown only to who may see them."""
from __future__ import annotations

import io

from market.extensions import db
from market.procurement.models import ProcurementFile, PurchaseRequest, Quote

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _edit(client, world, **files):
    request = world.request_x
    data = {"title": request.title, "category": "goods", "items-0-description": "한식 도시락",
            "items-0-quantity": "300", "items-0-unit": "개",
            "quote_deadline": "2099-01-01T18:00", "audience": "invited",
            "recipients": [world.enterprise_a.id, world.enterprise_b.id], **files}
    return client.post(f"/procurement/requests/{request.id}/edit", data=data, content_type="multipart/form-data")


def test_buyer_attaches_a_specification_that_invited_enterprises_download(as_user, world):
    response = _edit(as_user(world.users.agency_x), world, attachments=[(io.BytesIO(PDF), "과업지시서.pdf")])
    assert response.status_code == 302
    (document,) = db.session.get(PurchaseRequest, world.request_x.id).files
    download = as_user(world.users.enterprise_b).get(f"/procurement/files/{document.id}")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert as_user(world.users.agency_y).get(f"/procurement/files/{document.id}").status_code == 404


def test_a_script_named_pdf_is_refused_and_nothing_changes(as_user, world):
    client = as_user(world.users.agency_x)
    response = _edit(client, world, attachments=[(io.BytesIO(b"<script>alert(1)</script>"), "spec.pdf")],
                     title="바뀐 제목")
    assert response.status_code == 400
    request = db.session.get(PurchaseRequest, world.request_x.id)
    assert request.files == [] and request.title != "바뀐 제목"


def test_a_competitor_never_downloads_another_quotes_document(as_user, world):
    item = world.request_x.items[0]
    as_user(world.users.enterprise_a).post(
        f"/procurement/requests/{world.request_x.id}/quote", content_type="multipart/form-data",
        data={f"price-{item.id}": "7900", "attachments": [(io.BytesIO(PDF), "견적서.pdf")]})
    (document,) = db.session.get(Quote, world.quote_a.id).files
    assert as_user(world.users.enterprise_a).get(f"/procurement/files/{document.id}").status_code == 200
    assert as_user(world.users.enterprise_b).get(f"/procurement/files/{document.id}").status_code == 404
    assert as_user(world.users.agency_x).get(f"/procurement/files/{document.id}").status_code == 404, \
        "the buyer opens quotes only after the deadline"


def test_a_message_can_carry_a_file_for_the_other_side_only(as_user, world):
    as_user(world.users.enterprise_a).post(
        f"/procurement/messages/order/{world.order_x.id}", content_type="multipart/form-data",
        data={"body": "납품 사진입니다", "attachments": [(io.BytesIO(PDF), "납품확인.pdf")]})
    document = db.session.scalar(db.select(ProcurementFile))
    assert as_user(world.users.agency_x).get(f"/procurement/files/{document.id}").status_code == 200
    assert as_user(world.users.enterprise_b).get(f"/procurement/files/{document.id}").status_code == 404
