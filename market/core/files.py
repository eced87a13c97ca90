"""Uploaded files: recognised by their content (magic bytes), never by their name or the browser's word.

Allowed: PDF, HWP/HWPX, DOCX, XLSX, PPTX, ZIP, PNG, JPEG and plain text, at most CONTENT_MAX_FILE_BYTES
(20 MB). The name's extension must agree with the content. Photos (PNG/JPEG) are decoded and written
anew, which drops hidden metadata (GPS positions) and anything appended to the image.

Files are kept by `market.core.storage` (local disk, the database or a bucket) under "files/" with random
names. They are written when the service runs and removed if the transaction rolls back; a removed
attachment's file goes only once the deletion commits.
"""
from __future__ import annotations

import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from market.core import storage
from market.core.errors import ValidationFailed

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_NAME = 200
MAX_ARCHIVE_MEMBERS = 10_000  # a DOCX or HWPX holds tens; a ZIP of photos, hundreds
MAX_ARCHIVE_UNPACKED = 200 * 1024 * 1024  # an uploaded archive, unpacked: a ZIP bomb goes far beyond
_INFLATE_CHUNK = 64 * 1024
_END_RECORD = 22  # bytes of the end of central directory record, before its comment
_DIRECTORY_ENTRY_BYTES = 46 + 64  # a directory entry: its fixed part, a name and an extra field

# kind -> (content type, extensions the file's name may carry)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "hwp": ("application/x-hwp", ("hwp",)),
    "hwpx": ("application/hwp+zip", ("hwpx",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
    "zip": ("application/zip", ("zip",)),
    "png": ("image/png", ("png",)),
    "jpeg": ("image/jpeg", ("jpg", "jpeg")),
    "txt": ("text/plain", ("txt",)),  # its charset is read from the text itself (content_type)
}
DOCUMENT_KINDS = frozenset(KINDS)
IMAGE_KINDS = frozenset({"png", "jpeg"})
ACCEPT_DOCUMENTS = ".pdf,.hwp,.hwpx,.docx,.xlsx,.pptx,.zip,.png,.jpg,.jpeg,.txt"
ACCEPT_IMAGES = ".png,.jpg,.jpeg,image/png,image/jpeg"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = (b"<svg", b"<script", b"<html", b"<!doctype", b"<?xml", b"<iframe", b"<object")


@dataclass(frozen=True)
class Upload:
    """A checked file, still in memory: what the service stores."""

    data: bytes
    kind: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.data)


def max_file_bytes() -> int:
    return int(current_app.config.get("CONTENT_MAX_FILE_BYTES", MAX_FILE_BYTES))


def clean_name(name: str | None) -> str:
    """A display and download name: no folders, no control characters, NFC, at most MAX_NAME characters."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:MAX_NAME]
    return name or "file"


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


class ArchiveTooLarge(Exception):
    """A ZIP archive with more members, or more bytes once unpacked, than the site reads."""


def open_archive(data: bytes, max_unpacked: int | None = None) -> zipfile.ZipFile:
    """A ZIP archive opened for inspection; ArchiveTooLarge when its directory is too large to list or its
    members would unpack to more than `max_unpacked` bytes, BadZipFile when it is no archive.

    Listing reads the whole central directory: 20 MB of it names 250,000 members and costs 130 MB, so its size
    and count are read first from the end record, where zipfile looks for them. Nothing is inflated here.
    Read in chunks, a member never yields more than the size the directory declares (zipfile stops there and a
    longer content fails its checksum); read whole, zipfile inflates all of its compressed data first, so
    call `prove_sizes` before giving the archive to code that reads members whole."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - _END_RECORD - 0xFFFF))
    if end < 0 or len(data) < end + _END_RECORD:
        raise zipfile.BadZipFile("no end of central directory")
    members = int.from_bytes(data[end + 10:end + 12], "little")
    directory_size = int.from_bytes(data[end + 12:end + 16], "little")
    # A ZIP64 locator (before the end record) would replace these figures: only archives far larger than an
    # upload need one, so an archive with it is refused rather than listed.
    zip64 = data[max(0, end - 20):end].startswith(b"PK\x06\x07")
    if zip64 or members > MAX_ARCHIVE_MEMBERS or directory_size > MAX_ARCHIVE_MEMBERS * _DIRECTORY_ENTRY_BYTES:
        raise ArchiveTooLarge("too many members")
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS or (
            max_unpacked is not None and sum(info.file_size for info in infos) > max_unpacked):
        archive.close()
        raise ArchiveTooLarge("too large once unpacked")
    return archive


def prove_sizes(archive: zipfile.ZipFile) -> None:
    """Inflate every member in small chunks and throw the bytes away: a member longer than it declares fails
    its checksum (BadZipFile) at the declared size. Afterwards the declared sizes are true."""
    for info in archive.infolist():
        with archive.open(info) as member:
            while member.read(_INFLATE_CHUNK):
                pass


def _zip_kind(data: bytes) -> str | None:
    """The kind of a ZIP-based file from its member names (and HWPX's first 64 bytes of `mimetype`).
    ArchiveTooLarge goes up to the caller, which names the file."""
    try:
        with open_archive(data, MAX_ARCHIVE_UNPACKED) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(64).strip()
                if mimetype == b"application/hwp+zip":
                    return "hwpx"
            if "[Content_Types].xml" in names:
                for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                    if any(n.startswith(prefix) for n in names):
                        return kind
            return "zip"
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError, OSError, NotImplementedError, EOFError):
        return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            return False
    head = text[:4096].lower().encode("utf-8", "ignore")
    return not any(marker in head for marker in _MARKUP)


def detect_kind(data: bytes, name: str) -> str | None:
    """The kind the content proves, or None. The name decides only between look-alikes (HWP vs. other OLE)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return "hwp" if b"HWP Document File" in data else None
    if extension(name) == "txt" and _looks_like_text(data):
        return "txt"
    return None


def read_upload(storage, allowed: frozenset[str] = DOCUMENT_KINDS) -> Upload:
    """Check one uploaded file (a werkzeug FileStorage or any object with .stream and .filename)."""
    name = clean_name(getattr(storage, "filename", None))
    limit = max_file_bytes()
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed(_("“%(name)s” is larger than %(mb)d MB.", name=name, mb=limit // (1024 * 1024)))
    if not data:
        raise ValidationFailed(_("“%(name)s” is empty.", name=name))
    try:
        kind = detect_kind(data, name)
    except ArchiveTooLarge:
        raise ValidationFailed(_("“%(name)s” holds more than %(members)d files or unpacks to more than %(mb)d MB.",
                                 name=name, members=MAX_ARCHIVE_MEMBERS,
                                 mb=MAX_ARCHIVE_UNPACKED // (1024 * 1024))) from None
    if kind is None or kind not in allowed:
        if allowed == IMAGE_KINDS:
            raise ValidationFailed(_("“%(name)s” is not a PNG or JPEG photo.", name=name))
        raise ValidationFailed(_("“%(name)s” is not an allowed kind of file. Allowed: PDF, HWP, HWPX, DOCX, "
                                 "XLSX, PPTX, ZIP, PNG, JPEG, TXT.", name=name))
    if extension(name) not in KINDS[kind][1]:
        raise ValidationFailed(_("The name of “%(name)s” does not match its content (%(kind)s).",
                                 name=name, kind=kind.upper()))
    if kind in IMAGE_KINDS:
        data = _rewrite_image(data, kind, name)
    return Upload(data=data, kind=kind, original_name=name)


def _rewrite_image(data: bytes, kind: str, name: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationFailed(_("“%(name)s” has too many pixels.", name=name))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "jpeg":
                image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
            return out.getvalue()
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(_("“%(name)s” could not be read as an image.", name=name)) from None


# --- storage, tied to the transaction ---

def content_type(kind: str, data: bytes | None = None) -> str:
    """The Content-Type a stored file is served with; a text says its own charset (UTF-8, or the Korean
    Windows code page that _looks_like_text also accepts)."""
    if kind != "txt":
        return KINDS[kind][0]
    try:
        (data or b"").decode("utf-8")
    except UnicodeDecodeError:
        return "text/plain; charset=euc-kr"  # browsers read the euc-kr label as Windows-949 (cp949)
    return "text/plain; charset=utf-8"


def download(stored_name: str, kind: str, download_name: str | None = None, as_attachment: bool = True):
    """A stored file as a response the browser neither sniffs nor runs, or None if the file is missing."""
    data = storage.read(key_of(stored_name)) if kind == "txt" else None
    response = storage.send(key_of(stored_name), mimetype=KINDS[kind][0], download_name=download_name,
                            as_attachment=as_attachment, max_age=0, data=data)
    if response is None:
        return None
    response.headers["Content-Type"] = content_type(kind, data)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def attachment(stored_name: str, download_name: str, kind: str):
    """A stored file as a private download (404 when its file is missing)."""
    response = download(stored_name, kind, download_name)
    if response is None:
        current_app.logger.error("stored file %s is missing", stored_name)
        abort(404)
    return response


def new_stored_name(kind: str) -> str:
    return f"{secrets.token_hex(16)}.{KINDS[kind][1][0]}"


def is_stored_name(name: str) -> bool:
    stem, dot, ext = name.partition(".")
    return bool(dot) and len(stem) == 32 and all(c in "0123456789abcdef" for c in stem) and \
        any(ext == exts[0] for _, exts in KINDS.values())


def key_of(stored_name: str) -> str:
    if not is_stored_name(stored_name):
        raise ValueError("not a stored file name")
    return f"files/{stored_name}"


def write(session: Session, upload: Upload, stored_name: str) -> None:
    storage.save(session, key_of(stored_name), upload.data)


def read(stored_name: str) -> bytes | None:
    return storage.read(key_of(stored_name))


def remove_after_commit(session: Session, stored_name: str) -> None:
    storage.remove_after_commit(session, key_of(stored_name))
