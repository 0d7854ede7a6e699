from django.db import models
from django.utils.translation import gettext_lazy


class Channel(models.TextChoices):
    HOME_VISIT = "home_visit", gettext_lazy("民情家访")
    PATROL = "patrol", gettext_lazy("网格巡查")
    OPINION_CARD = "opinion_card", gettext_lazy("意见卡")
    QUESTIONNAIRE = "questionnaire", gettext_lazy("问卷")
    ONLINE = "online", gettext_lazy("线上")
    CHAT_GROUP = "chat_group", gettext_lazy("微信/QQ群")
    HOTLINE = "hotline", gettext_lazy("热线")
    MEMBER_VISIT = "member_visit", gettext_lazy("在职党员/两代表一委员进社区")
    WHISTLE = "whistle", gettext_lazy("吹哨")
    OPEN311 = "open311", gettext_lazy("Open311 接口")
    ALLIANCE = "alliance", gettext_lazy("党建联盟联席会")  # issue 21: problems raised at an alliance's joint meeting


class Urgency(models.TextChoices):
    NORMAL = "normal", gettext_lazy("一般")
    URGENT = "urgent", gettext_lazy("紧急")
    CRITICAL = "critical", gettext_lazy("特急")


URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}


class Status(models.TextChoices):
    PENDING = "pending", gettext_lazy("待筛选")
    ESCALATED = "escalated", gettext_lazy("已提请上级")
    TOPIC = "topic", gettext_lazy("已转为议题")
    HANDLING = "handling", gettext_lazy("直接办理")
    MEDIATION = "mediation", gettext_lazy("转入调解")
    REJECTED = "rejected", gettext_lazy("不予受理")
    MERGED = "merged", gettext_lazy("已合并")


class Outcome(models.TextChoices):
    """The five screening outcomes (merging a duplicate is separate: it follows its primary)."""

    TOPIC = "topic", gettext_lazy("转为议题（公共事务）")
    HANDLING = "handling", gettext_lazy("直接办理（个人需求）")
    MEDIATION = "mediation", gettext_lazy("调解（矛盾纠纷）")
    ESCALATE = "escalate", gettext_lazy("提请上级")
    REJECT = "reject", gettext_lazy("不予受理")


class ReporterKind(models.TextChoices):
    SELF = "self", gettext_lazy("本人提交")
    ANONYMOUS = "anonymous", gettext_lazy("匿名")
    ON_BEHALF = "on_behalf", gettext_lazy("工作人员代录")


class Nature(models.TextChoices):
    """公私分开: public affairs go to deliberation, individual interests are handled directly."""

    PUBLIC = "public", gettext_lazy("公共事务")
    INDIVIDUAL = "individual", gettext_lazy("个人诉求")
    DISPUTE = "dispute", gettext_lazy("矛盾纠纷")
