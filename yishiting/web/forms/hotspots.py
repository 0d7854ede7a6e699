"""The plan form (community staff): the image and two or three reference points; and the hot-spot filter."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext, gettext_lazy

from yishiting.common.forms import Form
from yishiting.demands.selectors import categories_active
from yishiting.oversight.plan_images import MAX_BYTES as PLAN_MAX_BYTES

from .demands import DomainErrorsMixin

POINTS = 3


class PlanForm(DomainErrorsMixin, Form):
    """Pixel x/y of a place on the image and its latitude/longitude, for each reference point (the third optional).

    Points are in pixels of the picture as uploaded when a new one is chosen, else of the stored plan; tapping
    the plan on the page fills the next point's pixels."""

    field_aliases = {"reference_points": "__all__"}

    title = forms.CharField(label=gettext_lazy("名称"), max_length=100,
                            error_messages={"required": gettext_lazy("请填写平面图名称。")})
    image = forms.FileField(label=gettext_lazy("平面图（PNG 或 JPEG，不超过 10 MB）"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, POINTS + 1):
            required = i <= 2
            for name, label in (("x", gettext_lazy("横向像素")), ("y", gettext_lazy("纵向像素")),
                                ("lat", gettext_lazy("纬度")), ("lng", gettext_lazy("经度"))):
                self.fields[f"p{i}_{name}"] = forms.DecimalField(
                    label=label, required=required, max_digits=12, decimal_places=6,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                    error_messages={"required": gettext_lazy("请填写前两个参照点。"),
                                    "invalid": gettext_lazy("请填写数字。")})

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and upload.size > PLAN_MAX_BYTES:
            raise forms.ValidationError(gettext("平面图超过 10 MB，请压缩后再传。"))
        return upload

    def point_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"p{i}_{n}"] for n in ("x", "y", "lat", "lng")] for i in range(1, POINTS + 1)]

    def reference_points(self) -> list[dict]:
        data, points = self.cleaned_data, []
        for i in range(1, POINTS + 1):
            values = [data.get(f"p{i}_{n}") for n in ("x", "y", "lat", "lng")]
            if all(isinstance(v, Decimal) for v in values):
                points.append(dict(zip(("x", "y", "lat", "lng"), map(float, values), strict=True)))
        return points

    def clean(self) -> dict:
        data = super().clean()
        third = [data.get(f"p3_{n}") for n in ("x", "y", "lat", "lng")]
        if any(v is not None for v in third) and not all(v is not None for v in third):
            self.add_error(None, gettext("第三个参照点请四项都填，或都不填。"))
        return data


class HotspotFilterForm(Form):
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), queryset=categories_active(), required=False,
                                      empty_label=gettext_lazy("全部类别"))
    start = forms.DateField(label=gettext_lazy("开始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("结束日期"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
