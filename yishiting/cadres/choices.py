from django.db import models
from django.utils.translation import gettext_lazy


class CadreKind(models.TextChoices):
    """Whom an archive is kept for (seeds 000, 001): secretaries, reserve candidates, grid workers, young cadres."""

    SECRETARY = "secretary", gettext_lazy("社区书记")
    RESERVE = "reserve", gettext_lazy("后备干部")
    GRID_WORKER = "grid_worker", gettext_lazy("网格员")
    YOUNG = "young", gettext_lazy("年轻干部")


class PostKind(models.TextChoices):
    POST = "post", gettext_lazy("任职")
    ROTATION = "rotation", gettext_lazy("AB岗轮值")
    TRIAL = "trial", gettext_lazy("试岗锻炼")


class MentorKind(models.TextChoices):
    """The 导师库 of seed 004: scholars, sector experts, front-line backbone staff, retired cadres as advisers."""

    SCHOLAR = "scholar", gettext_lazy("高校学者")
    EXPERT = "expert", gettext_lazy("行业专家")
    BACKBONE = "backbone", gettext_lazy("业务骨干")
    ADVISER = "adviser", gettext_lazy("治理顾问")


class ActivityKind(models.TextChoices):
    COURSE = "course", gettext_lazy("课程")
    ACTIVITY = "activity", gettext_lazy("活动")
    PRACTICE = "practice", gettext_lazy("实战练兵")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("已提交")
    REVIEWED = "reviewed", gettext_lazy("已点评")
    PUBLISHED = "published", gettext_lazy("入选示范")


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("践诺中")
    DONE = "done", gettext_lazy("已兑现")
