"""Exactly one quote is ever accepted, even when two buyers click at the same moment (separate connections)."""
from __future__ import annotations

import threading
from datetime import timedelta

from market.accounts.models import User
from market.core.errors import DomainError
from market.core.timeutil import utcnow
from market.extensions import db
from market.procurement import services
from market.procurement.models import PurchaseOrder, Quote
from tests import factories


def test_two_simultaneous_acceptances_place_exactly_one_order(app, world):
    second_buyer = factories.user(world.agency_x, "buyer", email="x2@example.kr")
    quote_b = factories.quote(world.request_x, world.enterprise_b, world.users.enterprise_b, unit_price=7_000)
    world.request_x.quote_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    attempts = [(world.users.agency_x.id, world.quote_a.id), (second_buyer.id, quote_b.id)]
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def click(user_id: int, quote_id: int) -> None:
        with app.app_context():  # its own session, and so its own database connection
            user, quote = db.session.get(User, user_id), db.session.get(Quote, quote_id)
            assert quote.request.status == "open"
            barrier.wait()
            try:
                services.accept_quote(user, quote)
                db.session.commit()
                outcomes.append("accepted")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "refused"]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(PurchaseOrder)
                             .where(PurchaseOrder.request_id == world.request_x.id)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Quote)
                             .where(Quote.request_id == world.request_x.id, Quote.status == "accepted")) == 1


def test_the_database_itself_refuses_a_second_accepted_quote(world):
    import pytest
    from sqlalchemy.exc import IntegrityError

    quote_b = factories.quote(world.request_x, world.enterprise_b, world.users.enterprise_b)
    world.quote_a.status = "accepted"
    db.session.flush()
    quote_b.status = "accepted"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
