"""“使用我的位置” on the visit/patrol form: the button (shown by app.js only where the phone can locate) fills
the hidden point, the record and its API keep it and the record page shows it; without it the record is saved
with its typed position only; a half or broken point never blocks a record. And the photos (now a
StoredPhoto) keep their rows and files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.flows.http import signed_in
from yishiting.grid.models import FieldRecord, RecordPhoto

from .conftest import png

pytestmark = pytest.mark.django_db
NEW = "/grid/records/new/?kind=patrol"


def _post(client, world, **extra):
    return client.post(NEW, {"place": world.areas["B1"].pk, "occurred_at": "2026-01-05T09:30",
                             "summary": "巡查3栋楼道", **extra})


def test_the_form_offers_my_location_without_words_in_the_script(world):
    page = signed_in(world, "grid_worker").get(NEW).content.decode()
    assert "data-geolocate hidden" in page and "使用我的位置" in page
    assert 'name="latitude"' in page and 'type="hidden"' in page
    assert "已定位：北纬 {lat}，东经 {lon}" in page  # the sentence comes from the page, app.js fills the holes
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "web" / "static" / "web" / "app.js"
    assert "定位" not in script.read_text(encoding="utf-8")


def test_a_located_patrol_keeps_and_shows_its_point(world):
    worker = signed_in(world, "grid_worker")
    saved = _post(worker, world, position="3栋东侧", latitude="36.123456", longitude="118.654321")
    assert saved.status_code == 302, saved.content.decode()[:1500]
    record = FieldRecord.objects.get()
    assert (record.latitude, record.longitude) == (Decimal("36.123456"), Decimal("118.654321"))
    body = worker.get(saved["Location"]).content.decode()
    assert "北纬 36.123456，东经 118.654321" in body and "3栋东侧" in body
    api = worker.get(f"/api/v1/grid/records/{record.pk}").json()
    assert api["latitude"] == "36.123456" and api["longitude"] == "118.654321"


def test_without_location_the_record_is_saved_and_a_broken_point_is_dropped(world):
    worker = signed_in(world, "grid_worker")
    plain = _post(worker, world, position="3栋东侧")
    assert plain.status_code == 302 and FieldRecord.objects.get().latitude is None
    half = _post(worker, world, summary="另一次巡查", latitude="36.1")
    bad = _post(worker, world, summary="第三次", latitude="abc", longitude="200")
    assert half.status_code == bad.status_code == 302
    assert FieldRecord.objects.filter(latitude__isnull=True, longitude__isnull=True).count() == 3
    refused = _post(worker, world, summary="", latitude="36.123456", longitude="118.654321")
    assert refused.status_code == 400 and "已定位：北纬 36.123456，东经 118.654321" in refused.content.decode()


def test_an_existing_photo_survives_the_stored_photo_base(world, settings, tmp_path):
    """RecordPhoto and ResponsePhoto take their type and checksum from common.StoredPhoto: the schema is the
    one 0001 made (no migration to run), and a photo row written in that layout reads back and is served."""
    from io import StringIO

    from django.db import connection

    settings.MEDIA_ROOT = tmp_path
    worker = signed_in(world, "grid_worker")
    _post(worker, world, photos=SimpleUploadedFile("a.png", png(), content_type="image/png"))
    stored = RecordPhoto.objects.get()
    with connection.cursor() as cursor:  # a row as the old model wrote it, column by column
        cursor.execute("INSERT INTO grid_recordphoto (record_id, image, thumbnail, content_type, sha256) "
                       "VALUES (%s, %s, %s, %s, %s)", [stored.record_id, stored.image.name, "", "image/png", "f" * 64])
    old = RecordPhoto.objects.exclude(pk=stored.pk).get()
    assert (old.content_type, old.sha256, old.image.name) == ("image/png", "f" * 64, stored.image.name)
    assert list(RecordPhoto.objects.values_list("pk", flat=True)) == sorted([stored.pk, old.pk])  # upload order
    assert worker.get(f"/grid/records/{old.record_id}/photos/{old.pk}/").status_code == 200
    out = StringIO()
    call_command("makemigrations", "grid", "whistles", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
