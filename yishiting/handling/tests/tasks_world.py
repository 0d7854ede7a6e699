"""Test data for tasks (办): a topic whose publicity is done (status `handling`), a task on it, photos."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from yishiting.common.calendar import working_days_between
from yishiting.common.testing import World
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Resolution, Topic
from yishiting.deliberation.services.topics import topic_transition
from yishiting.handling.choices import SubjectKind
from yishiting.handling.models import Task
from yishiting.handling.services.tasks import (
    extension_decide,
    extension_request,
    task_accept,
    task_assign,
    task_submit,
    task_verify,
)
from yishiting.handling.warnings import warnings_tick

from .world import resolved_topic


def handling_topic(world: World, **kwargs) -> tuple[Topic, Resolution]:
    """A resolved topic moved through publicity to `handling` (what the notices stage does at its end)."""
    topic, resolution = resolved_topic(world, **kwargs)
    for status in (TopicStatus.PUBLICISING, TopicStatus.HANDLING):
        topic_transition(actor=world.users["community_secretary"], topic=topic, to=status)
    return topic, resolution


def assign(world: World, topic: Topic | None = None, resolution: Resolution | None = None, *,
           actor: str = "community_staff", handler: str = "handler", days: int | None = None,
           deadline: date | None = None, accepted: bool = True, **fields) -> Task:
    """A task assigned through the service (by community staff to the street's unit handler by default) and,
    unless `accepted=False`, 签收 by its handler (reports, extensions and 销号 come after acceptance)."""
    if days is None and deadline is None:
        deadline = timezone.localdate() + timedelta(days=20)
    fields.setdefault("title", "更换3栋楼道声控灯")
    fields.setdefault("area", world.areas["B1"])
    fields.setdefault("subject_kind", SubjectKind.UNIT)
    fields.setdefault("organization", world.organizations["agency"])
    task = task_assign(actor=world.users[actor], handler=world.people[handler], topic=topic,
                       resolution=resolution, deadline=deadline, deadline_days=days, **fields)
    if accepted:
        task_accept(actor=world.users[handler], task=task)
    return task


def backdate(task: Task, created: date, deadline: date) -> Task:
    """Pretend the task was assigned on `created` with `deadline` (warnings count from the assignment day; the
    deadline stands for the working days between them on today's calendar)."""
    at = timezone.make_aware(datetime(created.year, created.month, created.day, 9, 0))
    Task.objects.filter(pk=task.pk).update(created_at=at, deadline=deadline, window_start=created,
                                           window_days=max(working_days_between(created, deadline).days, 0))
    task.refresh_from_db()
    return task


def ledger(world: World) -> dict[str, Task]:
    """Three tasks as the 任务台账 shows them: in 幸福苑 one extended by 5 days and closed (verified by 钱社工) and
    one left past its deadline (warnings sent), both on one topic; in the neighbouring 和平里 one the street
    assigned — outside a 幸福苑 community worker's scope."""
    topic, resolution = handling_topic(world)
    staff, handler = world.users["community_staff"], world.users["handler"]
    today = timezone.localdate()
    lamp = assign(world, topic, resolution, standard="3栋1–6层全部更换为声控LED灯，验收时逐层试亮。")
    extension = extension_request(actor=handler, task=lamp, new_deadline=lamp.deadline + timedelta(days=5),
                                  reason="灯具缺货")
    extension_decide(actor=staff, extension=extension, approve=True)
    lamp.refresh_from_db()
    task_submit(actor=handler, task=lamp, evidence="全部更换完毕", files=[("现场.jpg", photo())])
    task_verify(actor=staff, task=lamp, approve=True)
    late = backdate(assign(world, topic, resolution, title="清理3栋楼道杂物", subject_kind=SubjectKind.COMMUNITY,
                           organization=None), today - timedelta(days=27), today - timedelta(days=16))
    other = assign(world, actor="street_official", title="和平里1栋外墙修补", area=world.areas["B2"])
    warnings_tick(today=today)
    return {"lamp": Task.objects.get(pk=lamp.pk), "late": late, "other": other, "topic": topic}


def ledger_rows(data: bytes) -> dict[str, dict]:
    """An exported 任务台账's rows by 事项 (task title), each {header: value} as Excel shows it."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    return {row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}


def photo(color=(30, 120, 200), fmt: str = "JPEG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG carrying a GPS location in its EXIF (which must not survive the upload)."""
    image = Image.new("RGB", (40, 30), (10, 200, 10))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 20.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
