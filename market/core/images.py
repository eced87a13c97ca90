"""Safe image uploads: listing images and enterprise logos.

An upload is trusted for nothing. Its size is bounded before it is read in full, its format is detected
from its content (never from the file name or the browser's content type), its declared pixel count is
checked before any pixel is decoded, and what is stored is a fresh JPEG re-encoded by Pillow: upright,
in sRGB, without transparency and without any metadata (EXIF with GPS, comments, ICC profiles), at most
MAX_SIDE pixels on its longest side, with a thumbnail of at most THUMB_SIDE. Stored files (`market.core.storage`,
area "catalog") get random names, so nothing the uploader chose ever names a file; `is_stored_name` recognises
them.
"""
from __future__ import annotations

import io
import re
import secrets
import struct
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from market.core import storage
from market.core.errors import ValidationFailed
from market.extensions import db

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
THUMB_SIDE = 400

JPEG_QUALITY = 85

# The Pillow plugins allowed to open an upload. A JPEG holding several pictures (some phone cameras
# write these) is reported by Pillow as "MPO"; it is still a JPEG, and only its first picture is kept.
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
_ACCEPTED_FORMATS = frozenset(_OPEN_FORMATS) | {"MPO"}

# What Pillow raises on malformed input.
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

_STORED_NAME = re.compile(r"[0-9a-f]{32}(_thumb)?\.jpg")
_READ_CHUNK = 64 * 1024
_WHITE = (255, 255, 255)


@dataclass(frozen=True)
class StoredImage:
    filename: str
    thumb_filename: str
    width: int
    height: int


def is_stored_name(name: str) -> bool:
    """Whether `name` is a file name `store_image` could have generated (and so safe to join to its folder)."""
    return isinstance(name, str) and _STORED_NAME.fullmatch(name) is not None


def key_of(name: str) -> str:
    if not is_stored_name(name):
        raise ValueError(f"not a stored image name: {name!r}")
    return f"catalog/{name}"


def store_image(stream) -> StoredImage:
    """Validate an uploaded image, re-encode it as a JPEG plus a thumbnail, store both (`market.core.storage`,
    area "catalog", removed again if the transaction rolls back), and describe them.

    Raises ValidationFailed, with a message for the uploader, if the upload is refused; nothing is written then.
    """
    data = _read_bounded(stream)
    image = _decode(data)
    image = _normalise(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    main_bytes, thumb_bytes = _encode(image), _encode(thumb)

    stem = secrets.token_hex(16)
    stored = StoredImage(filename=f"{stem}.jpg", thumb_filename=f"{stem}_thumb.jpg",
                         width=image.width, height=image.height)
    storage.save(db.session, key_of(stored.filename), main_bytes)
    storage.save(db.session, key_of(stored.thumb_filename), thumb_bytes)
    return stored


def read_image(name: str) -> bytes | None:
    return storage.read(key_of(name))


def delete_image(*filenames: str) -> None:
    """Remove stored images once the transaction commits. Refuses, deleting nothing, any name not generated here."""
    keys = [key_of(name) for name in filenames]
    for key in keys:
        storage.remove_after_commit(db.session, key)


def _too_big() -> ValidationFailed:
    return ValidationFailed(_("The image is larger than 10 MB."))


def _not_accepted() -> ValidationFailed:
    return ValidationFailed(_("This file is not an image we accept (JPEG, PNG, WebP or GIF)."))


def _too_many_pixels() -> ValidationFailed:
    # The limit is an area, not a side: an example shape of it says more than "40 million pixels" alone.
    width = 8000
    return ValidationFailed(_("The image has too many pixels: at most %(millions)d million, e.g. %(width)d × "
                              "%(height)d.", millions=MAX_PIXELS // 1_000_000, width=width, height=MAX_PIXELS // width))


def _read_bounded(stream) -> bytes:
    """The stream's bytes; reads at most MAX_UPLOAD_BYTES + 1 of them, and refuses the upload if that many came."""
    buffer = bytearray()
    while len(buffer) <= MAX_UPLOAD_BYTES:
        chunk = stream.read(min(_READ_CHUNK, MAX_UPLOAD_BYTES + 1 - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    if len(buffer) > MAX_UPLOAD_BYTES:
        raise _too_big()
    return bytes(buffer)


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _decode(data: bytes) -> Image.Image:
    """The upload decoded, after checking its format and declared size (headers only) and verifying it.

    Pillow's global Image.MAX_IMAGE_PIXELS is left alone (it is shared by the whole process): the declared
    size is compared with MAX_PIXELS before anything is decoded; Pillow's own, higher, bomb limit is a backstop.
    """
    try:
        with Image.open(io.BytesIO(data), formats=_OPEN_FORMATS) as probe:
            if probe.format not in _ACCEPTED_FORMATS:
                raise _not_accepted()
            _check_pixels(probe)
            probe.verify()
        # verify() leaves the image unusable: decode from a fresh open.
        image = Image.open(io.BytesIO(data), formats=_OPEN_FORMATS)
        _check_pixels(image)
        if image.format in ("JPEG", "MPO"):
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # let libjpeg decode big photos at a reduced scale
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except _DECODE_ERRORS:
        raise _not_accepted() from None
    return image


def _normalise(image: Image.Image) -> Image.Image:
    """Upright, sRGB, RGB without transparency (flattened on white), and no metadata kept in `info`."""
    try:
        image = ImageOps.exif_transpose(image)
    except (*_DECODE_ERRORS, KeyError, TypeError):
        pass  # unreadable orientation: keep the picture as it was drawn
    icc_profile = image.info.get("icc_profile")

    if image.mode.startswith("I"):  # 16-bit greyscale PNG: keep the 8 high bits
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    output_mode = "RGBA" if has_alpha else "RGB"
    if image.mode not in (output_mode, "CMYK"):
        image = image.convert(output_mode)
    if icc_profile:
        image = _to_srgb(image, icc_profile, output_mode)
    if image.mode != output_mode:  # CMYK without a usable profile
        image = image.convert(output_mode)
    if has_alpha:
        background = Image.new("RGB", image.size, _WHITE)
        background.paste(image, mask=image.getchannel("A"))
        image = background
    image.info = {}  # Pillow would write some of it (e.g. a comment) into the JPEG
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes, output_mode: str) -> Image.Image:
    """The colours converted from the embedded profile to sRGB, since the profile is not kept."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                              outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken or unsuitable profile (e.g. a greyscale one): keep the colours as they are
    return converted if converted is not None else image


def _encode(image: Image.Image) -> bytes:
    """The image as a baseline JPEG with no metadata at all (no EXIF, ICC profile or comment is passed)."""
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
