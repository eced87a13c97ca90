"""Factories for the portal's content: published by default, overridable by keyword."""
from __future__ import annotations

import io
import itertools
from datetime import timedelta

from market.core import files
from market.content.models import Attachment, CommunityPost, GuidePage, Notice, Resource
from market.core.timeutil import utcnow
from market.extensions import db

_sequence = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(8, 6), color=(11, 110, 79)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def _published(fields: dict) -> dict:
    fields.setdefault("status", "published")
    if fields["status"] == "published":
        fields.setdefault("published_at", utcnow() - timedelta(hours=1))
    return fields


def notice(author=None, **fields) -> Notice:
    n = next(_sequence)
    fields.setdefault("category", "notice")
    fields.setdefault("title", f"공지 {n}")
    fields.setdefault("body", "본문입니다.")
    item = Notice(author_id=getattr(author, "id", None), **_published(fields))
    db.session.add(item)
    db.session.flush()
    return item


def resource(author=None, **fields) -> Resource:
    n = next(_sequence)
    fields.setdefault("category", "form")
    fields.setdefault("title", f"자료 {n}")
    fields.setdefault("body", "설명")
    item = Resource(author_id=getattr(author, "id", None), **_published(fields))
    db.session.add(item)
    db.session.flush()
    return item


def page(**fields) -> GuidePage:
    n = next(_sequence)
    fields.setdefault("slug", f"guide-{n}")
    fields.setdefault("title", f"안내 {n}")
    fields.setdefault("body", "## 절차\n\n1. 신청")
    item = GuidePage(**_published(fields))
    db.session.add(item)
    db.session.flush()
    return item


def post(author, **fields) -> CommunityPost:
    n = next(_sequence)
    fields.setdefault("title", f"소식 {n}")
    fields.setdefault("body", "우리 기업 소식")
    fields.setdefault("moderation", "visible")
    item = CommunityPost(organization_id=author.organization_id, author_id=author.id, **_published(fields))
    db.session.add(item)
    db.session.flush()
    return item


def attachment(owner, data: bytes = PDF, name: str = "안내서.pdf", kind: str = "pdf", **fields) -> Attachment:
    stored_name = files.new_stored_name(kind)
    files.write(db.session, files.Upload(data, kind, name), stored_name)
    owner_key = {Notice: "notice_id", Resource: "resource_id", CommunityPost: "community_post_id"}[type(owner)]
    item = Attachment(stored_name=stored_name, original_name=name, kind=kind, size_bytes=len(data),
                      **{owner_key: owner.id}, **fields)
    db.session.add(item)
    db.session.flush()
    db.session.refresh(owner)
    return item
