from django.db import models
from django.utils.translation import gettext_lazy


class ProviderKind(models.TextChoices):
    """Who offers services on a community's menu (seed 004: units, party members, volunteers, social organisations)."""

    UNIT = "unit", gettext_lazy("双报到单位")
    PARTY_MEMBER = "party_member", gettext_lazy("在职党员")
    VOLUNTEER = "volunteer", gettext_lazy("志愿者")
    SOCIAL_ORG = "social_org", gettext_lazy("社会组织")


class ServicePost(models.TextChoices):
    """The service posts (服务岗位) an in-service party member chooses when reporting to a community."""

    POLICY = "policy", gettext_lazy("政策宣传")
    ENVIRONMENT = "environment", gettext_lazy("环境整治")
    CARE = "care", gettext_lazy("关爱帮扶")
    PATROL = "patrol", gettext_lazy("平安巡逻")
    CIVILITY = "civility", gettext_lazy("文明创建")
    DELIBERATION = "deliberation", gettext_lazy("议事协商")


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("待派单")
    DISPATCHED = "dispatched", gettext_lazy("待接单")
    ESCALATED = "escalated", gettext_lazy("超时转社区")
    ACCEPTED = "accepted", gettext_lazy("服务中")
    REPORTED = "reported", gettext_lazy("待确认")
    RATED = "rated", gettext_lazy("已评价")
    CANCELLED = "cancelled", gettext_lazy("已取消")


class Grade(models.TextChoices):
    """考核建议 (seed 003: 双报到单位及党员考核管理办法)."""

    GOOD = "good", gettext_lazy("好")
    FAIRLY_GOOD = "fairly_good", gettext_lazy("较好")
    AVERAGE = "average", gettext_lazy("一般")
    POOR = "poor", gettext_lazy("差")
