"""Audit entries read as people read them: field names as words, states by their labels, dates and amounts
formatted, on every page that shows a history."""
from __future__ import annotations

from contextlib import contextmanager

from flask_babel import force_locale

from market.core import audit
from market.core.models import AuditEntry
from market.extensions import db


def _entry(action: str, before=None, after=None) -> AuditEntry:
    return AuditEntry(action=action, subject_type="Organization", subject_id=1, before=before, after=after)


@contextmanager
def _english(app):
    with app.test_request_context(), force_locale("en"):
        yield


def test_a_state_is_shown_by_its_label_and_the_field_by_its_name(app):
    with _english(app):
        changes = audit.changes(_entry("organization.suspend", {"status": "approved"}, {"status": "suspended"}))
    assert [(c.field, c.before, c.after) for c in changes] == [("Status", "Approved", "Suspended")]


def test_an_unchanged_field_is_left_out_of_an_update(app):
    with _english(app):
        changes = audit.changes(_entry("enterprise.update", {"name": "가나다", "representative": "김대표"},
                                       {"name": "가나다", "representative": "이대표"}))
    assert [(c.field, c.before, c.after) for c in changes] == [("Representative", "김대표", "이대표")]


def test_dates_amounts_kinds_and_empty_values_are_formatted(app):
    with app.test_request_context():  # Korean, the default
        changes = audit.changes(_entry("certification.update",
                                       {"kind": "preliminary_social_enterprise", "valid_to": None},
                                       {"kind": "social_enterprise", "valid_to": "2027-03-31"}))
        amounts = audit.changes(_entry("order.place", after={"total_krw": 1_100_000}))
    assert [(c.before, c.after) for c in changes] == [("예비사회적기업", "사회적기업(인증)"), ("—", "2027. 3. 31.")]
    assert amounts[0].after == "1,100,000원" and amounts[0].before is None


def test_a_targets_year_stays_as_context_and_its_category_is_named(app):
    with _english(app):
        text = audit.describe(_entry("target.set", {"year": 2026, "social_economy": None},
                                     {"year": 2026, "social_economy": {"basis": "amount", "amount_krw": 5_000_000}}))
    assert text.startswith("Year: 2026; Social economy (total): — → ")
    assert text.endswith("Target type: Amount, Amount: ₩5,000,000")


def test_a_percentage_target_is_shown_in_per_cent(app):
    with _english(app):
        changes = audit.changes(_entry("target.set", after={"year": 2026, "social_economy": {
            "basis": "percent", "rate_bp": 750}}))
    assert changes[1].after == "Target type: Percentage, Percentage: 7.5%"


def test_organisation_history_shows_no_raw_dicts(as_user, world):
    client = as_user(world.users.city)
    client.post("/language/en")
    client.post(f"/accounts/admin/organizations/{world.enterprise_a.id}/suspend", data={"note": "서류 위조"})
    html = client.get(f"/accounts/admin/organizations/{world.enterprise_a.id}").get_data(as_text=True)
    assert "{&#39;status&#39;" not in html and "{'status'" not in html
    assert "<del>Approved</del> → <ins>Suspended</ins>" in html


def test_order_history_shows_the_change_of_status(as_user, world):
    from market.procurement import services

    services.move_order(world.users.enterprise_a, world.order_x, "confirm", None)
    db.session.commit()
    client = as_user(world.users.agency_x)
    client.post("/language/en")
    html = client.get(f"/procurement/orders/{world.order_x.id}").get_data(as_text=True)
    assert "<del>Placed</del> → <ins>Confirmed</ins>" in html


def test_a_notice_history_shows_what_changed(as_user, world):
    from tests.content import factories

    notice = factories.notice(world.users.city, title="새 공고")
    audit.record(world.users.city, "notice.update", notice, before={"title": "옛 공고", "status": "draft"},
                 after={"title": "새 공고", "status": "published"})
    db.session.commit()
    client = as_user(world.users.city)
    client.post("/language/en")
    html = client.get(f"/notices/{notice.id}/edit").get_data(as_text=True)
    assert "<del>옛 공고</del> → <ins>새 공고</ins>" in html and "<del>Draft</del> → <ins>Published</ins>" in html


def test_a_request_history_shows_what_changed(as_user, world):
    audit.record(world.users.agency_x, "request.amend", world.request_x, before={"items": 1, "audience": "invited"},
                 after={"items": 2, "audience": "invited"}, note="수량 추가")
    db.session.commit()
    html = as_user(world.users.agency_x).get(f"/procurement/requests/{world.request_x.id}").get_data(as_text=True)
    assert "<del>1</del> → <ins>2</ins>" in html and "수량 추가" in html
