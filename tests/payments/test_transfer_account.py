"""An enterprise's bank account for transfers: set by its manager, audited, announced to its people, and shown to
the buyer of an invoiced order."""
from __future__ import annotations

import sqlalchemy as sa

from market.accounts.models import Role
from market.core.models import AuditEntry, Notification
from market.extensions import db
from market.payments.models import TransferAccount
from tests import factories

ACCOUNT = {"bank_code": "037", "account_number": "1012-01-0123456", "holder": "(주)가나다 환경서비스"}


def _account(world):
    return db.session.scalar(sa.select(TransferAccount).where(TransferAccount.organization_id == world.enterprise_a.id))


def _audits():
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.subject_type == "TransferAccount")
                              .order_by(AuditEntry.id)).all()


def test_the_manager_sets_the_account_and_everyone_in_the_enterprise_is_told(as_user, world, outbox):
    colleague = factories.user(world.enterprise_a, Role.MEMBER, email="colleague@example.kr", locale="en")
    db.session.commit()
    response = as_user(world.users.enterprise_a).post("/payments/account/bank", data=ACCOUNT)
    assert response.status_code == 302
    account = _account(world)
    assert (account.bank.name_ko, account.account_number, account.holder) == ("전북은행", *list(ACCOUNT.values())[1:])
    assert [entry.action for entry in _audits()] == ["transfer_account.create"]
    assert "1012-01-0123456" in outbox("a@example.kr")[-1].body
    assert "Jeonbuk Bank 1012-01-0123456" in outbox("colleague@example.kr")[-1].body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.organization_id == world.enterprise_a.id)) == 1
    page = as_user(colleague).get("/payments/account").get_data(as_text=True)
    assert "1012-01-0123456" in page and "Your enterprise's manager sets the bank account." in page, "in English for her"


def test_a_change_records_before_and_after_and_saving_the_same_account_records_nothing(as_user, world):
    manager = as_user(world.users.enterprise_a)
    manager.post("/payments/account/bank", data=ACCOUNT)
    manager.post("/payments/account/bank", data={**ACCOUNT, "bank_code": "011", "account_number": "301-0123-4567-81"})
    manager.post("/payments/account/bank", data={**ACCOUNT, "bank_code": "011", "account_number": "301-0123-4567-81"})
    change = _audits()[-1]
    assert len(_audits()) == 2 and change.action == "transfer_account.update"
    assert change.before["account_number"] == "1012-01-0123456" and change.after["account_number"] == "301-0123-4567-81"


def test_a_bad_account_number_is_refused_keeping_what_was_typed(as_user, world):
    response = as_user(world.users.enterprise_a).post(
        "/payments/account/bank", data={**ACCOUNT, "account_number": "12-34", "holder": "가나다 환경"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "숫자 10~16자리" in html
    assert 'value="12-34"' in html and 'value="가나다 환경"' in html
    assert _account(world) is None and not _audits()


def test_an_unknown_bank_is_refused(as_user, world):
    response = as_user(world.users.enterprise_a).post("/payments/account/bank", data={**ACCOUNT, "bank_code": "999"})
    assert response.status_code == 400 and _account(world) is None


def test_only_the_manager_sets_it(as_user, world):
    member = factories.user(world.enterprise_a, Role.MEMBER)
    db.session.commit()
    assert as_user(member).post("/payments/account/bank", data=ACCOUNT).status_code == 403
    assert _account(world) is None


def test_the_buyer_of_an_invoiced_order_sees_where_to_transfer(as_user, world):
    as_user(world.users.enterprise_a).post("/payments/account/bank", data=ACCOUNT)
    buyer = as_user(world.users.agency_x)
    order_page = f"/procurement/orders/{world.order_x.id}"
    assert "1012-01-0123456" not in buyer.get(order_page).get_data(as_text=True), "placed: nothing to pay yet"
    world.order_x.status = "invoiced"
    db.session.commit()
    html = buyer.get(order_page).get_data(as_text=True)
    assert "1012-01-0123456" in html and world.order_x.number in html
    assert as_user(world.users.agency_y).get(order_page).status_code == 404


def test_without_an_account_the_buyer_is_pointed_to_the_invoice(as_user, world):
    world.order_x.status = "invoiced"
    db.session.commit()
    html = as_user(world.users.agency_x).get(f"/procurement/orders/{world.order_x.id}").get_data(as_text=True)
    assert "청구서에 적힌 기업 계좌로" in html
