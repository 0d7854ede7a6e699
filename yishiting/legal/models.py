"""Legal services: the three-level expert pool (专家库), each community's legal adviser (一社区一法律顾问) and the
云律团 online consultations the pool's lawyers answer."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.choices import ExpertLevel
from yishiting.areas.models import Area, Organization, PathField, Person
from yishiting.common.dates import page_day

from .choices import Availability, ConsultationStatus, MessageKind


class ExpertField(models.Model):
    """A field of expertise (法律、建筑、财务、社会工作 …): admin-editable, so a district adds its own."""

    code = models.SlugField(gettext_lazy("代码"), max_length=32, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=32, unique=True)
    is_legal = models.BooleanField(gettext_lazy("法律类"), default=False,
                                   help_text=gettext_lazy("云律团的律师解答此类问题；居民提问时只列出法律类领域"))
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("专业领域")
        verbose_name_plural = gettext_lazy("专业领域")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """A person in the pool at a district, street or community (Kenli: 34 / 38 / 94), with their fields; a
    lawyer of the 云律团 answers online consultations in their fields."""

    person = models.ForeignKey(Person, verbose_name=gettext_lazy("人员"), on_delete=models.PROTECT, related_name="expert_records")
    level = models.PositiveSmallIntegerField(gettext_lazy("专家库级别"), choices=ExpertLevel.choices)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所在层级区域"), on_delete=models.PROTECT, related_name="experts")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    fields = models.ManyToManyField(ExpertField, verbose_name=gettext_lazy("专业领域"), related_name="experts")
    is_lawyer = models.BooleanField(gettext_lazy("云律团律师"), default=False)
    organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("所在单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="experts")
    title = models.CharField(gettext_lazy("职业或职务"), max_length=64, blank=True, help_text=gettext_lazy("如：执业律师、高级工程师、退休法官"))
    availability = models.CharField(gettext_lazy("可约请状态"), max_length=16, choices=Availability.choices,
                                    default=Availability.AVAILABLE)
    busy_until = models.DateField(gettext_lazy("繁忙截止日"), null=True, blank=True,
                                  help_text=gettext_lazy("繁忙到此日为止，次日起自动恢复为可约请"))
    note = models.CharField(gettext_lazy("简介"), max_length=300, blank=True)
    is_active = models.BooleanField(gettext_lazy("在库"), default=True)
    created_at = models.DateTimeField(gettext_lazy("入库时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("专家库成员")
        verbose_name_plural = gettext_lazy("专家库")
        ordering = ["level", "path", "pk"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(is_active=True), name="expert_one_active")]
        indexes = [models.Index(fields=["path"], name="expert_path_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_level_display()}"

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]

    @property
    def scope_path(self) -> str:
        return self.path

    def availability_on(self, day: date | None = None) -> str:
        """The state in force on `day` (today): 繁忙 ends by itself after its date, computed on read so no tick
        has to run before the expert is offered questions again."""
        day = day or timezone.localdate()
        if self.availability == Availability.BUSY and self.busy_until is not None and self.busy_until < day:
            return Availability.AVAILABLE
        return self.availability

    def takes_questions(self, day: date | None = None) -> bool:
        """Offered and told about new 云律团 questions, and the adviser escalations go to."""
        return self.availability_on(day) == Availability.AVAILABLE

    @property
    def availability_label(self) -> str:
        """"繁忙（至 12月20日）", "可约请" … as of today."""
        state = self.availability_on()
        if state == Availability.BUSY and self.busy_until is not None:
            return gettext("繁忙（至 %(date)s）") % {"date": page_day(self.busy_until)}
        return str(Availability(state).label)


def unavailable_q(day: date, prefix: str = "") -> Q:
    """Experts (filter on Expert, or through `prefix`) who take no new questions on `day`: 暂停服务, or 繁忙
    with no end date or one not yet passed."""
    busy = Q(**{f"{prefix}availability": Availability.BUSY}) & (
        Q(**{f"{prefix}busy_until__isnull": True}) | Q(**{f"{prefix}busy_until__gte": day}))
    return Q(**{f"{prefix}availability": Availability.AWAY}) | busy


class AdviserPost(models.Model):
    """一社区一法律顾问: a community's legal adviser for a term. A post ended early is kept with its real end."""

    community = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="adviser_posts")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    expert = models.ForeignKey(Expert, verbose_name=gettext_lazy("法律顾问"), on_delete=models.PROTECT, related_name="posts")
    starts_on = models.DateField(gettext_lazy("聘任起始日"))
    ends_on = models.DateField(gettext_lazy("聘任截止日"))
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("社区法律顾问")
        verbose_name_plural = gettext_lazy("一社区一法律顾问")
        ordering = ["path", "-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="adviser_term_order")]
        indexes = [models.Index(fields=["path", "ends_on"], name="adviser_post_idx")]

    def __str__(self) -> str:
        return f"{self.community.name} {self.expert.person}"

    @property
    def scope_path(self) -> str:
        return self.path


class ConsultationTemplate(models.Model):
    """How long a 云律团 question may wait for its answer, in working days (default 2), before the community's
    adviser takes it. The active template with the lowest order applies."""

    name = models.CharField(gettext_lazy("名称"), max_length=64)
    answer_working_days = models.PositiveSmallIntegerField(gettext_lazy("解答时限（工作日）"), default=2)
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("法律咨询模板")
        verbose_name_plural = gettext_lazy("法律咨询模板")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """A resident's legal question (云律团) and its thread. Other residents read it without the asker's name;
    lawyers and staff see the asker masked (staff who may unmask see the name, audited)."""

    number = models.CharField(gettext_lazy("编号"), max_length=20, unique=True, editable=False)
    asker = models.ForeignKey(Person, verbose_name=gettext_lazy("提问人"), on_delete=models.PROTECT, related_name="consultations")
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="consultations")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False, help_text=gettext_lazy("提问人所在社区的路径"))
    field = models.ForeignKey(ExpertField, verbose_name=gettext_lazy("领域"), on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(gettext_lazy("问题摘要"), max_length=100)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.OPEN)
    lawyer = models.ForeignKey(Expert, verbose_name=gettext_lazy("认领律师"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="claimed_consultations")
    adviser = models.ForeignKey(Expert, verbose_name=gettext_lazy("社区法律顾问"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="escalated_consultations")
    due_on = models.DateField(gettext_lazy("解答期限"))
    claimed_at = models.DateTimeField(gettext_lazy("认领时间"), null=True, blank=True)
    answered_at = models.DateTimeField(gettext_lazy("首次解答时间"), null=True, blank=True)
    answered_by = models.ForeignKey(Expert, verbose_name=gettext_lazy("首次解答人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="answered_consultations")
    escalated_at = models.DateTimeField(gettext_lazy("转法律顾问时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(gettext_lazy("评分"), null=True, blank=True)
    rating_comment = models.CharField(gettext_lazy("评价"), max_length=300, blank=True)
    mediation_case_id = models.PositiveBigIntegerField(gettext_lazy("调解案件"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("提问时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("法律咨询")
        verbose_name_plural = gettext_lazy("法律咨询（云律团）")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "field"], name="consultation_inbox_idx"),
                   models.Index(fields=["path", "-created_at"], name="consultation_path_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def owner_person_ids(self) -> list[int]:
        return [self.asker_id]

    @property
    def scope_path(self) -> str:
        return self.path


class ConsultationMessage(models.Model):
    """One turn of the thread: the question, an answer, a follow-up."""

    consultation = models.ForeignKey(Consultation, verbose_name=gettext_lazy("咨询"), on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=MessageKind.choices)
    author = models.ForeignKey(Person, verbose_name=gettext_lazy("发言人"), on_delete=models.PROTECT, related_name="+")
    expert = models.ForeignKey(Expert, verbose_name=gettext_lazy("解答专家"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(gettext_lazy("内容"), max_length=4000)
    created_at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("咨询留言")
        verbose_name_plural = gettext_lazy("咨询留言")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.get_kind_display()}"


class ConsultationPhoto(models.Model):
    consultation = models.ForeignKey(Consultation, verbose_name=gettext_lazy("咨询"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(gettext_lazy("图片"), upload_to="legal/%Y/%m/")  # ≤ 1600 px, no EXIF (demands.photos)
    thumbnail = models.FileField(gettext_lazy("缩略图"), upload_to="legal/thumbs/%Y/%m/", blank=True)
    content_type = models.CharField(gettext_lazy("类型"), max_length=32)
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = gettext_lazy("咨询照片")
        verbose_name_plural = gettext_lazy("咨询照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.sha256[:8]}"
