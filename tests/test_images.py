"""Safe image uploads: what is accepted, what is refused, and what ends up on disk."""
from __future__ import annotations

import io
import os

import pytest
from flask_babel import force_locale
from PIL import Image, ImageCms
from werkzeug.datastructures import FileStorage

from market.core import storage
from market.core.errors import ValidationFailed
from market.extensions import db
from market.core.images import (
    MAX_PIXELS,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    THUMB_SIDE,
    StoredImage,
    delete_image,
    is_stored_name,
    store_image,
)

TOO_BIG = "The image is larger than 10 MB."
NOT_ACCEPTED = "This file is not an image we accept (JPEG, PNG, WebP or GIF)."
TOO_MANY_PIXELS = "The image has too many pixels: at most 40 million, e.g. 8000 × 5000."

SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script><rect width="10" height="10"/></svg>')
SCRIPT = b"<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def own_folder(app, tmp_path, monkeypatch):
    """Images stored on local disk in the test's own folder (UPLOAD_DIR/catalog), to look at what was written."""
    monkeypatch.setitem(app.extensions, "market.storage", storage.LocalStorage(tmp_path))


@pytest.fixture(autouse=True)
def english(db):
    """Messages in English (the site defaults to Korean); `db` already holds an app context."""
    with force_locale("en"):
        yield


def encode(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


def upload(data: bytes, filename: str = "photo.jpg", content_type: str = "image/jpeg") -> FileStorage:
    """What Flask hands a view for a file field: name and type are the client's claims, never trusted."""
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def opened(path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image


def refusal_message(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        store_image(upload(data).stream)
    return refused.value.message


def truncated_png() -> bytes:
    data = encode(Image.effect_noise((300, 300), 64).convert("RGB"), "PNG")
    return data[: len(data) // 2]


def png_with_bad_checksum() -> bytes:
    data = bytearray(encode(Image.new("RGB", (50, 50), "green"), "PNG"))
    idat = data.index(b"IDAT")
    data[idat + 8] ^= 0xFF  # a byte of the compressed pixels; the chunk's CRC no longer matches
    return bytes(data)


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG of a huge, blank image: a few kilobytes that would decode to width x height pixels."""
    return encode(Image.new("1", (width, height)), "PNG")


def exif_jpeg(orientation: int) -> bytes:
    """A 300x200 photo, left half red and right half blue, as a camera would tag it: rotated, located, signed."""
    image = Image.new("RGB", (300, 200), "blue")
    image.paste((255, 0, 0), (0, 0, 150, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SecretCam"  # Make
    exif[0x013B] = "Jane Doe"  # Artist
    exif.get_ifd(0x8825)[2] = (35.0, 58.0, 0.0)  # GPSLatitude
    return encode(image, "JPEG", exif=exif, comment=b"shot at home", quality=95)


# --- What is stored -------------------------------------------------------------------------------------------


def test_png_with_transparency_is_stored_as_jpeg_on_white_with_a_thumbnail(tmp_path):
    image = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (400, 0, 800, 600))

    stored = store_image(upload(encode(image, "PNG"), "logo.png", "image/png").stream)

    assert stored == StoredImage(stored.filename, stored.filename.replace(".jpg", "_thumb.jpg"), 800, 600)
    assert sorted(os.listdir(tmp_path / "catalog")) == sorted([stored.filename, stored.thumb_filename])
    main, thumb = opened(tmp_path / "catalog" / stored.filename), opened(tmp_path / "catalog" / stored.thumb_filename)
    assert (main.format, main.mode, main.size) == ("JPEG", "RGB", (800, 600))
    assert all(channel > 245 for channel in main.getpixel((100, 300)))  # transparent became white
    assert main.getpixel((600, 300))[0] > 180  # opaque red stayed red
    assert (thumb.format, thumb.mode) == ("JPEG", "RGB")
    assert thumb.size == (THUMB_SIDE, 300)


def test_stored_names_are_random_and_recognised(tmp_path):
    data = encode(Image.new("RGB", (10, 10), "white"), "PNG")

    first = store_image(io.BytesIO(data))
    second = store_image(io.BytesIO(data))

    assert first.filename != second.filename
    assert all(is_stored_name(name) for name in (first.filename, first.thumb_filename, second.filename))
    assert first.thumb_filename == first.filename[:-len(".jpg")] + "_thumb.jpg"


def test_big_image_is_downscaled_so_its_longest_side_is_at_most_max_side(tmp_path):
    image = Image.linear_gradient("L").resize((5000, 1000)).convert("RGB")

    stored = store_image(io.BytesIO(encode(image, "JPEG")))

    assert (stored.width, stored.height) == (MAX_SIDE, 400)
    assert opened(tmp_path / "catalog" / stored.filename).size == (MAX_SIDE, 400)
    assert opened(tmp_path / "catalog" / stored.thumb_filename).size == (THUMB_SIDE, 80)


def test_tall_image_is_bounded_by_its_height(tmp_path):
    stored = store_image(io.BytesIO(encode(Image.new("RGB", (1500, 3000), "gray"), "PNG")))

    assert (stored.width, stored.height) == (1000, MAX_SIDE)
    assert opened(tmp_path / "catalog" / stored.thumb_filename).size == (200, THUMB_SIDE)


def test_small_image_is_not_enlarged(tmp_path):
    stored = store_image(io.BytesIO(encode(Image.new("RGB", (120, 80), "gray"), "PNG")))

    assert (stored.width, stored.height) == (120, 80)
    assert opened(tmp_path / "catalog" / stored.thumb_filename).size == (120, 80)


@pytest.mark.parametrize("format, mode", [("JPEG", "RGB"), ("PNG", "P"), ("WEBP", "RGBA"), ("GIF", "P")])
def test_each_accepted_format_is_stored_as_jpeg(tmp_path, format, mode):
    image = Image.new("RGB", (64, 48), "orange").convert(mode)

    stored = store_image(io.BytesIO(encode(image, format)))

    assert opened(tmp_path / "catalog" / stored.filename).format == "JPEG"
    assert (stored.width, stored.height) == (64, 48)


def test_format_is_detected_from_content_not_from_the_name(tmp_path):
    png = encode(Image.new("RGB", (30, 20), "green"), "PNG")

    stored = store_image(upload(png, "holiday.gif", "image/gif").stream)

    assert opened(tmp_path / "catalog" / stored.filename).format == "JPEG"


def test_sixteen_bit_greyscale_png_keeps_its_tones(tmp_path):
    grey = Image.new("I;16", (40, 40), 0x8000)

    stored = store_image(io.BytesIO(encode(grey, "PNG")))

    assert all(abs(channel - 128) <= 2 for channel in opened(tmp_path / "catalog" / stored.filename).getpixel((20, 20)))


def test_cmyk_jpeg_is_stored_as_rgb(tmp_path):
    cmyk = Image.new("CMYK", (40, 40), (0, 255, 255, 0))  # red ink

    stored = store_image(io.BytesIO(encode(cmyk, "JPEG")))

    red, green, blue = opened(tmp_path / "catalog" / stored.filename).getpixel((20, 20))
    assert opened(tmp_path / "catalog" / stored.filename).mode == "RGB"
    assert red > 200 and green < 60 and blue < 60


# --- Metadata ---------------------------------------------------------------------------------------------------


def test_exif_orientation_is_applied_to_the_pixels(tmp_path):
    # Orientation 6: the camera was turned; viewers rotate 90 degrees clockwise, so left (red) becomes top.
    stored = store_image(io.BytesIO(exif_jpeg(orientation=6)))

    main = opened(tmp_path / "catalog" / stored.filename)
    assert (stored.width, stored.height) == main.size == (200, 300)
    assert main.getpixel((100, 60))[0] > 200  # top is red
    assert main.getpixel((100, 240))[2] > 200  # bottom is blue


def test_exif_and_comments_are_stripped(tmp_path):
    stored = store_image(io.BytesIO(exif_jpeg(orientation=6)))

    for name in (stored.filename, stored.thumb_filename):
        raw = (tmp_path / "catalog" / name).read_bytes()
        image = opened(tmp_path / "catalog" / name)
        assert not image.getexif()
        assert {"exif", "comment", "icc_profile", "xmp"}.isdisjoint(image.info)
        for secret in (b"Exif", b"SecretCam", b"Jane Doe", b"shot at home"):
            assert secret not in raw


def test_png_text_chunks_are_stripped(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", "Jane Doe")
    text.add_text("Comment", "private note")

    stored = store_image(io.BytesIO(encode(Image.new("RGB", (20, 20), "white"), "PNG", pnginfo=text)))

    raw = (tmp_path / "catalog" / stored.filename).read_bytes()
    assert b"Jane Doe" not in raw and b"private note" not in raw


def test_colour_profile_is_not_kept_and_colours_survive(tmp_path):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (20, 20), (255, 0, 0))

    stored = store_image(io.BytesIO(encode(image, "JPEG", icc_profile=icc, quality=95)))

    main = opened(tmp_path / "catalog" / stored.filename)
    assert "icc_profile" not in main.info
    red, green, blue = main.getpixel((10, 10))
    assert red > 240 and green < 20 and blue < 20


# --- What is refused --------------------------------------------------------------------------------------------


def test_script_named_like_a_jpeg_is_refused(tmp_path):
    assert refusal_message(SCRIPT) == NOT_ACCEPTED


def test_svg_is_refused(tmp_path):
    with pytest.raises(ValidationFailed) as refused:
        store_image(upload(SVG, "logo.svg", "image/svg+xml").stream)
    assert refused.value.message == NOT_ACCEPTED


def test_truncated_png_is_refused(tmp_path):
    assert refusal_message(truncated_png()) == NOT_ACCEPTED


def test_png_with_corrupt_data_is_refused(tmp_path):
    assert refusal_message(png_with_bad_checksum()) == NOT_ACCEPTED


def test_empty_upload_is_refused(tmp_path):
    assert refusal_message(b"") == NOT_ACCEPTED


def test_image_format_pillow_reads_but_we_do_not_accept_is_refused(tmp_path):
    bmp = encode(Image.new("RGB", (20, 20), "red"), "BMP")

    assert refusal_message(bmp) == NOT_ACCEPTED


def test_upload_over_10_mb_is_refused(tmp_path):
    too_big = encode(Image.new("RGB", (10, 10)), "PNG").ljust(MAX_UPLOAD_BYTES + 1, b"\0")

    assert refusal_message(too_big) == TOO_BIG


def test_upload_of_exactly_10_mb_is_not_refused_for_its_size(tmp_path):
    # Trailing bytes after IEND are ignored by PNG readers: the size limit is inclusive.
    exactly = encode(Image.new("RGB", (10, 10)), "PNG").ljust(MAX_UPLOAD_BYTES, b"\0")

    stored = store_image(io.BytesIO(exactly))

    assert (stored.width, stored.height) == (10, 10)


def test_endless_upload_is_refused_without_reading_it_all(tmp_path):
    class Endless(io.RawIOBase):
        """A stream that never ends, counting what is taken from it."""

        taken = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[:] = b"\xff" * len(buffer)
            self.taken += len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(ValidationFailed) as refused:
        store_image(stream)

    assert refused.value.message == TOO_BIG
    assert MAX_UPLOAD_BYTES < stream.taken <= MAX_UPLOAD_BYTES + 1


def test_decompression_bomb_is_refused(tmp_path):
    bomb = png_declaring(20_000, 20_000)  # 400 megapixels in a few kilobytes
    assert len(bomb) < 1024 * 1024

    assert refusal_message(bomb) == TOO_MANY_PIXELS


def test_image_just_over_the_pixel_limit_is_refused(tmp_path):
    # Below Pillow's own bomb threshold, so only our limit stops it.
    assert refusal_message(png_declaring(10_000, MAX_PIXELS // 10_000 + 1)) == TOO_MANY_PIXELS


REFUSED_UPLOADS = {
    "script": SCRIPT,
    "svg": SVG,
    "truncated png": truncated_png(),
    "too big": b"\xff" * (MAX_UPLOAD_BYTES + 1),
    "bomb": png_declaring(20_000, 20_000),
}


@pytest.mark.parametrize("data", REFUSED_UPLOADS.values(), ids=REFUSED_UPLOADS.keys())
def test_nothing_is_left_in_the_directory_after_a_refusal(tmp_path, data):
    with pytest.raises(ValidationFailed):
        store_image(io.BytesIO(data))

    assert list(tmp_path.iterdir()) == []


def test_refusal_does_not_create_the_directory(tmp_path):
    with pytest.raises(ValidationFailed):
        store_image(io.BytesIO(SCRIPT))

    assert not (tmp_path / "catalog").exists()


def test_missing_directory_is_created(tmp_path):
    stored = store_image(io.BytesIO(encode(Image.new("RGB", (10, 10)), "PNG")))

    assert (tmp_path / "catalog" / stored.filename).is_file()


def test_a_rolled_back_upload_leaves_no_image(tmp_path):
    store_image(io.BytesIO(encode(Image.new("RGB", (10, 10)), "PNG")))
    db.session.rollback()

    assert list((tmp_path / "catalog").iterdir()) == []


# --- Deleting and names -----------------------------------------------------------------------------------------


def test_delete_image_removes_the_image_and_its_thumbnail(tmp_path):
    stored = store_image(io.BytesIO(encode(Image.new("RGB", (10, 10)), "PNG")))

    delete_image(stored.filename, stored.thumb_filename)
    db.session.commit()

    assert list((tmp_path / "catalog").iterdir()) == []


def test_delete_image_ignores_files_already_gone(tmp_path):
    delete_image("0" * 32 + ".jpg", "0" * 32 + "_thumb.jpg")
    db.session.commit()


@pytest.mark.parametrize("name", ["../etc/passwd", "../" + "a" * 32 + ".jpg", "/etc/passwd", "notes.txt"])
def test_delete_image_refuses_names_it_did_not_generate_and_deletes_nothing(tmp_path, name):
    stored = store_image(io.BytesIO(encode(Image.new("RGB", (10, 10)), "PNG")))

    with pytest.raises(ValueError):
        delete_image(stored.filename, name)
    db.session.commit()

    assert (tmp_path / "catalog" / stored.filename).exists()


@pytest.mark.parametrize("name", ["0123456789abcdef0123456789abcdef.jpg", "0123456789abcdef0123456789abcdef_thumb.jpg"])
def test_generated_names_are_recognised(name):
    assert is_stored_name(name)


@pytest.mark.parametrize("name", [
    "../etc/passwd",
    "../0123456789abcdef0123456789abcdef.jpg",
    "sub/0123456789abcdef0123456789abcdef.jpg",
    "0123456789ABCDEF0123456789ABCDEF.jpg",
    "0123456789abcdef0123456789abcdef.jpg\n",
    "0123456789abcdef0123456789abcdef.png",
    "0123456789abcdef0123456789abcde.jpg",
    ".0123456789abcdef0123456789abcdef.jpg.1a2b3c4d.tmp",
    "",
    None,
])
def test_other_names_are_not_recognised(name):
    assert not is_stored_name(name)
