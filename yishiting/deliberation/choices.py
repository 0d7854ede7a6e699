"""Choices shared by the deliberation models, services and pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicStatus(models.TextChoices):
    """The whole loop of a topic; this issue moves it as far as a resolution, the handling issue beyond."""

    OPEN = "open", _("征求意见")
    ANALYSING = "analysing", _("分析研判")
    SCHEDULED = "scheduled", _("已安排协商")
    DELIBERATING = "deliberating", _("协商中")
    RESOLVED = "resolved", _("已形成决议")
    PUBLICISING = "publicising", _("公示中")
    HANDLING = "handling", _("办理中")
    EVALUATING = "evaluating", _("评价中")
    ARCHIVED = "archived", _("已归档")
    DROPPED = "dropped", _("不再推进")
    CLOSED = "closed", _("已结束")


class TopicSource(models.TextChoices):
    DEMANDS = "demands", _("由诉求筛选形成")
    PROPOSAL = "proposal", _("直接提议")


class Stance(models.TextChoices):
    SUPPORT = "support", _("支持")
    OPPOSE = "oppose", _("反对")
    OTHER = "other", _("其他意见")


class OpinionChannel(models.TextChoices):
    ONLINE = "online", _("网上")
    DOOR = "door", _("入户征求")


class MeetingForm(models.TextChoices):
    ROUND_TABLE = "round_table", _("圆桌会")
    JOINT = "joint", _("联席会议")
    BENCH = "bench", _("板凳议事")
    TALK = "talk", _("民情恳谈")
    HEARING = "hearing", _("听证会")
    ONLINE = "online", _("网上议事")


class Party(models.TextChoices):
    """Who a participant speaks for: the chair (1), the eight parties of Kenli's 1+8+N, stakeholders (N) and
    others a template may name (leaders, professionals, staff)."""

    CHAIR = "chair", _("召集人（党组织书记）")
    RESIDENT = "resident", _("居民群众")
    GRID_WORKER = "grid_worker", _("网格员")
    DEPUTY = "deputy", _("两代表一委员")
    PROPERTY = "property", _("物业公司")
    OWNERS_COMMITTEE = "owners_committee", _("业委会")
    SOCIAL_ORG = "social_org", _("社会组织")
    LEGAL_ADVISER = "legal_adviser", _("法律顾问")
    DUAL_REGISTRATION = "dual_registration", _("“双报到”单位")
    STAKEHOLDER = "stakeholder", _("利益相关方")
    LEADER = "leader", _("上级领导干部")
    STAFF = "staff", _("社区工作人员")
    PROFESSIONAL = "professional", _("专业人士")


# Those who attend in office (docs/masking.md): named in full in minutes and dossiers; the other parties masked.
IN_OFFICE_PARTIES = {Party.CHAIR, Party.GRID_WORKER, Party.LEADER, Party.STAFF}
EIGHT_PARTIES = [Party.RESIDENT, Party.GRID_WORKER, Party.DEPUTY, Party.PROPERTY, Party.OWNERS_COMMITTEE,
                 Party.SOCIAL_ORG, Party.LEGAL_ADVISER, Party.DUAL_REGISTRATION]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    IN_PROGRESS = "in_progress", _("进行中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class StepKind(models.TextChoices):
    """The recorded procedure of a meeting, in the order the chair runs it."""

    OPENING = "opening", _("主持人说明议题来源、审查情况和内容")
    PROPOSER = "proposer", _("提议人说明")
    SPEECH = "speech", _("自由发言")
    SUMMARY = "summary", _("主持人总结")
    VOTE = "vote", _("表决")
    RESOLUTION = "resolution", _("形成决议")


class VenueKind(models.TextChoices):
    HALL = "hall", _("议事厅")
    STATION = "station", _("议事站")
    POINT = "point", _("议事点")


class VoteMethod(models.TextChoices):
    HANDS = "hands", _("举手表决")
    NAMED = "named", _("记名投票")
    SECRET = "secret", _("无记名投票")
    OWNERS = "owners", _("业主共同决定（民法典第二百七十八条）")


class VoteRule(models.TextChoices):
    MAJORITY = "majority", _("出席人数过半数")
    TWO_THIRDS = "two_thirds", _("出席人数三分之二以上")
    CUSTOM = "custom", _("自定义比例")
    ART278 = "art278", _("民法典第二百七十八条")


class VoteStatus(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已结束")


class OwnersMatter(models.TextChoices):
    """Civil Code Art. 278 (一)–(九). (六)–(八) need three quarters; the others more than half."""

    RULES = "rules", _("（一）制定和修改业主大会议事规则")
    STATUTE = "statute", _("（二）制定和修改管理规约")
    COMMITTEE = "committee", _("（三）选举业主委员会或者更换业主委员会成员")
    MANAGER = "manager", _("（四）选聘和解聘物业服务企业或者其他管理人")
    FUND_USE = "fund_use", _("（五）使用建筑物及其附属设施的维修资金")
    FUND_RAISE = "fund_raise", _("（六）筹集建筑物及其附属设施的维修资金")
    REBUILD = "rebuild", _("（七）改建、重建建筑物及其附属设施")
    COMMON_USE = "common_use", _("（八）改变共有部分的用途或者利用共有部分从事经营活动")
    OTHER = "other", _("（九）有关共有和共同管理权利的其他重大事项")


SUPERMAJORITY_MATTERS = {OwnersMatter.FUND_RAISE, OwnersMatter.REBUILD, OwnersMatter.COMMON_USE}


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质票")
    HANDS = "hands", _("现场")


class NextStep(models.TextChoices):
    PUBLICITY = "publicity", _("进入公示和办理")
    REDELIBERATE = "redeliberate", _("退回继续协商")
    DROPPED = "dropped", _("不再推进")


class Cadence(models.TextChoices):
    NONE = "none", _("不固定")
    MONTHLY = "monthly", _("每月一次")
    TENS = "tens", _("逢十议事（每月10日、20日、30日）")
