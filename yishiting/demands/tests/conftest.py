import io

import pytest
from PIL import Image


@pytest.fixture
def submit(world, django_capture_on_commit_callbacks):
    """Submit a demand as a persona (on-commit notifications executed)."""
    from yishiting.demands.services import Submission, demand_submit

    def _submit(persona="resident", *, key=None, **fields):
        fields.setdefault("text", "幸福苑3栋楼道灯坏了一个星期，晚上上下楼很黑")
        fields.setdefault("area", world.areas["B1"])
        with django_capture_on_commit_callbacks(execute=True):
            return demand_submit(actor=world.users[persona], submission=Submission(**fields), idempotency_key=key)

    return _submit


def image_bytes(fmt="JPEG", size=(64, 48), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}  # GPSInfo
        exif[0x010F] = "TestPhone"
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()
