"""The buying workflow: request, quotes, comparison, award, order lifecycle, and the refusals on the way."""
from __future__ import annotations

from datetime import timedelta

import pytest

from market.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from market.core.models import AuditEntry, Notification
from market.core.timeutil import to_seoul, utcnow
from market.extensions import db
from market.procurement import services
from market.procurement.models import PurchaseOrder, PurchaseRequest, Quote
from market.procurement.states import ORDER
from tests import factories


def _deadline_field(days: int = 3) -> str:
    return (to_seoul(utcnow()) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _new_request(client, world, **overrides):
    data = {"title": "봉사의 날 도시락 300개", "category": "goods", "purpose": "자원봉사자 점심",
            "items-0-description": "한식 도시락", "items-0-quantity": "300", "items-0-unit": "개",
            "items-1-description": "생수 500ml", "items-1-quantity": "300", "items-1-unit": "개",
            "delivery_place": "군산시청 대회의실", "quote_deadline": _deadline_field(), "audience": "invited",
            "recipients": [world.enterprise_a.id, world.enterprise_b.id], "send": "1"}
    data.update(overrides)
    return client.post("/procurement/requests/new", data=data)


def test_buyer_sends_a_request_and_the_invited_enterprises_are_told(as_user, world, outbox):
    response = _new_request(as_user(world.users.agency_y), world)
    assert response.status_code == 302
    request = db.session.scalar(db.select(PurchaseRequest).where(PurchaseRequest.title == "봉사의 날 도시락 300개"))
    assert request.status == "open" and [i.quantity for i in request.items] == [300, 300]
    assert outbox("a@example.kr") and outbox("b@example.kr")
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.organization_id == world.enterprise_a.id)) == 1


def test_a_request_with_no_item_keeps_the_input_and_saves_nothing(as_user, world):
    before = db.session.scalar(db.select(db.func.count()).select_from(PurchaseRequest))
    response = _new_request(as_user(world.users.agency_y), world, **{"items-0-description": "",
                                                                    "items-1-description": ""})
    assert response.status_code == 400
    assert "봉사의 날 도시락 300개" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(PurchaseRequest)) == before


def test_a_deadline_in_the_past_is_refused(as_user, world):
    response = _new_request(as_user(world.users.agency_y), world, quote_deadline=_deadline_field(-1))
    assert response.status_code == 400


def test_enterprise_quotes_with_totals_computed_on_the_server(as_user, world):
    request = world.request_x
    client = as_user(world.users.enterprise_b)
    item = request.items[0]
    response = client.post(f"/procurement/requests/{request.id}/quote",
                           data={f"price-{item.id}": "7500", "lead_time_days": "2", "total_krw": "1"})
    assert response.status_code == 302
    quote = db.session.scalar(db.select(Quote).where(Quote.organization_id == world.enterprise_b.id))
    assert (quote.supply_krw, quote.vat_krw, quote.total_krw) == (2_250_000, 225_000, 2_475_000)


def test_each_revision_is_kept(as_user, world):
    client = as_user(world.users.enterprise_a)
    item = world.request_x.items[0]
    client.post(f"/procurement/requests/{world.request_x.id}/quote", data={f"price-{item.id}": "7000"})
    quote = db.session.get(Quote, world.quote_a.id)
    assert quote.revision_count == 2 and [r.total_krw for r in quote.revisions] == [2_640_000, 2_310_000]


def test_a_negative_or_missing_price_is_refused(as_user, world):
    client = as_user(world.users.enterprise_b)
    item = world.request_x.items[0]
    for price in ("-1", "", "1.5", "abc"):
        client.post(f"/procurement/requests/{world.request_x.id}/quote", data={f"price-{item.id}": price})
    assert db.session.scalar(db.select(Quote).where(Quote.organization_id == world.enterprise_b.id)) is None


def test_quote_after_the_deadline_is_refused(world):
    world.request_x.quote_deadline = utcnow() - timedelta(minutes=1)
    item = world.request_x.items[0]
    with pytest.raises(InvalidTransition):
        services.submit_quote(world.users.enterprise_b, world.request_x, prices={item.id: 5000}, valid_until=None,
                              lead_time_days=None, notes="")


def test_an_enterprise_not_invited_cannot_quote_or_see_the_request(world, as_user):
    outsider = factories.organization(name="초대받지 않은 기업")
    person = factories.user(outsider)
    db.session.commit()
    assert as_user(person).get(f"/procurement/requests/{world.request_x.id}").status_code == 404
    with pytest.raises(NotAllowed):
        services.submit_quote(person, world.request_x, prices={}, valid_until=None, lead_time_days=None, notes="")


def test_enterprise_never_sees_a_competitors_quote(as_user, world):
    html = as_user(world.users.enterprise_b).get(f"/procurement/requests/{world.request_x.id}").get_data(as_text=True)
    assert world.enterprise_a.name not in html and "2,640,000" not in html


def test_declining_needs_a_reason(as_user, world):
    client = as_user(world.users.enterprise_b)
    client.post(f"/procurement/requests/{world.request_x.id}/decline", data={"note": ""})
    assert db.session.scalar(db.select(Quote).where(Quote.organization_id == world.enterprise_b.id)) is None
    client.post(f"/procurement/requests/{world.request_x.id}/decline", data={"note": "일정이 맞지 않습니다"})
    quote = db.session.scalar(db.select(Quote).where(Quote.organization_id == world.enterprise_b.id))
    assert quote.status == "declined" and quote.decline_reason == "일정이 맞지 않습니다"


def test_quotes_cannot_be_compared_before_the_deadline_unless_all_answered(as_user, world):
    client = as_user(world.users.agency_x)
    assert client.get(f"/procurement/requests/{world.request_x.id}/compare").status_code == 302
    with pytest.raises(InvalidTransition):
        services.accept_quote(world.users.agency_x, world.quote_a)
    factories.quote(world.request_x, world.enterprise_b, world.users.enterprise_b, unit_price=7_000)
    db.session.commit()
    assert client.get(f"/procurement/requests/{world.request_x.id}/compare").status_code == 200


def test_accepting_a_quote_places_the_order_and_closes_the_others(as_user, world, outbox):
    quote_b = factories.quote(world.request_x, world.enterprise_b, world.users.enterprise_b, unit_price=7_000)
    db.session.commit()
    response = as_user(world.users.agency_x).post(f"/procurement/quotes/{quote_b.id}/accept")
    assert response.status_code == 302
    order = db.session.scalar(db.select(PurchaseOrder).where(PurchaseOrder.quote_id == quote_b.id))
    assert order.number == f"GS-{order.placed_at.year}-{order.id:06d}"
    assert order.total_krw == quote_b.total_krw and order.lines[0].unit_price_krw == 7_000
    assert order.parties["enterprise"]["name"] == world.enterprise_b.name
    assert db.session.get(Quote, world.quote_a.id).status == "not_selected"
    assert db.session.get(PurchaseRequest, world.request_x.id).status == "awarded"
    assert outbox("a@example.kr") and outbox("b@example.kr")


def test_a_second_acceptance_is_refused(world):
    world.request_x.quote_deadline = utcnow() - timedelta(minutes=1)
    quote_b = factories.quote(world.request_x, world.enterprise_b, world.users.enterprise_b)
    services.accept_quote(world.users.agency_x, world.quote_a)
    with pytest.raises(InvalidTransition):
        services.accept_quote(world.users.agency_x, quote_b)


def test_a_withdrawn_request_cannot_be_awarded(world):
    services.withdraw_request(world.users.agency_x, world.request_x, "예산 삭감")
    with pytest.raises(InvalidTransition):
        services.accept_quote(world.users.agency_x, world.quote_a)
    with pytest.raises(InvalidTransition):
        item = world.request_x.items[0]
        services.submit_quote(world.users.enterprise_b, world.request_x, prices={item.id: 1}, valid_until=None,
                              lead_time_days=None, notes="")


def test_another_agency_cannot_award_or_withdraw(world):
    world.request_x.quote_deadline = utcnow() - timedelta(minutes=1)
    with pytest.raises(NotAllowed):
        services.accept_quote(world.users.agency_y, world.quote_a)
    with pytest.raises(NotAllowed):
        services.close_request(world.users.agency_y, world.request_x)


def test_amending_a_sent_request_tells_the_enterprises(as_user, world, outbox):
    client = as_user(world.users.agency_x)
    response = client.post(f"/procurement/requests/{world.request_x.id}/edit", data={
        "title": "행사 도시락 300개 (장소 변경)", "category": "goods", "items-0-description": "한식 도시락",
        "items-0-quantity": "300", "items-0-unit": "개", "quote_deadline": _deadline_field(4),
        "audience": "invited", "recipients": [world.enterprise_a.id, world.enterprise_b.id],
        "delivery_place": "은파호수공원", "note": "장소가 바뀌었습니다"})
    assert response.status_code == 302
    assert db.session.get(PurchaseRequest, world.request_x.id).delivery_place == "은파호수공원"
    assert any("amended" in m.subject or "변경" in m.subject or "수정" in m.subject for m in outbox("b@example.kr"))


# --- the order lifecycle ---

ALLOWED = {
    ("placed", "confirm"): ("enterprise_a", "confirmed"), ("placed", "decline"): ("enterprise_a", "declined"),
    ("placed", "cancel"): ("agency_x", "cancelled"), ("confirmed", "deliver"): ("enterprise_a", "delivered"),
    ("confirmed", "cancel"): ("enterprise_a", "cancelled"), ("delivered", "inspect"): ("agency_x", "inspected"),
    ("delivered", "reject"): ("agency_x", "confirmed"), ("inspected", "invoice"): ("enterprise_a", "invoiced"),
    ("invoiced", "pay"): ("enterprise_a", "paid"), ("paid", "close"): ("agency_x", "closed"),
    ("paid", "dispute"): ("agency_x", "disputed"), ("disputed", "settle"): ("agency_x", "paid"),
    ("disputed", "cancel"): ("enterprise_a", "cancelled"),
}


def test_only_the_payee_or_a_verified_provider_event_marks_an_order_paid(world, as_user):
    world.order_x.status = "invoiced"
    with pytest.raises(NotAllowed):
        services.move_order(world.users.agency_x, world.order_x, "pay")
    services.move_order(None, world.order_x, "pay")
    assert world.order_x.status == "paid"


def test_payment_is_never_a_plain_button_on_the_order(world, as_user):
    world.order_x.status = "invoiced"
    db.session.commit()
    page = as_user(world.users.enterprise_a).get(f"/procurement/orders/{world.order_x.id}").get_data(as_text=True)
    assert f"/procurement/orders/{world.order_x.id}/pay" not in page
    assert as_user(world.users.enterprise_a).post(f"/procurement/orders/{world.order_x.id}/pay").status_code == 404


def test_the_order_table_is_the_documented_lifecycle():
    assert {key: move.to for key, move in ORDER.moves.items()} == {k: v[1] for k, v in ALLOWED.items()}


@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_every_allowed_order_move(world, state, action):
    actor, target = ALLOWED[(state, action)]
    world.order_x.status = state
    services.move_order(getattr(world.users, actor), world.order_x, action, "사유")
    assert world.order_x.status == target


@pytest.mark.parametrize(("state", "action"), [(s, a) for s in ORDER.states for a in
                                               {a for _s, a in ALLOWED} if (s, a) not in ALLOWED])
def test_every_other_order_move_is_refused(world, state, action):
    world.order_x.status = state
    with pytest.raises(InvalidTransition):
        services.move_order(world.users.agency_x, world.order_x, action, "사유")
    assert world.order_x.status == state


@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_outsiders_cannot_move_an_order(world, state, action):
    world.order_x.status = state
    for outsider in ("enterprise_b", "agency_y", "city"):
        with pytest.raises(NotAllowed):
            services.move_order(getattr(world.users, outsider), world.order_x, action, "사유")
    assert world.order_x.status == state


def test_inspection_before_delivery_is_refused_with_a_message(as_user, world):
    client = as_user(world.users.agency_x)
    client.post("/language/en")
    response = client.post(f"/procurement/orders/{world.order_x.id}/inspect", follow_redirects=True)
    assert "is not possible while the status is" in response.get_data(as_text=True)
    assert db.session.get(PurchaseOrder, world.order_x.id).status == "placed"


def test_rejecting_a_delivery_needs_a_reason_and_goes_back_to_the_enterprise(world):
    world.order_x.status = "delivered"
    with pytest.raises(ValidationFailed):
        services.move_order(world.users.agency_x, world.order_x, "reject", "")
    services.move_order(world.users.agency_x, world.order_x, "reject", "수량 부족")
    assert world.order_x.status == "confirmed"


def test_every_move_is_audited_and_the_other_side_told(world, outbox):
    services.move_order(world.users.enterprise_a, world.order_x, "confirm")
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "order.confirm"))
    assert entry.actor_id == world.users.enterprise_a.id and entry.after == {"status": "confirmed"}
    assert outbox("x@example.kr")


def test_order_lists_are_scoped_with_status_counts(as_user, world):
    factories.purchase_order(world.agency_y, world.enterprise_b, world.users.agency_y, title="다른 기관 발주")
    db.session.commit()
    html = as_user(world.users.agency_x).get("/procurement/orders").get_data(as_text=True)
    assert world.order_x.number in html and "다른 기관 발주" not in html
    assert services.order_status_counts(world.users.agency_x) == {"placed": 1}


def test_printable_documents(as_user, world):
    client = as_user(world.users.enterprise_a)
    assert world.order_x.number in client.get(f"/procurement/orders/{world.order_x.id}/print").get_data(as_text=True)
    assert client.get(f"/procurement/orders/{world.order_x.id}/inspection").status_code == 200


def test_each_person_reads_the_organisations_notifications_and_e_mails_in_their_own_language(as_user, world, outbox):
    reader = factories.user(world.enterprise_a, locale="en", email="reader@example.kr")
    db.session.commit()
    as_user(world.users.agency_x).post(f"/procurement/messages/order/{world.order_x.id}", data={"body": "확인 부탁"})
    sender = world.agency_x.name
    assert f"New message from {sender}." in as_user(reader).get("/procurement/notifications").get_data(as_text=True)
    assert f"{sender}에서 새 메시지를 보냈습니다." in as_user(world.users.enterprise_a).get(
        "/procurement/notifications").get_data(as_text=True)
    assert f"New message from {sender}." in outbox("reader@example.kr")[-1].body
    assert f"{sender}에서 새 메시지를 보냈습니다." in outbox("a@example.kr")[-1].body


def test_the_buyer_answers_an_enterprises_question_on_a_request(as_user, world):
    request = world.request_x
    supplier, buyer = as_user(world.users.enterprise_a), as_user(world.users.agency_x)
    supplier.post(f"/procurement/messages/request/{request.id}", data={"body": "납품 장소에 주차가 가능한가요?"})
    html = buyer.get(f"/procurement/requests/{request.id}").get_data(as_text=True)
    assert "납품 장소에 주차가 가능한가요?" in html and world.enterprise_a.name in html
    assert services.unread_counts(world.users.agency_x)["messages"] == 0, "read on the request's page"
    buyer.post(f"/procurement/messages/request/{request.id}",
               data={"body": "네, 지하 주차장을 쓰시면 됩니다.", "enterprise_id": world.enterprise_a.id})
    assert "지하 주차장" in supplier.get(f"/procurement/requests/{request.id}").get_data(as_text=True)
    assert "지하 주차장" not in as_user(world.users.enterprise_b).get(
        f"/procurement/requests/{request.id}").get_data(as_text=True), "another enterprise's conversation"


@pytest.mark.parametrize("enterprise_id", ["outsider", "2147483648", "99999999999999999999", "", "abc"])
def test_a_buyer_cannot_open_a_conversation_with_an_enterprise_the_request_is_not_for(as_user, world, enterprise_id):
    from market.procurement.models import Message

    if enterprise_id == "outsider":
        enterprise_id = factories.organization(name="초대받지 않은 기업").id
        db.session.commit()
    response = as_user(world.users.agency_x).post(f"/procurement/messages/request/{world.request_x.id}",
                                                  data={"body": "견적 부탁드립니다", "enterprise_id": enterprise_id})
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_messages_between_the_two_sides_with_unread_counts(as_user, world):
    buyer, supplier = as_user(world.users.agency_x), as_user(world.users.enterprise_a)
    buyer.post(f"/procurement/messages/order/{world.order_x.id}", data={"body": "납품 시간 조정 가능할까요?"})
    assert services.unread_counts(world.users.enterprise_a)["messages"] == 1
    assert services.unread_counts(world.users.enterprise_a)["notifications"] == 1, "shown in the navigation"
    assert "납품 시간 조정" in supplier.get(f"/procurement/orders/{world.order_x.id}").get_data(as_text=True)
    assert services.unread_counts(world.users.enterprise_a)["messages"] == 0
    assert as_user(world.users.enterprise_b).post(f"/procurement/messages/order/{world.order_x.id}",
                                                  data={"body": "끼어들기"}).status_code == 404
