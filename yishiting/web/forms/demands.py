"""Forms of the demand pages: the resident's submit form, the worker's fast entry, and the list filters.

Forms parse and check what a person typed; the services (demands.services, demands.screening) decide.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import area_find, community_depth, level_choices, people_filter
from yishiting.areas.validation import clean_mobile
from yishiting.common.errors import DomainError
from yishiting.common.forms import Form
from yishiting.common.masking import mask_mobile, mask_name
from yishiting.demands.choices import Channel, Status, Urgency
from yishiting.demands.photos import MAX_BYTES, MAX_PHOTOS
from yishiting.demands.selectors import categories_active

MAX_TEXT = 2000
PICKER_LIMIT = 8


def area_label(area: Area) -> str:
    """'幸福苑社区/幸福苑小区/幸福苑3栋': the path from the community down (what residents recognise)."""
    parts = (area.full_name or area.name).split("/")
    return "/".join(parts[community_depth() - 1:]) or area.name


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return area_label(obj)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """A short select's options from one plain query. Django's own reads them through queryset.iterator(): on
    PostgreSQL a server-side cursor, three round trips (DECLARE, FETCH, CLOSE) for a dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedCategoryField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedAreaField(AreaChoiceField):
    iterator = ListedChoiceIterator


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilePickerInput(forms.FileInput):
    """<input type=file multiple> drawn as the site's big button ("拍照或选择照片") with a count; app.js also
    warns before sending when a file is over its limit (`data-max-bytes`)."""

    template_name = "web/widgets/file_picker.html"
    allow_multiple_selected = True

    def __init__(self, *, accept: str, button: str, max_bytes: int, unit: str = gettext_lazy("张"), attrs=None) -> None:
        super().__init__(attrs={"accept": accept, "data-max-bytes": max_bytes, "data-unit": unit, **(attrs or {})})
        self.button = button

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["button"], context["widget"]["unit"] = self.button, self.attrs["data-unit"]
        return context


class PhotosField(forms.FileField):
    """Up to nine photos from one <input type=file multiple>; each is checked by content in demand_submit."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", FilePickerInput(accept="image/jpeg,image/png,image/webp,image/*",
                                                    button=gettext_lazy("拍照或选择照片"), max_bytes=MAX_BYTES))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(gettext('最多上传 %(max_photos)s 张照片（您选了 %(len)s 张）。') % {"max_photos": MAX_PHOTOS, "len": len(files)})
        for index, upload in enumerate(files, start=1):
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(gettext('第 %(index)s 张照片超过 10 MB，请换一张或压缩后再传。') % {"index": index})
        return files


def read_photos(files: list[UploadedFile]) -> list[bytes]:
    return [b"".join(upload.chunks()) for upload in files]


def _coordinate(value: str, bound: int, label: str) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise forms.ValidationError(gettext('%(label)s应为数字。') % {"label": label}) from None
    if not -bound <= number <= bound:
        raise forms.ValidationError(gettext('%(label)s超出范围。') % {"label": label})
    return number


def date_input() -> forms.DateInput:
    """The phone's own date picker; its value must be ISO (2026-11-27) whatever the language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def new_token() -> str:
    """A per-form key: a double tap or a resend on a weak network gives back the same demand, not two."""
    return uuid.uuid4().hex


class DomainErrorsMixin:
    """Show a service's DomainError on the field it names (details.field), or above the form."""

    field_aliases: dict[str, str] = {}
    id_prefix = ""  # a form sharing its page with another that has the same field names sets its own element ids

    def __init__(self, *args, **kwargs) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.details.get("field") if isinstance(exc.details, dict) else None
        field = self.field_aliases.get(field, field)
        self.add_error(field if field in self.fields else None, exc.message)


class DemandSubmitForm(DomainErrorsMixin, Form):
    """What a resident fills in on a phone. Works as a plain form; htmx only adds the live suggestion."""

    text = forms.CharField(
        label=gettext_lazy("您要反映什么问题"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT,
                                     "placeholder": gettext_lazy("例如：3栋电梯坏了两天，老人上下楼很困难")}),
        error_messages={"required": gettext_lazy("请填写诉求内容。"), "max_length": gettext_lazy("诉求内容不能超过 2000 字。")})
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), queryset=categories_active(), required=False,
                                      empty_label=gettext_lazy("按内容自动归类"),
                                      widget=forms.Select(attrs={"data-suggest-target": "true"}))
    area = AreaChoiceField(label=gettext_lazy("发生在哪里"), queryset=Area.objects.none(), empty_label=None,
                           error_messages={"invalid_choice": gettext_lazy("请在您所在社区内选择地点。")})
    address = forms.CharField(label=gettext_lazy("详细位置（选填）"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：3栋1单元门口、东门停车场")}))
    latitude = forms.CharField(label=gettext_lazy("纬度"), required=False, max_length=20,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    longitude = forms.CharField(label=gettext_lazy("经度"), required=False, max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    photos = PhotosField(label=gettext_lazy("照片（选填，最多 9 张）"), required=False)
    urgency = forms.ChoiceField(label=gettext_lazy("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect)
    anonymous = forms.BooleanField(label=gettext_lazy("匿名反映"), required=False,
                                   help_text=gettext_lazy("匿名时工作人员看不到您是谁，也无法给您回复办理结果。"))
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, areas: QuerySet[Area], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean_latitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data["latitude"], 90, gettext("纬度"))

    def clean_longitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data["longitude"], 180, gettext("经度"))

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", gettext("请同时填写经度和纬度，或都不填。"))
        return data


ENTRY_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.OPEN311]


class ReporterMode:
    RESIDENT = "resident"
    NEW = "new"
    SELF = "self"
    ANONYMOUS = "anonymous"
    CHOICES = [(RESIDENT, gettext_lazy("代已登记的居民")), (NEW, gettext_lazy("代新居民（登记姓名和手机号）")), (SELF, gettext_lazy("本人发现")),
               (ANONYMOUS, gettext_lazy("匿名"))]
    NEEDS_CONSENT = {RESIDENT, NEW}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)


def person_label(person: Person) -> str:
    """张* 138****0001 · 幸福苑3栋1单元101: masked, with the place so two 张* can be told apart."""
    place = ""
    if person.household_id:
        unit = person.household.unit
        place = f"{unit.parent.name if unit.parent_id else ''}{unit.name}{person.household.number}"
    elif person.area_id:
        place = person.area.name
    return " ".join(part for part in (mask_name(person.name), mask_mobile(person.mobile)) if part) + \
        (f" · {place}" if place else "")


class DemandEntryForm(DomainErrorsMixin, Form):
    """The worker's fast entry: keyboard only, Enter saves. Area and resident are found by typing; without
    JavaScript a search that finds exactly one is taken, several are offered as choices on the next page."""

    field_aliases = {"consent_recorded": "consent", "mobile": "new_mobile", "name": "new_name"}

    area_q = forms.CharField(label=gettext_lazy("区域"), max_length=50, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True,
                                                           "accesskey": "a", "spellcheck": "false",
                                                           "placeholder": gettext_lazy("楼栋名称或拼音首字母，如 xfy3")}))
    area = AreaChoiceField(label=gettext_lazy("选定区域"), queryset=Area.objects.none(), required=False,
                           widget=forms.RadioSelect)
    text = forms.CharField(label=gettext_lazy("诉求内容"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT, "accesskey": "n"}),
                           error_messages={"required": gettext_lazy("请填写诉求内容。")})
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), queryset=categories_active(), required=False,
                                      empty_label=gettext_lazy("按内容自动归类"),
                                      widget=forms.Select(attrs={"accesskey": "c", "data-suggest-target": "true"}))
    channel = forms.ChoiceField(label=gettext_lazy("渠道"), choices=ENTRY_CHANNELS, initial=Channel.HOME_VISIT,
                                widget=forms.Select(attrs={"accesskey": "q"}))
    urgency = forms.ChoiceField(label=gettext_lazy("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    mode = forms.ChoiceField(label=gettext_lazy("诉求人"), choices=ReporterMode.CHOICES, initial=ReporterMode.RESIDENT,
                             widget=forms.RadioSelect)
    person_q = forms.CharField(label=gettext_lazy("查找居民"), max_length=50, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "accesskey": "r",
                                                             "placeholder": gettext_lazy("完整姓名或手机号")}))
    reporter = PersonChoiceField(label=gettext_lazy("选定居民"), queryset=Person.objects.none(), required=False,
                                 widget=forms.RadioSelect)
    new_name = forms.CharField(label=gettext_lazy("新居民姓名"), max_length=50, required=False)
    new_mobile = forms.CharField(label=gettext_lazy("新居民手机号"), max_length=20, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    consent = forms.BooleanField(label=gettext_lazy("已取得本人同意，由我代为录入"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, areas: QuerySet[Area], people: QuerySet[Person], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scope_areas, self.scope_people = areas, people
        self.fields["area"].queryset = areas
        self.fields["reporter"].queryset = people
        self.area_matches: list[Area] = []
        self.person_matches: list[Person] = []

    def clean(self) -> dict:
        data = super().clean()
        self._resolve_area(data)
        mode = data.get("mode")
        if mode == ReporterMode.RESIDENT:
            self._resolve_person(data)
        elif mode == ReporterMode.NEW:
            self._check_new_person(data)
        if mode in ReporterMode.NEEDS_CONSENT and not data.get("consent"):
            self.add_error("consent", gettext("代居民录入须先取得本人同意，并勾选“已取得本人同意”。"))
        return data

    def _resolve_area(self, data: dict) -> None:
        if data.get("area") is not None:
            return
        term = (data.get("area_q") or "").strip()
        if not term:
            self.add_error("area_q", gettext("请输入并选择区域（名称或拼音首字母）。"))
            return
        self.area_matches = area_find(self.scope_areas, term, PICKER_LIMIT + 1)
        if len(self.area_matches) == 1:
            data["area"] = self.area_matches[0]
        else:
            self.add_error("area_q", gettext("没有找到该区域。") if not self.area_matches else gettext("找到多个区域，请选择一个。"))

    def _resolve_person(self, data: dict) -> None:
        if data.get("reporter") is not None:
            return
        term = (data.get("person_q") or "").strip()
        if not term:
            self.add_error("person_q", gettext("请输入居民的完整姓名或手机号查找；查不到可选“代新居民”。"))
            return
        self.person_matches = list(people_filter(self.scope_people, q=term)[:PICKER_LIMIT + 1])
        if len(self.person_matches) == 1:
            data["reporter"] = self.person_matches[0]
        else:
            self.add_error("person_q", gettext("没有找到该居民，可选“代新居民”登记。") if not self.person_matches
                           else gettext("找到多位居民，请选择一位。"))

    def _check_new_person(self, data: dict) -> None:
        if not (data.get("new_name") or "").strip():
            self.add_error("new_name", gettext("请填写新居民的姓名。"))
        try:
            data["new_mobile"] = clean_mobile(data.get("new_mobile"))
        except DomainError as exc:
            self.add_error("new_mobile", exc.message)
            return
        if not data["new_mobile"]:
            self.add_error("new_mobile", gettext("请填写新居民的手机号，用于告知办理结果。"))


STATUS_FILTER_CHOICES = [("", gettext_lazy("全部状态")), *Status.choices]


class ListFilterForm(Form):
    """三张清单 filters: status, category, channel, period and level (the same fields as the API)."""

    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=STATUS_FILTER_CHOICES, required=False)
    category = ListedCategoryField(label=gettext_lazy("类别"), queryset=categories_active(), required=False,
                                   empty_label=gettext_lazy("全部类别"))
    channel = forms.ChoiceField(label=gettext_lazy("渠道"), choices=[("", gettext_lazy("全部渠道")), *Channel.choices], required=False)
    start = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=date_input())
    end = forms.DateField(label=gettext_lazy("截止日期"), required=False, widget=date_input())
    level = forms.ChoiceField(label=gettext_lazy("办理层级"), required=False)
    area = ListedAreaField(label=gettext_lazy("区域"), queryset=Area.objects.none(), required=False, empty_label=gettext_lazy("全部区域"))

    def __init__(self, *args, areas: QuerySet[Area], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", gettext("全部层级")), *level_choices()]
        self.fields["area"].queryset = areas

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", gettext("截止日期不能早于起始日期。"))
        return data


class InboxFilterForm(Form):
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("待筛选和已提请")), (Status.PENDING, Status.PENDING.label),
                                        (Status.ESCALATED, gettext_lazy("上级待筛选（下级提请）"))])
    category = forms.ModelChoiceField(label=gettext_lazy("类别"), queryset=categories_active(), required=False,
                                      empty_label=gettext_lazy("全部类别"))
    urgency = forms.ChoiceField(label=gettext_lazy("紧急程度"), choices=[("", gettext_lazy("全部")), *Urgency.choices], required=False)
    overdue = forms.BooleanField(label=gettext_lazy("只看逾期"), required=False)
    below = forms.BooleanField(label=gettext_lazy("含下级待筛选（督办）"), required=False)
    q = forms.CharField(label=gettext_lazy("编号或内容"), max_length=50, required=False,
                        widget=forms.SearchInput(attrs={"placeholder": gettext_lazy("编号或内容关键词")}))
