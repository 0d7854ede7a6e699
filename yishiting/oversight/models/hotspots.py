"""Hot spots (热点): an area's plan image (小区平面图 / 网格图) with the reference points that tie its pixels to
latitude/longitude, so demands with a location can be drawn on it and a resident can tap it to give the place.

The plan lives here, not in `areas`: it is a drawing used to read and give demand locations, and the area tree
below does not need it (data walks down). One plan per area; a new upload replaces the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, PathField


class AreaPlan(models.Model):
    area = models.OneToOneField(Area, verbose_name=gettext_lazy("区域"), on_delete=models.CASCADE,
                                related_name="plan")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    title = models.CharField(gettext_lazy("名称"), max_length=100)
    image = models.FileField(gettext_lazy("平面图"), upload_to="plans/%Y/%m/")  # re-encoded, ≤ 2400 px (oversight.plans)
    content_type = models.CharField(gettext_lazy("类型"), max_length=32)
    sha256 = models.CharField("SHA-256", max_length=64)
    width = models.PositiveIntegerField(gettext_lazy("宽"))
    height = models.PositiveIntegerField(gettext_lazy("高"))
    # [{"x": px, "y": px, "lat": deg, "lng": deg}, …]: two (similarity) or three (affine) reference points,
    # in pixels of the stored image.
    reference_points = models.JSONField(gettext_lazy("参照点"), default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("上传人"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(gettext_lazy("更新时间"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("平面图")
        verbose_name_plural = gettext_lazy("平面图")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path
