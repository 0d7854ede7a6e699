"""Pages show thumbnails and open the stored photo on a tap — on the demand page and the task page, also for
photos stored before thumbnails existed; every file input is the site's picker, not the browser's "Choose Files"."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yishiting.demands.models import DemandPhoto
from yishiting.handling.tests.tasks_world import assign, photo

from .pages import main

pytestmark = pytest.mark.usefixtures("file_media")


def test_the_demand_page_shows_thumbnails_that_open_the_photo(world, as_persona, new_demand):
    demand = new_demand(photos=[photo(size=(2400, 1800)), photo(size=(900, 1200))])
    first, second = DemandPhoto.objects.filter(demand=demand)
    DemandPhoto.objects.filter(pk=second.pk).update(thumbnail="")  # stored before thumbnails existed
    client = as_persona("resident")
    page = main(client.get(f"/demands/{demand.pk}/"))
    links = re.findall(r'<a href="([^"]+)"><img src="([^"]+)"', page)
    base = f"/demands/{demand.pk}/photos"
    assert links == [(f"{base}/{p.pk}/", f"{base}/{p.pk}/thumb/") for p in (first, second)]
    sizes = []
    for full, thumb in links:
        small, big = client.get(thumb), client.get(full)
        assert small["Content-Type"] == "image/jpeg" and small["Cache-Control"] == "private, max-age=86400"
        sizes.append((Image.open(io.BytesIO(b"".join(small.streaming_content))).size,
                      Image.open(io.BytesIO(b"".join(big.streaming_content))).size))
    assert sizes == [((320, 240), (1600, 1200)), ((240, 320), (900, 1200))]
    assert DemandPhoto.objects.get(pk=second.pk).thumbnail  # made on the first view, kept for the next
    assert as_persona("resident2").get(f"{base}/{first.pk}/thumb/").status_code == 404


def test_the_task_page_shows_report_thumbnails_and_styled_file_pickers(world, as_persona):
    task = assign(world)
    client = as_persona("handler")
    page = main(client.get(f"/tasks/{task.pk}/"))
    pickers = re.findall(r'<span class="photo-picker"><input type="file" name="(\w+)" class="photo-input" '
                         r'data-photo-input[^>]*><label for="id_(?:[a-z]+_)?\1" class="button photo-button js-only">([^<]+)</label>',
                         page)
    assert pickers == [("photos", "拍照或选择照片"), ("files", "选择照片或 PDF 文件")]
    assert page.count('type="file"') == 2 and 'data-max-bytes="10485760"' in page
    image = SimpleUploadedFile("现场.jpg", photo(size=(2000, 1500)), content_type="image/jpeg")
    client.post(f"/tasks/{task.pk}/report/", {"text": "灯具已到货", "percent": "40", "photos": [image]})
    stored = task.files.get()
    page = main(client.get(f"/tasks/{task.pk}/"))
    assert f'<a href="/tasks/{task.pk}/files/{stored.pk}/"><img src="/tasks/{task.pk}/files/{stored.pk}/thumb/"' in page
    thumb = client.get(f"/tasks/{task.pk}/files/{stored.pk}/thumb/")
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 240)
