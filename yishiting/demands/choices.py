from django.db import models


class Channel(models.TextChoices):
    HOME_VISIT = "home_visit", "民情家访"
    PATROL = "patrol", "网格巡查"
    OPINION_CARD = "opinion_card", "意见卡"
    QUESTIONNAIRE = "questionnaire", "问卷"
    ONLINE = "online", "线上"
    CHAT_GROUP = "chat_group", "微信/QQ群"
    HOTLINE = "hotline", "热线"
    MEMBER_VISIT = "member_visit", "在职党员/两代表一委员进社区"
    WHISTLE = "whistle", "吹哨"
    OPEN311 = "open311", "Open311 接口"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}


class Status(models.TextChoices):
    PENDING = "pending", "待筛选"
    ESCALATED = "escalated", "已提请上级"
    TOPIC = "topic", "已转为议题"
    HANDLING = "handling", "直接办理"
    MEDIATION = "mediation", "转入调解"
    REJECTED = "rejected", "不予受理"
    MERGED = "merged", "已合并"


class Outcome(models.TextChoices):
    """The five screening outcomes (merging a duplicate is separate: it follows its primary)."""

    TOPIC = "topic", "转为议题（公共事务）"
    HANDLING = "handling", "直接办理（个人需求）"
    MEDIATION = "mediation", "调解（矛盾纠纷）"
    ESCALATE = "escalate", "提请上级"
    REJECT = "reject", "不予受理"


class ReporterKind(models.TextChoices):
    SELF = "self", "本人提交"
    ANONYMOUS = "anonymous", "匿名"
    ON_BEHALF = "on_behalf", "工作人员代录"


class Nature(models.TextChoices):
    """公私分开: public affairs go to deliberation, individual interests are handled directly."""

    PUBLIC = "public", "公共事务"
    INDIVIDUAL = "individual", "个人诉求"
    DISPUTE = "dispute", "矛盾纠纷"
