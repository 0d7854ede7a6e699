"""Choices of the mediation app (人民调解): case status, tiers, parties, mediators, agreements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    # "open" is the value cases opened by screening had before this app grew: they were never accepted, so
    # they read as 待受理 now (no data migration needed).
    OPEN = "open", _("待受理")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("已达成协议")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")


class CaseSource(models.TextChoices):
    SCREENING = "screening", _("诉求筛选转入")
    MEDIATOR = "mediator", _("调解员主动调解")
    APPLICATION = "application", _("当事人申请")
    CONSULTATION = "consultation", _("法律咨询转入")


class Tier(models.IntegerChoices):
    """The "三二一" tiers: 3 attempts at the community, 2 at the street/town, 1 at the district/city."""

    COMMUNITY = 1, _("社区初调")
    STREET = 2, _("镇街深调")
    DISTRICT = 3, _("区（市）级调解")


class Outcome(models.TextChoices):
    """How a closed case ended."""

    AGREEMENT = "agreement", _("调解成功")
    FAILED = "failed", _("调解不成")
    REFUSED = "refused", _("当事人不同意调解")
    WITHDRAWN = "withdrawn", _("当事人撤回")


class Hearing(models.TextChoices):
    PRIVATE = "private", _("不公开调解")
    PUBLIC = "public", _("公开调解")


class Side(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("个人")
    HOUSEHOLD = "household", _("住户")
    ORGANIZATION = "organization", _("单位")


class Consent(models.TextChoices):
    PENDING = "pending", _("待确认")
    AGREED = "agreed", _("同意调解")
    REFUSED = "refused", _("不同意调解")


class MemberKind(models.TextChoices):
    MEDIATOR = "mediator", _("人民调解员")
    LEGAL_LITERATE = "legal_literate", _("法治明白人")
    LEGAL_ADVISER = "legal_adviser", _("法律顾问")
    RETIRED_PARTY_MEMBER = "retired_party_member", _("退休党员")
    EXPERT = "expert", _("专家")
    STAFF = "staff", _("社区（街道）干部")


class MediatorStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    STEPPED_ASIDE = "stepped_aside", _("回避")
    REFUSED = "refused", _("当事人拒绝")


class AttemptResult(models.TextChoices):
    SUCCESS = "success", _("达成协议")
    FAILED = "failed", _("未达成协议")


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("书面协议（调解协议书）")
    ORAL = "oral", _("口头协议")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("待签署")
    EFFECTIVE = "effective", _("已生效")


class SignerKind(models.TextChoices):
    PARTY = "party", _("当事人")
    MEDIATOR = "mediator", _("调解员")


class SignMethod(models.TextChoices):
    SIGNATURE = "signature", _("签名")
    FINGERPRINT = "fingerprint", _("按指印")


class Confirmation(models.TextChoices):
    """Judicial confirmation (司法确认, art. 33): the parties may jointly apply within 30 days."""

    NONE = "none", _("未申请")
    CONFIRMED = "confirmed", _("法院已确认")
    REFUSED = "refused", _("法院不予确认")
    WAIVED = "waived", _("当事人不申请")


class ObligationStatus(models.TextChoices):
    PENDING = "pending", _("待履行")
    PERFORMED = "performed", _("已履行")
    NOT_PERFORMED = "not_performed", _("未履行")


class WarningLevel(models.TextChoices):
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色预警")
    ESCALATED = "escalated", _("提级督办")
