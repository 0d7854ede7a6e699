"""What is kept of a phone photo: a copy at most 1600 px the right way up, without EXIF, whose SHA-256 is the
one recorded; a 320 px thumbnail beside it; and thumbnails made later for photos stored before they existed."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from yishiting.demands.models import DemandPhoto
from yishiting.demands.photos import clean_photo
from yishiting.handling.models import TaskFile
from yishiting.handling.tests.tasks_world import assign

from .conftest import image_bytes
from .phone_photos import GPS_IFD, phone_jpeg


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_6_mb_phone_photo_is_kept_at_1600_px_upright_without_location():
    raw = phone_jpeg(orientation=6)  # held upright: the sensor's 4000 × 3000, to be turned a quarter
    assert len(raw) > 5_000_000 and Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)
    photo = clean_photo(raw)
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.size == (1200, 1600) == (photo.width, photo.height)  # upright, long side 1600
    assert not stored.getexif()  # no location, no orientation tag, nothing
    assert len(photo.data) < 700_000  # a tenth of what was sent
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()  # the hash is of what is kept
    thumb = Image.open(io.BytesIO(photo.thumbnail))
    assert thumb.format == "JPEG" and thumb.size == (240, 320) and not thumb.getexif()
    assert 4_000 < len(photo.thumbnail) < 30_000


def test_small_photos_keep_their_size_and_format():
    photo = clean_photo(image_bytes("PNG", size=(800, 600)))
    assert (photo.width, photo.height, photo.content_type) == (800, 600, "image/png")
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (320, 240)


def test_a_submitted_demand_stores_the_copy_and_its_thumbnail(submit):
    demand = submit(photos=[phone_jpeg(1)])
    row = DemandPhoto.objects.get(demand=demand)
    with row.image.open("rb") as stored:
        data = stored.read()
    assert (row.width, row.height, row.size) == (1600, 1200, len(data))
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    with row.thumbnail.open("rb") as thumb:
        assert Image.open(thumb).size == (320, 240)


def test_photos_stored_before_thumbnails_get_one_and_keep_their_hash(world, submit):
    """Old rows: `yishiting photo_thumbnails` (or the first page view) makes the thumbnail; the stored photo and
    the SHA-256 that events and dossiers recorded stay as they were."""
    demand = submit(photos=[image_bytes(size=(1000, 750))])
    old = DemandPhoto.objects.get(demand=demand)
    DemandPhoto.objects.filter(pk=old.pk).update(thumbnail="")
    task = assign(world)
    raw = image_bytes(size=(640, 480))
    evidence = TaskFile.objects.create(task=task, kind="progress", name="现场.jpg", content_type="image/jpeg",
                                       size=len(raw), sha256=hashlib.sha256(raw).hexdigest(),
                                       file=ContentFile(raw, name="old.jpg"))
    pdf = TaskFile.objects.create(task=task, kind="evidence", name="验收.pdf", content_type="application/pdf",
                                  size=9, sha256="0" * 64, file=ContentFile(b"%PDF-1.4\n", name="old.pdf"))
    out = io.StringIO()
    call_command("photo_thumbnails", stdout=out)
    assert out.getvalue().strip() == "已生成 2 张缩略图。"
    row, task_row = DemandPhoto.objects.get(pk=old.pk), TaskFile.objects.get(pk=evidence.pk)
    assert (row.image.name, row.sha256) == (old.image.name, old.sha256)
    with row.thumbnail.open("rb") as thumb:
        assert Image.open(thumb).size == (320, 240)
    with task_row.thumbnail.open("rb") as thumb:
        assert Image.open(thumb).size == (320, 240)
    assert not TaskFile.objects.get(pk=pdf.pk).thumbnail  # not a picture
