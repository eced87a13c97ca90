"""The portal's demo content: realistic, loaded once, with open calls around today."""
from __future__ import annotations

from market.content import services
from market.content.demo import load_demo_content, pdf_document
from market.content.models import Attachment, CommunityPost, GuidePage, Notice, Resource
from market.demo.loader import load_demo


def count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_demo_content_is_loaded_once(db):
    load_demo()  # the demo city (which may already load the portal's content itself)
    load_demo_content()
    db.session.commit()
    before = {model: count(db, model) for model in (Notice, Resource, GuidePage, CommunityPost, Attachment)}
    assert before[Notice] >= 6 and before[Resource] >= 2 and before[GuidePage] >= 4 and before[CommunityPost] >= 2
    assert sum(load_demo_content().values()) == 0
    assert {model: count(db, model) for model in before} == before


def test_demo_has_open_calls_an_education_notice_and_a_scheduled_notice(db, world):
    load_demo_content()  # the support center of `world` writes it
    db.session.commit()
    assert len(services.open_calls(10)) >= 2
    notices = db.session.scalars(db.select(Notice)).all()
    assert any(n.category == "education" for n in notices)
    assert any(n.publication_code == "scheduled" for n in notices)
    assert db.session.scalar(db.select(GuidePage).where(GuidePage.slug == "social-enterprise")).is_public()
    assert all(r.attachments for r in db.session.scalars(db.select(Resource)))


def test_demo_files_are_real_files_of_their_kind(db, world):
    load_demo_content()
    from market.core import files

    for attachment in db.session.scalars(db.select(Attachment)):
        data = files.read(attachment.stored_name)
        assert files.detect_kind(data, attachment.original_name) == attachment.kind


def test_without_the_demo_city_nothing_is_created(db):
    assert sum(load_demo_content().values()) == 0


def test_generated_pdfs_have_a_cross_reference_table():
    data = pdf_document("Title (with parentheses)", ["line one"])
    assert data.startswith(b"%PDF-1.4") and b"startxref" in data and data.rstrip().endswith(b"%%EOF")
