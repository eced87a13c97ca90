"""Guide pages (certification and designation procedures): edited by the support center, read by all."""
from __future__ import annotations

import pytest

from market.content import services
from market.content.models import GuidePage
from market.core.errors import ValidationFailed
from tests.content import factories


def page_data(**overrides) -> services.PageData:
    values = {"slug": "village-enterprise", "title": "마을기업 지정 절차", "summary": None, "body": "1. 신청",
              "position": 0, "publication": services.Publication(True)}
    values.update(overrides)
    return services.PageData(**values)


def test_a_page_is_read_at_its_address(client, db):
    factories.page(slug="social-enterprise", title="사회적기업 인증 절차", body="## 요건\n\n1. 조직 형태")
    db.session.commit()
    response = client.get("/guides/social-enterprise")
    assert response.status_code == 200
    assert "사회적기업 인증 절차" in response.text and "<h3>요건</h3>" in response.text


def test_anonymous_cannot_see_a_draft_page(client, db):
    factories.page(slug="draft-guide", status="draft", title="초안 안내")
    db.session.commit()
    assert client.get("/guides/draft-guide").status_code == 404
    assert "초안 안내" not in client.get("/guides").text


def test_an_unknown_address_is_not_found(client):
    assert client.get("/guides/nothing-here").status_code == 404


def test_admin_writes_a_page(as_user, world, db):
    response = as_user(world.users.city).post("/guides/new", data={
        "title": "협동조합 설립", "slug": "cooperative", "summary": "", "body": "발기인 5인 이상", "position": "2",
        "save_as": "publish", "action": "save"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/guides/cooperative")
    assert db.session.scalar(db.select(GuidePage)).position == 2


def test_an_enterprise_cannot_edit_a_page(as_user, world, db):
    page = factories.page()
    db.session.commit()
    assert as_user(world.users.enterprise_a).get(f"/guides/{page.id}/edit").status_code == 403


def test_two_pages_cannot_share_an_address(world, db):
    factories.page(slug="village-enterprise")
    with pytest.raises(ValidationFailed):
        services.create_page(world.users.city, page_data())


@pytest.mark.parametrize("slug", ["New", "new", "with space", "-dash", "한글", "a/b"])
def test_addresses_are_plain_lowercase_words(world, slug):
    with pytest.raises(ValidationFailed):
        services.create_page(world.users.city, page_data(slug=slug))


def test_pages_are_listed_in_their_order(client, db):
    factories.page(slug="second", title="둘째 안내", position=2)
    factories.page(slug="first", title="첫째 안내", position=1)
    db.session.commit()
    text = client.get("/guides").text
    assert text.index("첫째 안내") < text.index("둘째 안내")
