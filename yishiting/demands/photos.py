"""Photo checks for demands: type by content (not extension), size, decompression bombs, and EXIF removal.

Every accepted photo is decoded and re-encoded, which drops EXIF (GPS location included) and any trailing data.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from yishiting.common.errors import DomainError

MAX_PHOTOS = 9
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo is fine; more is a decompression bomb
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


def _error(index: int, message: str) -> DomainError:
    return DomainError("invalid_photo", f"第 {index} 张照片{message}", details={"field": "photos", "index": index})


def clean_photo(raw: bytes, index: int = 1) -> CleanPhoto:
    if len(raw) > MAX_BYTES:
        raise _error(index, "超过 10 MB。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise _error(index, "不是 JPEG、PNG 或 WebP 图片。")
                if probe.width * probe.height > MAX_PIXELS:
                    raise _error(index, "像素过大（可能是恶意构造的图片）。")
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if fmt == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
                else:
                    image.save(out, fmt)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(index, "像素过大（可能是恶意构造的图片）。") from None
    except Exception:
        raise _error(index, "无法识别，请上传 JPEG、PNG 或 WebP 图片。") from None
    data = out.getvalue()
    return CleanPhoto(data=data, content_type=FORMATS[fmt], extension=EXTENSIONS[fmt], width=image.width,
                      height=image.height, sha256=hashlib.sha256(data).hexdigest())


def clean_photos(raws: list[bytes]) -> list[CleanPhoto]:
    if len(raws) > MAX_PHOTOS:
        raise DomainError("too_many_photos", f"最多上传 {MAX_PHOTOS} 张照片。", details={"field": "photos"})
    return [clean_photo(raw, i) for i, raw in enumerate(raws, start=1)]
