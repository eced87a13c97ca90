"""Uploaded files are recognised by their content and size, never by their name alone."""
from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from market.core import files
from market.core.errors import ValidationFailed
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
