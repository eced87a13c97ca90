"""Uploaded files are recognised by their content and size, never by their name alone."""
from __future__ import annotations

import io
import zipfile

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from market.core import files
from market.core.errors import ValidationFailed
from market.extensions import db
from tests import hostile_files
from tests.content import factories


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def zip_with(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return out.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
ACCEPTED = {
    "pdf": (factories.PDF, "공고문.pdf"),
    "hwp": (OLE + b"HWP Document File" + b"\x00" * 64, "신청서.hwp"),
    "hwpx": (zip_with({"mimetype": b"application/hwp+zip", "Contents/section0.xml": b"<x/>"}), "신청서.hwpx"),
    "docx": (zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), "계획서.docx"),
    "xlsx": (zip_with({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}), "예산.xlsx"),
    "pptx": (zip_with({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}), "발표.pptx"),
    "zip": (zip_with({"a.txt": b"a"}), "묶음.zip"),
    "png": (factories.png_bytes(), "사진.png"),
    "jpeg": (jpeg_bytes(), "사진.jpg"),
    "txt": ("안내문입니다.\n".encode(), "안내.txt"),
}


@pytest.mark.parametrize("kind", ACCEPTED)
def test_allowed_kinds_are_recognised_by_their_content(app, kind):
    data, name = ACCEPTED[kind]
    with app.app_context():
        assert files.read_upload(upload(data, name)).kind == kind


REFUSED = {
    "svg with script": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
                        "logo.svg"),
    "svg named as a png": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png"),
    "svg named as text": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "note.txt"),
    "html named as text": (b"<!DOCTYPE html><script>alert(1)</script>", "page.txt"),
    "html": (b"<html><body>hi</body></html>", "page.html"),
    "windows program": (b"MZ\x90\x00\x03" + b"\x00" * 100, "setup.exe"),
    "program named as a pdf": (b"MZ\x90\x00\x03" + b"\x00" * 100, "guide.pdf"),
    "old word document": (OLE + b"Microsoft Word", "old.doc"),
    "binary named as text": (b"\x00\x01\x02binary", "data.txt"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_other_content_is_refused(app, case):
    data, name = REFUSED[case]
    with app.app_context(), pytest.raises(ValidationFailed):
        files.read_upload(upload(data, name))


def test_a_name_that_contradicts_the_content_is_refused(app):
    with app.app_context(), pytest.raises(ValidationFailed):
        files.read_upload(upload(factories.PDF, "사진.png"))


def test_an_empty_file_is_refused(app):
    with app.app_context(), pytest.raises(ValidationFailed):
        files.read_upload(upload(b"", "빈파일.pdf"))


def test_a_file_over_the_size_limit_is_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_MAX_FILE_BYTES", 1024)
    with app.app_context(), pytest.raises(ValidationFailed):
        files.read_upload(upload(factories.PDF + b"0" * 2048, "큰파일.pdf"))


def test_the_default_limit_is_twenty_megabytes(app):
    with app.app_context():
        assert files.max_file_bytes() == 20 * 1024 * 1024


def test_photos_accept_only_png_and_jpeg(app):
    with app.app_context(), pytest.raises(ValidationFailed):
        files.read_upload(upload(factories.PDF, "사진.pdf"), files.IMAGE_KINDS)


def test_photos_are_written_anew_without_what_was_appended(app):
    tainted = factories.png_bytes() + b"<script>alert(1)</script>"
    with app.app_context():
        checked = files.read_upload(upload(tainted, "사진.png"), files.IMAGE_KINDS)
    assert checked.data.startswith(b"\x89PNG") and b"<script>" not in checked.data


def test_a_broken_image_is_refused(app):
    with app.app_context(), pytest.raises(ValidationFailed):
        files.read_upload(upload(b"\x89PNG\r\n\x1a\n" + b"broken", "사진.png"), files.IMAGE_KINDS)


def test_names_lose_folders_and_control_characters():
    assert files.clean_name("../../etc/pa\x00ss\nwd.txt") == "passwd.txt"
    assert files.clean_name("C:\\Users\\me\\신청서.hwp") == "신청서.hwp"


def test_very_long_names_keep_their_extension():
    name = files.clean_name("가" * 300 + ".pdf")
    assert len(name) == files.MAX_NAME and name.endswith(".pdf")


def test_stored_names_cannot_reach_outside_the_folder(app):
    with app.app_context(), pytest.raises(ValueError):
        files.key_of("../config.py")


def test_a_request_larger_than_the_limit_is_refused_before_reading(as_user, world):
    client = as_user(world.users.city)
    big = io.BytesIO(b"%PDF-" + b"0" * (20 * 1024 * 1024 + 1))
    response = client.post("/notices/new", data={"title": "큰 파일", "body": "본문", "category": "notice",
                                                 "attachments": [(big, "big.pdf")]},
                           content_type="multipart/form-data")
    assert response.status_code == 413


# --- archives are inspected, never inflated ---

LIMIT_SECONDS = 1.0
LIMIT_BYTES = 50 * 1024 * 1024


def test_a_zip_bomb_is_refused_within_a_second_and_fifty_megabytes(app):
    bomb = hostile_files.zip_bomb()  # ~1 MB whose `mimetype` member inflates to 1 GiB
    assert len(bomb) < 2 * 1024 * 1024
    with app.app_context(), force_locale("en"):
        with pytest.raises(ValidationFailed, match="unpacks to more than 200 MB"):
            files.read_upload(upload(bomb, "bomb.hwpx"))
        spent = hostile_files.cost(lambda: files.read_upload(upload(bomb, "bomb.hwpx")))
    assert spent.seconds < LIMIT_SECONDS and spent.peak_bytes < LIMIT_BYTES, spent


def test_a_zip_bomb_attached_to_an_order_message_is_refused_and_nothing_is_saved(as_user, world):
    from market.procurement.models import Message, ProcurementFile

    response = as_user(world.users.enterprise_a).post(
        f"/procurement/messages/order/{world.order_x.id}", content_type="multipart/form-data",
        data={"body": "첨부합니다", "attachments": [(io.BytesIO(hostile_files.zip_bomb()), "사진.zip")]},
        follow_redirects=True)
    assert "200MB를 넘습니다" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ProcurementFile)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0


def test_an_archive_listing_tens_of_thousands_of_members_is_refused_before_it_is_listed(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(files.MAX_ARCHIVE_MEMBERS + 1):
            archive.writestr(f"{number}.txt", b"")
    with app.app_context(), force_locale("en"):
        with pytest.raises(ValidationFailed, match="more than 10000 files"):
            files.read_upload(upload(out.getvalue(), "묶음.zip"))
        spent = hostile_files.cost(lambda: files.read_upload(upload(out.getvalue(), "묶음.zip")))
    assert spent.seconds < 0.1 and spent.peak_bytes < 1024 * 1024, "the directory is never listed"


def test_a_directory_larger_than_its_end_record_admits_is_refused(app):
    """The end record says one member; the directory behind it holds 20,000: its size gives it away."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(20_000):
            archive.writestr(f"{number:08d}-사진-이름이-꽤-긴-파일입니다-{number:08d}.jpg", b"")
    data = bytearray(out.getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8:end + 12] = (1).to_bytes(2, "little") * 2
    with app.app_context(), force_locale("en"):
        with pytest.raises(ValidationFailed, match="more than 10000 files"):
            files.read_upload(upload(bytes(data), "묶음.zip"))


def test_a_member_read_in_chunks_never_yields_more_than_its_declared_size(app):
    """What open_archive's caps rest on: a member that says 64 bytes but inflates to 64 MB stops at 64 and fails
    its checksum, having inflated almost nothing. (Read whole, zipfile would inflate it all first.)"""
    data = hostile_files.declare_size(hostile_files.zip_bomb("mimetype", 64 * 1024 * 1024), "mimetype", 64)
    with app.app_context(), force_locale("en"):
        with files.open_archive(data, files.MAX_ARCHIVE_UNPACKED) as archive:
            with pytest.raises(zipfile.BadZipFile, match="CRC"):
                files.prove_sizes(archive)
            assert hostile_files.cost(lambda: files.prove_sizes(archive)).peak_bytes < 1024 * 1024
