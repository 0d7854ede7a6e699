"""Photo checks for demands (and task evidence): type by content (not extension), size, decompression bombs, EXIF
removal, and the two copies kept of each photo.

Every accepted photo is decoded and re-encoded, which drops EXIF (GPS location included) and any trailing data;
the phone's orientation is applied first, so the picture stands the right way up without it. What is stored is a
copy at most `STORED_SIDE` px on its long side (a 4000 × 3000 phone photo of 5–6 MB becomes about 1600 × 1200 and
a few hundred KB), and beside it a thumbnail of `THUMB_SIDE` px that pages show; the stored copy opens on a tap.
Its SHA-256 — the one events and the 一事一档 dossier record — is of the stored copy, the bytes anyone can download.
A location the resident chose to share is kept in the demand's own latitude/longitude fields, never in the file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils.translation import gettext
from PIL import Image, ImageOps

from yishiting.common.errors import DomainError
from yishiting.common.uploads import PHOTO_MAX_BYTES

MAX_PHOTOS = 9
MAX_BYTES = PHOTO_MAX_BYTES
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo is fine; more is a decompression bomb
STORED_SIDE = 1600  # the long side of the stored copy
THUMB_SIDE = 320  # the long side of a thumbnail: sharp in the three-column grid on a 2× phone screen
THUMB_QUALITY = 70
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str
    thumbnail: bytes  # a JPEG, THUMB_SIDE px on its long side at most


def _error(index: int, message: str) -> DomainError:
    return DomainError("invalid_photo", gettext('第 %(index)s 张照片%(message)s') % {"index": index, "message": message}, details={"field": "photos", "index": index})


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, fmt, optimize=True)
    return out.getvalue()


def thumbnail_jpeg(image: Image.Image) -> bytes:
    """A small JPEG of the picture (transparent parts on white), for lists and the demand page."""
    small = image.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    if small.mode in ("RGBA", "LA", "P"):
        small = small.convert("RGBA")
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    out = io.BytesIO()
    small.convert("RGB").save(out, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return out.getvalue()


def clean_photo(raw: bytes, index: int = 1, *, max_side: int = STORED_SIDE, max_bytes: int = MAX_BYTES) -> CleanPhoto:
    """The stored copy (at most `max_side` px on its long side) and thumbnail of a photo, or DomainError."""
    if len(raw) > max_bytes:
        raise _error(index, gettext('超过 %(max_bytes)s MB。') % {"max_bytes": max_bytes // (1024 * 1024)})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise _error(index, gettext("不是 JPEG、PNG 或 WebP 图片。"))
                if probe.width * probe.height > MAX_PIXELS:
                    raise _error(index, gettext("像素过大（可能是恶意构造的图片）。"))
                probe.verify()
            with Image.open(io.BytesIO(raw)) as opened:
                if fmt == "JPEG":
                    opened.draft("RGB", (max_side, max_side))  # decode at a fraction of the size: faster
                opened.load()
                image = ImageOps.exif_transpose(opened)
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                data = _encode(image, fmt)
                thumbnail = thumbnail_jpeg(image)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(index, gettext("像素过大（可能是恶意构造的图片）。")) from None
    except Exception:
        raise _error(index, gettext("无法识别，请上传 JPEG、PNG 或 WebP 图片。")) from None
    return CleanPhoto(data=data, content_type=FORMATS[fmt], extension=EXTENSIONS[fmt], width=image.width,
                      height=image.height, sha256=hashlib.sha256(data).hexdigest(), thumbnail=thumbnail)


def clean_photos(raws: list[bytes]) -> list[CleanPhoto]:
    if len(raws) > MAX_PHOTOS:
        raise DomainError("too_many_photos", gettext('最多上传 %(max_photos)s 张照片。') % {"max_photos": MAX_PHOTOS}, details={"field": "photos"})
    return [clean_photo(raw, i) for i, raw in enumerate(raws, start=1)]


def thumbnail_file(photo: CleanPhoto) -> ContentFile:
    return ContentFile(photo.thumbnail, name=f"{photo.sha256[:16]}.jpg")


def stored_photo_fields(photo: CleanPhoto) -> dict:
    """The fields of a photo row (image, thumbnail, content_type, sha256), as every app's photo model names them:
    `Model.objects.create(owner=…, **stored_photo_fields(photo))`."""
    return {"image": ContentFile(photo.data, name=f"{photo.sha256[:16]}.{photo.extension}"),
            "thumbnail": thumbnail_file(photo), "content_type": photo.content_type, "sha256": photo.sha256}


def thumbnail_ensure(row: Model, source: str) -> bool:
    """Give a row stored before thumbnails existed (its `thumbnail` empty) one made from its stored image.

    Returns False when the stored file is not a picture Pillow can read (a PDF, a missing file): callers then
    serve the stored file itself. The stored file and its recorded SHA-256 stay as they are.
    """
    if row.thumbnail:
        return True
    try:
        with getattr(row, source).open("rb") as stored, Image.open(stored) as opened:
            opened.draft("RGB", (THUMB_SIDE * 2, THUMB_SIDE * 2))
            opened.load()
            data = thumbnail_jpeg(ImageOps.exif_transpose(opened))
    except Exception:
        return False
    row.thumbnail.save(f"{row.sha256[:16]}.jpg", ContentFile(data), save=False)
    type(row).objects.filter(pk=row.pk).update(thumbnail=row.thumbnail.name)
    return True
