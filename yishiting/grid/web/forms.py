"""Forms of the grid pages: a field record (one-handed on the phone) and a 包联 assignment (people and households
picked by typing, never from a select of thousands)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.choices import OrganizationKind
from yishiting.areas.models import Area, Household, Organization, Person
from yishiting.common.forms import Form
from yishiting.web.forms.demands import DomainErrorsMixin, PhotosField, _coordinate
from yishiting.web.forms.pickers import HouseholdPickField, PersonPickField

from ..choices import ESTATE_KINDS, RecordKind
from ..selectors import buildings_of, household_pool, keeper_pool

ESTATE_ORG_KINDS = [OrganizationKind.PROPERTY_COMPANY, OrganizationKind.OWNERS_COMMITTEE,
                    OrganizationKind.RESIDENTS_COMMITTEE, OrganizationKind.COMMUNITY_POLICE]


def _place_choices(estate: Area) -> list[tuple[int, str]]:
    return [(estate.pk, gettext("整个小区（%(name)s）") % {"name": estate.name})] + [
        (b.pk, b.name) for b in buildings_of(estate)]


class RecordForm(DomainErrorsMixin, Form):
    place = forms.TypedChoiceField(label=gettext_lazy("地点"), coerce=int,
                                   error_messages={"required": gettext_lazy("请选择地点。")})
    household = HouseholdPickField("grid_household", label=gettext_lazy("走访住户"), required=False,
                                   queryset=Household.objects.none(),
                                   hint=gettext_lazy("输入楼栋单元和房号（如 3栋1单元1201）或住户的完整姓名、手机号。"))
    occurred_at = forms.DateTimeField(label=gettext_lazy("时间"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                 format="%Y-%m-%dT%H:%M"))
    position = forms.CharField(label=gettext_lazy("位置说明（选填）"), max_length=100, required=False,
                               help_text=gettext_lazy("如：3栋东侧消防通道"))
    # Filled by "使用我的位置" (the phone's geolocation, app.js); without it the record simply has no point.
    latitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    summary = forms.CharField(label=gettext_lazy("情况记录"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": gettext_lazy("请填写情况记录。")})
    findings = forms.CharField(label=gettext_lazy("发现的问题（选填，一行一个）"), max_length=3000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=gettext_lazy("每个问题保存后都可一键转为诉求。"))
    participants = forms.CharField(label=gettext_lazy("参加人员"), max_length=300, required=False,
                                   help_text=gettext_lazy("如：物业经理、业主代表两人、社区网格员"))
    organizations = forms.ModelMultipleChoiceField(label=gettext_lazy("参加单位"), required=False,
                                                   queryset=Organization.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple)
    photos = PhotosField(label=gettext_lazy("现场照片（选填）"), required=False)

    def __init__(self, *args, kind: str, estate: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.estate = kind, estate
        self.fields["place"].choices = _place_choices(estate)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["household"].configure(household_pool(estate), estate=estate.pk)
        if kind != RecordKind.VISIT:
            del self.fields["household"]
        else:
            self.fields["household"].required = True
            self.fields["household"].error_messages["required"] = gettext_lazy("走访请选择住户。")
        if kind in ESTATE_KINDS:
            self.fields["organizations"].queryset = Organization.objects.filter(
                is_active=True, kind__in=ESTATE_ORG_KINDS, path__startswith=estate.path[:-4]).order_by("kind", "name")
        else:
            del self.fields["participants"], self.fields["organizations"]

    def _point(self, name: str, bound: int):
        """The phone filled it, nobody typed it: a broken value is no point, never a refusal of the record."""
        try:
            return _coordinate(self.cleaned_data[name], bound, name)
        except forms.ValidationError:
            return None

    def clean_latitude(self):
        return self._point("latitude", 90)

    def clean_longitude(self):
        return self._point("longitude", 180)

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            data["latitude"] = data["longitude"] = None  # half a point is no point: keep the record, drop it
        return data

    def clean_findings(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["findings"].splitlines() if line.strip()]


class AssignForm(DomainErrorsMixin, Form):
    keeper = PersonPickField("grid_keeper", label=gettext_lazy("包联人"), queryset=Person.objects.none(),
                             hint=gettext_lazy("输入干部、网格员或党员的姓名、拼音或角色"),
                             error_messages={"required": gettext_lazy("请选择包联人。")})
    household = HouseholdPickField("grid_household", label=gettext_lazy("包联住户"), required=False,
                                   queryset=Household.objects.none())
    building = forms.ModelChoiceField(label=gettext_lazy("或包联整栋楼"), required=False, queryset=Area.objects.none(),
                                      empty_label=gettext_lazy("不选"))

    def __init__(self, *args, estate: Area, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keeper"].configure(keeper_pool(estate), estate=estate.pk)
        self.fields["household"].configure(household_pool(estate), estate=estate.pk)
        self.fields["building"].queryset = buildings_of(estate)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and bool(data.get("household")) == bool(data.get("building")):
            self.add_error("household", gettext_lazy("请选择一户，或选择一栋楼（二选一）。"))
        return data
