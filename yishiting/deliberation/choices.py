"""Choices shared by the deliberation models, services and pages."""

from django.db import models


class TopicStatus(models.TextChoices):
    """The whole loop of a topic; this issue moves it as far as a resolution, the handling issue beyond."""

    OPEN = "open", "征求意见"
    ANALYSING = "analysing", "分析研判"
    SCHEDULED = "scheduled", "已安排协商"
    DELIBERATING = "deliberating", "协商中"
    RESOLVED = "resolved", "已形成决议"
    PUBLICISING = "publicising", "公示中"
    HANDLING = "handling", "办理中"
    EVALUATING = "evaluating", "评价中"
    ARCHIVED = "archived", "已归档"
    DROPPED = "dropped", "不再推进"
    CLOSED = "closed", "已结束"


class TopicSource(models.TextChoices):
    DEMANDS = "demands", "由诉求筛选形成"
    PROPOSAL = "proposal", "直接提议"


class Stance(models.TextChoices):
    SUPPORT = "support", "支持"
    OPPOSE = "oppose", "反对"
    OTHER = "other", "其他意见"


class OpinionChannel(models.TextChoices):
    ONLINE = "online", "网上"
    DOOR = "door", "入户征求"


class MeetingForm(models.TextChoices):
    ROUND_TABLE = "round_table", "圆桌会"
    JOINT = "joint", "联席会议"
    BENCH = "bench", "板凳议事"
    TALK = "talk", "民情恳谈"
    HEARING = "hearing", "听证会"
    ONLINE = "online", "网上议事"


class Party(models.TextChoices):
    """Who a participant speaks for: the chair (1), the eight parties of Kenli's 1+8+N, stakeholders (N) and
    others a template may name (leaders, professionals, staff)."""

    CHAIR = "chair", "召集人（党组织书记）"
    RESIDENT = "resident", "居民群众"
    GRID_WORKER = "grid_worker", "网格员"
    DEPUTY = "deputy", "两代表一委员"
    PROPERTY = "property", "物业公司"
    OWNERS_COMMITTEE = "owners_committee", "业委会"
    SOCIAL_ORG = "social_org", "社会组织"
    LEGAL_ADVISER = "legal_adviser", "法律顾问"
    DUAL_REGISTRATION = "dual_registration", "“双报到”单位"
    STAKEHOLDER = "stakeholder", "利益相关方"
    LEADER = "leader", "上级领导干部"
    STAFF = "staff", "社区工作人员"
    PROFESSIONAL = "professional", "专业人士"


# Those who attend in office (docs/masking.md): named in full in minutes and dossiers; the other parties masked.
IN_OFFICE_PARTIES = {Party.CHAIR, Party.GRID_WORKER, Party.LEADER, Party.STAFF}
EIGHT_PARTIES = [Party.RESIDENT, Party.GRID_WORKER, Party.DEPUTY, Party.PROPERTY, Party.OWNERS_COMMITTEE,
                 Party.SOCIAL_ORG, Party.LEGAL_ADVISER, Party.DUAL_REGISTRATION]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "已计划"
    IN_PROGRESS = "in_progress", "进行中"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已取消"


class StepKind(models.TextChoices):
    """The recorded procedure of a meeting, in the order the chair runs it."""

    OPENING = "opening", "主持人说明议题来源、审查情况和内容"
    PROPOSER = "proposer", "提议人说明"
    SPEECH = "speech", "自由发言"
    SUMMARY = "summary", "主持人总结"
    VOTE = "vote", "表决"
    RESOLUTION = "resolution", "形成决议"


class VenueKind(models.TextChoices):
    HALL = "hall", "议事厅"
    STATION = "station", "议事站"
    POINT = "point", "议事点"


class VoteMethod(models.TextChoices):
    HANDS = "hands", "举手表决"
    NAMED = "named", "记名投票"
    SECRET = "secret", "无记名投票"
    OWNERS = "owners", "业主共同决定（民法典第二百七十八条）"


class VoteRule(models.TextChoices):
    MAJORITY = "majority", "出席人数过半数"
    TWO_THIRDS = "two_thirds", "出席人数三分之二以上"
    CUSTOM = "custom", "自定义比例"
    ART278 = "art278", "民法典第二百七十八条"


class VoteStatus(models.TextChoices):
    OPEN = "open", "投票中"
    CLOSED = "closed", "已结束"


class OwnersMatter(models.TextChoices):
    """Civil Code Art. 278 (一)–(九). (六)–(八) need three quarters; the others more than half."""

    RULES = "rules", "（一）制定和修改业主大会议事规则"
    STATUTE = "statute", "（二）制定和修改管理规约"
    COMMITTEE = "committee", "（三）选举业主委员会或者更换业主委员会成员"
    MANAGER = "manager", "（四）选聘和解聘物业服务企业或者其他管理人"
    FUND_USE = "fund_use", "（五）使用建筑物及其附属设施的维修资金"
    FUND_RAISE = "fund_raise", "（六）筹集建筑物及其附属设施的维修资金"
    REBUILD = "rebuild", "（七）改建、重建建筑物及其附属设施"
    COMMON_USE = "common_use", "（八）改变共有部分的用途或者利用共有部分从事经营活动"
    OTHER = "other", "（九）有关共有和共同管理权利的其他重大事项"


SUPERMAJORITY_MATTERS = {OwnersMatter.FUND_RAISE, OwnersMatter.REBUILD, OwnersMatter.COMMON_USE}


class BallotChannel(models.TextChoices):
    ONLINE = "online", "网上投票"
    PAPER = "paper", "纸质票"
    HANDS = "hands", "现场"


class NextStep(models.TextChoices):
    PUBLICITY = "publicity", "进入公示和办理"
    REDELIBERATE = "redeliberate", "退回继续协商"
    DROPPED = "dropped", "不再推进"


class Cadence(models.TextChoices):
    NONE = "none", "不固定"
    MONTHLY = "monthly", "每月一次"
    TENS = "tens", "逢十议事（每月10日、20日、30日）"
