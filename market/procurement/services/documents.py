"""Documents attached to requests, quotes and messages: checked by their content, then stored."""
from __future__ import annotations

from flask_babel import gettext as _

from market.core import audit, files
from market.core.errors import ValidationFailed
from market.extensions import db
from market.procurement.models import ProcurementFile

MAX_FILES = 5


def attach_files(actor, storages, **owner) -> list[ProcurementFile]:
    """Check every uploaded file by its content first, then store them all (or, on error, none)."""
    uploads = [files.read_upload(s) for s in storages or () if s and getattr(s, "filename", None)]
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("At most %(max)d files.", max=MAX_FILES))
    added = []
    for upload in uploads:
        stored_name = files.new_stored_name(upload.kind)
        files.write(db.session, upload, stored_name)
        document = ProcurementFile(stored_name=stored_name, original_name=upload.original_name, kind=upload.kind,
                                   size_bytes=upload.size, uploaded_by_id=actor.id, **owner)
        db.session.add(document)
        added.append(document)
    db.session.flush()
    for document in added:
        audit.record(actor, "file.upload", document, after={"name": document.original_name, **owner})
    return added
