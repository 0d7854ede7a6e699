"""Submitting demands: numbering, suggestions, deadlines, reporters, idempotency, photos, bad input."""

import io
from datetime import date

import pytest
from django.utils import timezone
from PIL import Image

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.demands.choices import ReporterKind, Status
from yishiting.demands.models import Demand, DemandPhoto
from yishiting.demands.photos import clean_photo

from .conftest import image_bytes


def test_resident_submits_and_gets_a_number_and_a_text(submit, world, messages_outbox):
    first, second = submit(), submit(text="小区东门垃圾桶满了没人清运，味道很大")
    year = date.today().year
    assert (first.number, second.number) == (f"{year}-000001", f"{year}-000002")
    assert first.status == Status.PENDING and first.reporter == world.people["resident"]
    assert first.category.name == "设施维护" and first.suggested_confidence > 0
    assert second.category.name == "环境整治"
    assert first.screening_area == world.areas["C1"] and first.level_area == world.areas["G1"]
    assert [e.kind for e in events_of(first)] == ["demand.submitted"]
    assert messages_outbox[0].to == "13800000001" and first.number in messages_outbox[0].text


def test_screening_deadline_counts_working_days(submit, world):
    demand = submit()
    from yishiting.common.calendar import working_days_between

    assert working_days_between(timezone.localdate(demand.created_at), demand.screening_deadline).days == 2


def test_anonymous_demand_has_no_reporter(submit):
    demand = submit(reporter_kind=ReporterKind.ANONYMOUS)
    assert demand.reporter is None and demand.entered_by is not None


def test_worker_enters_on_behalf_only_with_consent(submit, world):
    with pytest.raises(DomainError, match="同意"):
        submit("grid_worker", reporter_kind=ReporterKind.ON_BEHALF, reporter=world.people["resident"])
    demand = submit("grid_worker", reporter_kind=ReporterKind.ON_BEHALF, reporter=world.people["resident"],
                    consent_recorded=True)
    assert demand.reporter == world.people["resident"] and demand.entered_by == world.users["grid_worker"]
    with pytest.raises(PermissionDeniedError):  # residents cannot enter for others
        submit("resident", reporter_kind=ReporterKind.ON_BEHALF, reporter=world.people["resident2"],
               consent_recorded=True)


@pytest.mark.parametrize(("text", "message"), [("", "请填写"), ("   ", "请填写"), ("长" * 2001, "2000")])
def test_bad_text_is_refused_and_nothing_written(submit, text, message):
    with pytest.raises(DomainError, match=message):
        submit(text=text)
    assert Demand.objects.count() == 0


def test_area_outside_scope_is_refused(submit, world):
    with pytest.raises(PermissionDeniedError):
        submit(area=world.areas["C2"])  # a resident of C1 cannot file in the sibling community
    with pytest.raises(PermissionDeniedError):
        submit("grid_worker", area=world.areas["G2"])
    assert Demand.objects.count() == 0


def test_idempotency_key_returns_the_same_demand(submit):
    first = submit(key="abc-123")
    again = submit(key="abc-123")
    assert again.pk == first.pk and Demand.objects.count() == 1
    with pytest.raises(Conflict):
        submit(key="abc-123", text="另一件事：小区北门路灯不亮")
    assert Demand.objects.count() == 1
    # The refused retries took no number: the next demand follows on without a gap.
    year = date.today().year
    assert (first.number, submit(key="def-456").number) == (f"{year}-000001", f"{year}-000002")


def test_a_category_edit_reaches_the_next_submission(submit, world):
    """Categories are cached per process; saving one through the service empties the cache at once."""
    from yishiting.demands.models import Category
    from yishiting.demands.services import category_save

    assert submit().category.name == "设施维护"
    category_save(actor=world.users["admin"], category=Category.objects.get(name="设施维护"), is_active=False)
    assert submit().category.name != "设施维护"


def test_a_retry_with_photos_stores_them_once(submit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = submit(key="with-photo", photos=[image_bytes()])
    again = submit(key="with-photo", photos=[image_bytes()])
    assert again.pk == first.pk and DemandPhoto.objects.count() == 1
    stored = sorted(str(f.relative_to(tmp_path)) for f in tmp_path.rglob("*") if f.is_file())
    assert len(stored) == 2 and "/thumbs/" in stored[1] and "/thumbs/" not in stored[0]  # the photo, its thumbnail


def test_photos_are_reencoded_without_exif_location(submit):
    raw = image_bytes(exif_gps=True)
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    demand = submit(photos=[raw, image_bytes("PNG"), image_bytes("WEBP")])
    photos = list(DemandPhoto.objects.filter(demand=demand))
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png", "image/webp"]
    with photos[0].image.open("rb") as stored:
        assert not Image.open(stored).getexif()


def test_disguised_and_oversized_files_are_refused(submit):
    with pytest.raises(DomainError, match="第 1 张照片"):
        clean_photo(b"%PDF-1.4 not an image at all")
    with pytest.raises(DomainError, match="第 2 张照片"):
        submit(photos=[image_bytes(), b"GIF89a" + b"\x00" * 100])
    with pytest.raises(DomainError, match="10 MB"):
        clean_photo(b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024 + 1))
    with pytest.raises(DomainError, match="最多上传 9 张"):
        submit(photos=[image_bytes()] * 10)
    assert Demand.objects.count() == 0


def test_decompression_bomb_is_refused():
    import struct
    import zlib

    # A valid PNG header claiming 20000 × 20000 pixels: 400 megapixels in a few hundred bytes.
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00" * 20001 * 10)) + chunk(b"IEND", b""))
    assert len(png) < 1000
    with pytest.raises(DomainError, match="像素过大"):
        clean_photo(png)


def test_similar_demands_in_the_same_community_come_first(submit, world):
    from yishiting.demands.intake import similar_demands
    from yishiting.demands.selectors import demands_visible_to

    submit(text="3栋电梯坏了，老人上不了楼")
    submit("grid_worker", text="3号楼电梯停运两天了", area=world.areas["U1"])
    visible = demands_visible_to(world.users["community_staff"])
    found = similar_demands("三号楼的电梯又坏了", world.areas["B1"], visible=visible)
    assert found and found[0][2] is True
    assert all("电梯" in d.text for d, _, _ in found)
    # A resident only ever sees their own demands among the suggestions.
    mine = similar_demands("三号楼的电梯又坏了", world.areas["B1"], visible=demands_visible_to(world.users["resident"]))
    assert {d.reporter_id for d, _, _ in mine} <= {world.people["resident"].pk}


def test_similar_demands_come_with_what_the_pages_show_and_only_what_the_viewer_may_see(submit, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yishiting.demands.intake import similar_demands
    from yishiting.demands.selectors import demands_visible_to

    submit(text="3栋电梯坏了，老人上不了楼")
    submit("grid_worker", text="3号楼电梯停运两天了", area=world.areas["U1"])
    found = similar_demands("三号楼的电梯又坏了", world.areas["B1"],
                            visible=demands_visible_to(world.users["community_staff"]))
    assert len(found) == 2
    with CaptureQueriesContext(connection) as shown:  # the rows are read once, by the ids the scope passed
        places = [(d.area.name, d.category.name if d.category else "", d.reporter.user_id if d.reporter else None)
                  for d, _, _ in found]
    assert not shown.captured_queries
    assert {name for name, _, _ in places} == {world.areas["B1"].name, world.areas["U1"].name}
    assert not similar_demands("三号楼的电梯又坏了", world.areas["B1"],
                               visible=demands_visible_to(world.users["community_staff"]).none())


def test_reindex_rebuilds_keys_written_under_an_older_signature_version(submit, world):
    from django.core.management import call_command

    from yishiting.demands import suggest
    from yishiting.demands.intake import index_keys, similar_demands
    from yishiting.demands.models import DemandKey
    from yishiting.demands.selectors import demands_visible_to

    old = submit(text="河道里全是垃圾，塑料袋泡沫盒子漂了一河面")
    current = submit(text="3栋电梯坏了，老人上不了楼")
    # As an older version left it: other keys, an older version number.
    community = DemandKey.objects.filter(demand=old).values_list("community_id", flat=True).first()
    DemandKey.objects.filter(demand=old).delete()
    DemandKey.objects.create(key="o:旧键", community_id=community, demand=old, created_at=old.created_at,
                             version=suggest.SIGNATURE_VERSION - 1)
    visible = demands_visible_to(world.users["community_staff"])
    assert not similar_demands("河道里全是垃圾", world.areas["B1"], visible=visible)
    untouched = set(DemandKey.objects.filter(demand=current).values_list("pk", flat=True))

    out = io.StringIO()
    call_command("reindex_demands", stdout=out)
    assert "已重建 1 条" in out.getvalue()
    rows = DemandKey.objects.filter(demand=old)
    assert sorted(rows.values_list("key", flat=True)) == sorted(index_keys(old.text))
    assert set(rows.values_list("version", flat=True)) == {suggest.SIGNATURE_VERSION}
    assert set(rows.values_list("community_id", flat=True)) == {community}
    assert set(DemandKey.objects.filter(demand=current).values_list("pk", flat=True)) == untouched
    assert [d for d, _, _ in similar_demands("河道里全是垃圾", world.areas["B1"], visible=visible)] == [old]
    # Run again: nothing left to do.
    out = io.StringIO()
    call_command("reindex_demands", stdout=out)
    assert "无需重建" in out.getvalue()
