"""The plan image check: PNG or JPEG by content (not extension), at most `MAX_BYTES`, no decompression bomb;
decoded and re-encoded (EXIF and trailing data dropped), at most `STORED_SIDE` px on its long side — large enough
to read building numbers on a phone, small enough to load on a weak network."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext
from PIL import Image, ImageOps

from yishiting.common.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 60_000_000
STORED_SIDE = 2400
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


@dataclass(frozen=True)
class CleanPlan:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    scale: float  # stored px per original px (≤ 1): reference points given on the original are scaled by it
    sha256: str


def _error(message: str) -> DomainError:
    return DomainError("invalid_plan_image", message, details={"field": "image"})


def _probe(raw: bytes) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format not in FORMATS:
                raise _error(gettext("平面图只能是 PNG 或 JPEG 图片。"))
            if probe.width * probe.height > MAX_PIXELS:
                raise _error(gettext("平面图像素过大（超过 6000 万像素），请缩小后再传。"))
            probe.verify()
            return probe.format


def clean_plan_image(raw: bytes) -> CleanPlan:
    """The stored copy of an uploaded plan, or DomainError with a Chinese message (nothing is stored then)."""
    if not raw:
        raise _error(gettext("请选择平面图图片。"))
    if len(raw) > MAX_BYTES:
        raise _error(gettext("平面图超过 10 MB，请压缩后再传。"))
    try:
        fmt = _probe(raw)
        with Image.open(io.BytesIO(raw)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
            original = image.width
            image.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            if fmt == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(gettext("平面图像素过大（超过 6000 万像素），请缩小后再传。")) from None
    except Exception:
        raise _error(gettext("无法识别平面图，请上传 PNG 或 JPEG 图片。")) from None
    data = out.getvalue()
    content_type, extension = FORMATS[fmt]
    return CleanPlan(data=data, content_type=content_type, extension=extension, width=image.width,
                     height=image.height, scale=image.width / original, sha256=hashlib.sha256(data).hexdigest())
