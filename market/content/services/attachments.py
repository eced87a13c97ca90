"""Files attached to notices, resources and community posts: checked by their content, then stored."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from market.content.models import PUBLISHED, Attachment, Resource
from market.content.permissions import can_change_attachment
from market.core import audit, files
from market.core.errors import NotAllowed, ValidationFailed
from market.extensions import db

MAX_ATTACHMENTS = 10


def _check_uploads(storages, allowed=files.DOCUMENT_KINDS) -> list[files.Upload]:
    return [files.read_upload(storage, allowed) for storage in storages or () if storage and storage.filename]


def _attach(actor, uploads: list[files.Upload], **owner) -> list[Attachment]:
    added = []
    for upload in uploads:
        stored_name = files.new_stored_name(upload.kind)
        attachment = Attachment(stored_name=stored_name, original_name=upload.original_name, kind=upload.kind,
                                size_bytes=upload.size, uploaded_by_id=getattr(actor, "id", None), **owner)
        files.write(db.session, upload, stored_name)
        db.session.add(attachment)
        added.append(attachment)
    if added:
        db.session.flush()
        for attachment in added:
            audit.record(actor, "attachment.upload", attachment,
                         after={"name": attachment.original_name, "kind": attachment.kind,
                                "size_bytes": attachment.size_bytes, **{k: v for k, v in owner.items()}})
    return added


def _forget_files(attachments) -> None:
    for attachment in attachments:
        files.remove_after_commit(db.session, attachment.stored_name)


def remove_attachment(actor, attachment: Attachment) -> None:
    if not can_change_attachment(actor, attachment):
        raise NotAllowed(_("You may not remove this file."))
    owner = attachment.owner
    if isinstance(owner, Resource) and owner.status == PUBLISHED and len(owner.attachments) <= 1:
        raise ValidationFailed(_("A published resource needs at least one file. Upload another file first, "
                                 "or save the resource as a draft."))
    audit.record(actor, "attachment.remove", attachment,
                 before={"name": attachment.original_name, "kind": attachment.kind})
    files.remove_after_commit(db.session, attachment.stored_name)
    db.session.delete(attachment)
    db.session.flush()


def record_download(attachment: Attachment) -> None:
    db.session.execute(sa.update(Attachment).where(Attachment.id == attachment.id)
                       .values(download_count=Attachment.download_count + 1))
