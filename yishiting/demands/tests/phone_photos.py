"""Photos as phones take them: 4000 × 3000, 6 MB JPEGs with texture at every scale (so neither the stored copy
nor the thumbnail compresses to nothing), the phone's orientation and GPS position in EXIF."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image

GPS_IFD, ORIENTATION = 0x8825, 0x0112
SIZE = (4000, 3000)


@cache
def _fine_grain() -> Image.Image:
    return Image.effect_noise(SIZE, 48).convert("RGB")


def phone_jpeg(seed: int = 0, *, orientation: int = 1) -> bytes:
    """A different picture for each seed: coarse and middle-sized blotches of colour over a sensor's grain."""
    layers = [Image.merge("RGB", [Image.effect_noise((w, w * 3 // 4), 70 + 5 * band + seed) for band in range(3)])
              .resize(SIZE, Image.Resampling.BICUBIC) for w in (40, 400)]
    image = Image.blend(Image.blend(layers[0], layers[1], 0.45), _fine_grain(), 0.3)
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()
