"""Every portal form carries a CSRF token, and a forged one changes nothing."""
from __future__ import annotations

from market import create_app
from market.content.models import Notice
from tests.conftest import login
from tests.content import factories


def csrf_app(database_url, app):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True,
                       "UPLOAD_DIR": app.config["UPLOAD_DIR"]})


def test_a_forged_token_is_refused_and_publishes_nothing(database_url, app, db, world):
    client = login(csrf_app(database_url, app).test_client(), world.users.city)
    response = client.post("/notices/new", data={"csrf_token": "forged", "category": "notice", "title": "가짜 공지",
                                                  "body": "본문", "save_as": "publish", "action": "save"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Notice)) == 0


def test_every_editor_form_carries_a_token(database_url, app, db, world):
    post = factories.post(world.users.enterprise_a)
    notice = factories.notice(world.users.city)
    factories.attachment(notice)
    db.session.commit()
    csrf = csrf_app(database_url, app)
    pages = {world.users.city: ["/notices/new", f"/notices/{notice.id}/edit", f"/notices/{notice.id}",
                                "/resources/new", "/guides/new", f"/community/{post.id}"],
             world.users.enterprise_a: ["/community/new", f"/community/{post.id}/edit", f"/community/{post.id}"]}
    for user, paths in pages.items():
        client = login(csrf.test_client(), user)
        for path in paths:
            html = client.get(path).get_data(as_text=True)
            forms = html.count("<form")
            # the search forms use GET and carry no token; every POST form does
            assert html.count('method="post"') == html.count('name="csrf_token"'), path
            assert forms >= 1, path
