"""Writes of the hot-spot part: a plan uploaded or replaced, its reference points set."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append

from ..geometry import ref_points, transform_for
from ..models import AreaPlan
from ..plan_images import clean_plan_image
from ..rules import may_manage_plan


def _scaled(points: list[dict], scale: float) -> list[dict]:
    return [{**p, "x": round(float(p["x"]) * scale, 1), "y": round(float(p["y"]) * scale, 1)} for p in points]


def _checked_points(points: list[dict], width: int, height: int) -> list[dict]:
    for p in points:
        if not (0 <= float(p["x"]) <= width and 0 <= float(p["y"]) <= height):
            raise DomainError("invalid_reference_points",
                              gettext("参照点的像素坐标超出了平面图（宽 %(width)s、高 %(height)s 像素）。")
                              % {"width": width, "height": height}, details={"field": "reference_points"})
    transform_for(ref_points(points))
    return [{"x": float(p["x"]), "y": float(p["y"]), "lat": round(float(p["lat"]), 6),
             "lng": round(float(p["lng"]), 6)} for p in points]


@transaction.atomic
def plan_save(*, actor, area: Area, title: str, reference_points: list[dict], image: bytes | None = None) -> AreaPlan:
    """Upload (or replace) an area's plan and set its reference points: `plan.saved`.

    With a new image the points are in pixels of that image as uploaded (scaled here to the stored copy);
    without one they are in pixels of the stored plan. Everything is checked before anything is written."""
    if actor is not None and not may_manage_plan(actor, area):
        raise PermissionDeniedError(gettext("您不能设置这个区域的平面图。"))
    plan = AreaPlan.objects.select_for_update().filter(area=area).first()
    if image is None and plan is None:
        raise DomainError("invalid_plan_image", gettext("请选择平面图图片。"), details={"field": "image"})
    clean = clean_plan_image(image) if image is not None else None
    if clean is not None:
        reference_points = _scaled(reference_points, clean.scale)
    width, height = (clean.width, clean.height) if clean else (plan.width, plan.height)
    points = _checked_points(reference_points, width, height)
    plan = plan or AreaPlan(area=area, path=area.path)
    plan.title, plan.reference_points, plan.uploaded_by = title.strip()[:100] or area.name, points, actor
    if clean is not None:
        old = plan.image.name if plan.image else None
        plan.content_type, plan.sha256, plan.width, plan.height = (clean.content_type, clean.sha256,
                                                                    clean.width, clean.height)
        plan.image.save(f"{clean.sha256[:16]}.{clean.extension}", ContentFile(clean.data), save=False)
        if old:
            storage = plan.image.storage
            transaction.on_commit(lambda: storage.delete(old))
    plan.save()
    event_append(subject=plan, kind="plan.saved", actor=actor,
                 payload={"area": area.pk, "sha256": plan.sha256, "points": points})
    return plan
