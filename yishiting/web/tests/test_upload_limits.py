"""Upload limits through Django's test client, as a browser sends them: a photo over 10 MB keeps the form and
what was typed, a body over MAX_UPLOAD_BYTES gets the Chinese 413 page, and neither leaves anything behind —
no demand, no stored photo, no temporary file larger than the limit (common.uploads)."""

from __future__ import annotations

import io
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from PIL import Image

from yishiting.common.uploads import FILE_MAX_BYTES, PHOTO_MAX_BYTES, LimitedUploadHandler, UploadTooLarge
from yishiting.demands.models import Demand, DemandPhoto
from yishiting.handling.models import Task
from yishiting.handling.tests.tasks_world import assign

from .pages import main
from .test_demands_submit import TEXT, form_token

pytestmark = pytest.mark.usefixtures("file_media")


class SpoolWatch(FileUploadHandler):
    """Runs after the real handler; once the whole body is read (before the view), notes the largest file
    spooled to disk for this request — the files are deleted when the request ends, so look while it runs."""

    largest = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def upload_complete(self) -> None:
        folder = settings.FILE_UPLOAD_TEMP_DIR
        SpoolWatch.largest = max([SpoolWatch.largest, *(e.stat().st_size for e in os.scandir(folder))])


@pytest.fixture
def spool(settings, tmp_path):
    """Where uploads are spooled while a request is read; `SpoolWatch.largest` the biggest file seen there."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    settings.FILE_UPLOAD_HANDLERS = [*settings.FILE_UPLOAD_HANDLERS, f"{__name__}.SpoolWatch"]
    SpoolWatch.largest = 0
    return SpoolWatch


def jpeg(name: str, pad_to: int = 0) -> SimpleUploadedFile:
    """A valid JPEG, padded with trailing bytes to `pad_to` (a phone photo of that size, as far as size goes)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    data = out.getvalue()
    return SimpleUploadedFile(name, data + b"\0" * max(0, pad_to - len(data)), content_type="image/jpeg")


def demand_form(client, world, **fields) -> dict:
    token = form_token(client.get("/demands/new/").content.decode())
    return {"text": TEXT, "area": world.areas["B1"].pk, "urgency": "normal", "token": token, **fields}


def test_a_photo_over_10_mb_is_refused_by_name_and_the_typed_text_stays(world, as_persona, spool):
    client = as_persona("resident")
    data = demand_form(client, world, photos=[jpeg("门口.jpg"), jpeg("大图.jpg", PHOTO_MAX_BYTES + 300_000)])
    response = client.post("/demands/new/", data)
    assert response.status_code == 200
    page = main(response)
    assert "第 2 张照片超过 10 MB，请换一张或压缩后再传。" in page and "照片需要重新选择一次" in page
    assert f">{TEXT}</textarea>" in page  # what the resident typed is still in the form
    assert not Demand.objects.exists() and not DemandPhoto.objects.exists()
    assert spool.largest <= PHOTO_MAX_BYTES  # the big photo was never written past its limit


def test_a_body_over_the_upload_limit_gets_a_chinese_413_page_before_it_is_read(world, as_persona, spool, settings):
    """A real 61 MB multipart body (seven 9 MB photos) at the default 60 MB limit."""
    assert settings.MAX_UPLOAD_BYTES == 60 * 1024 * 1024
    client = as_persona("resident")
    photos = [jpeg(f"{i}.jpg", 9 * 1024 * 1024) for i in range(7)]
    response = client.post("/demands/new/", demand_form(client, world, photos=photos))
    assert response.status_code == 413
    page = main(response)
    assert "提交的内容过大" in page and "超过了 60 MB 的上限" in page and "没有保存任何内容" in page
    assert "返回上一页" in page
    assert not Demand.objects.exists() and not DemandPhoto.objects.exists()
    assert spool.largest == 0


def test_evidence_over_20_mb_is_refused_on_the_task_page(world, as_persona, spool):
    task = assign(world)
    client = as_persona("handler")
    big = SimpleUploadedFile("验收.pdf", b"%PDF-1.4\n" + b"0" * (FILE_MAX_BYTES + 100_000), "application/pdf")
    response = client.post(f"/tasks/{task.pk}/submit/", {"evidence": "全部更换完毕，逐层试亮", "files": [big]})
    assert response.status_code == 400
    page = main(response)
    assert "单个文件不能超过 20 MB。" in page and "全部更换完毕，逐层试亮" in page
    assert Task.objects.get(pk=task.pk).status != "verifying" and not task.files.exists()
    assert spool.largest <= FILE_MAX_BYTES


def test_a_body_that_runs_past_the_limit_is_cut_off_and_its_spool_deleted(settings, tmp_path):
    """A body longer than it said (or streamed without a length): reading stops where it crosses the limit."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    handler = LimitedUploadHandler()
    handler.handle_raw_input(None, {}, 1024, b"boundary")  # it claims 1 KB
    handler.new_file("files", "a.pdf", "application/pdf", None)
    chunk = b"0" * 64 * 1024
    with pytest.raises(UploadTooLarge) as refused:
        for start in range(0, 10 * settings.MAX_UPLOAD_BYTES, len(chunk)):
            handler.receive_data_chunk(chunk, start)
    assert refused.value.limit == settings.MAX_UPLOAD_BYTES
    assert handler.total <= settings.MAX_UPLOAD_BYTES + len(chunk)  # stopped at the first chunk past it
    assert handler.file.closed and os.listdir(tmp_path) == []  # the spooled part is deleted
