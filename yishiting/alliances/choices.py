from django.db import models
from django.utils.translation import gettext_lazy


class AllianceKind(models.TextChoices):
    COMMUNITY = "community", gettext_lazy("社区党建联盟")
    BUSINESS = "business", gettext_lazy("商圈党建联盟")


class AllianceStatus(models.TextChoices):
    FOUNDING = "founding", gettext_lazy("筹建中")
    ACTIVE = "active", gettext_lazy("运行中")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草案")
    CONSULTING = "consulting", gettext_lazy("征求意见中")
    ADOPTED = "adopted", gettext_lazy("现行")
    SUPERSEDED = "superseded", gettext_lazy("已被新版本取代")


class MemberStatus(models.TextChoices):
    APPLIED = "applied", gettext_lazy("已申请")
    REVIEWED = "reviewed", gettext_lazy("联络办已审核，待大会表决")
    ADMITTED = "admitted", gettext_lazy("成员单位")
    REJECTED = "rejected", gettext_lazy("未通过")
    WITHDRAWN = "withdrawn", gettext_lazy("已退出")
    REMOVED = "removed", gettext_lazy("已除名")


class VoteMatter(models.TextChoices):
    COVENANT = "covenant", gettext_lazy("通过盟约")
    ADMISSION = "admission", gettext_lazy("接纳成员单位")
    RATING = "rating", gettext_lazy("年度评定")
    AMENDMENT = "amendment", gettext_lazy("更正年度评定")


class VoteStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("表决中")
    PASSED = "passed", gettext_lazy("通过")
    FAILED = "failed", gettext_lazy("未通过")


class Choice(models.TextChoices):
    YES = "yes", gettext_lazy("同意")
    NO = "no", gettext_lazy("反对")
    ABSTAIN = "abstain", gettext_lazy("弃权")


class TaskSource(models.TextChoices):
    DEMAND = "demand", gettext_lazy("居民诉求")
    UNIT = "unit", gettext_lazy("成员单位")
    COMMUNITY = "community", gettext_lazy("社区")


class TaskStatus(models.TextChoices):
    COLLECTED = "collected", gettext_lazy("已收集")
    SORTED = "sorted", gettext_lazy("联络办已梳理")
    ASSIGNED = "assigned", gettext_lazy("已分派，办理中")
    DONE = "done", gettext_lazy("已完成")
    DROPPED = "dropped", gettext_lazy("不列入")


class MeetingKind(models.TextChoices):
    ASSEMBLY = "assembly", gettext_lazy("联盟大会")
    JOINT = "joint", gettext_lazy("联席会")


class RatingStatus(models.TextChoices):
    PROPOSED = "proposed", gettext_lazy("联络办初评")
    ADOPTED = "adopted", gettext_lazy("大会评定")
