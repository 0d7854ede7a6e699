"""信托制物业 (trust property fund) and the 业委会's quarterly disclosure (issue 21, seed 001: Yuyuan, Jinan).

An estate's property fees and public income go into a trust fund; the property company takes an agreed percentage
of the income as its remuneration (`TrustContract`, versioned by date; computed and posted with each income
line); an expense is paid only when both sides' authorised persons (`Signatory`: 业委会 and 物业公司 — the
双密码) approve it. `Entry` is the ledger: append-only (the database refuses UPDATE and DELETE, migration 0002;
a correction is a reversing line); `TrustFund` keeps the running totals, locked by every posting, and a CHECK
keeps balance = income − remuneration − expenses ≥ 0. Owners of the estate see everything; a question on a line
goes to both sides and its answer stays with the line. Estates without a trust publish a `Disclosure` each quarter.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from yishiting.areas.models import Area, Organization, PathField, Person
from yishiting.common.stored_photo import StoredPhoto

from .choices import (
    Category,
    Decision,
    DisclosureStatus,
    EntryKind,
    ExpenseStatus,
    LineKind,
    ReversalStatus,
    Side,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class TrustFund(models.Model):
    estate = models.OneToOneField(Area, verbose_name=gettext_lazy("小区"), on_delete=models.PROTECT,
                                  related_name="trust_fund")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    owners_committee = models.ForeignKey(Organization, verbose_name=gettext_lazy("业主委员会"),
                                         on_delete=models.PROTECT, related_name="+",
                                         limit_choices_to={"kind": "owners_committee"})
    property_company = models.ForeignKey(Organization, verbose_name=gettext_lazy("物业服务企业"),
                                         on_delete=models.PROTECT, related_name="+",
                                         limit_choices_to={"kind": "property_company"})
    opened_on = models.DateField(gettext_lazy("设立日期"))
    # running totals, written only by services.ledger under the fund's row lock
    income_total = models.DecimalField(gettext_lazy("收入合计"), default=0, editable=False, **MONEY)
    remuneration_total = models.DecimalField(gettext_lazy("酬金合计"), default=0, editable=False, **MONEY)
    expense_total = models.DecimalField(gettext_lazy("支出合计"), default=0, editable=False, **MONEY)
    balance = models.DecimalField(gettext_lazy("余额"), default=0, editable=False, **MONEY)
    entry_count = models.PositiveIntegerField(gettext_lazy("笔数"), default=0, editable=False)

    class Meta:
        verbose_name = gettext_lazy("信托基金")
        verbose_name_plural = gettext_lazy("信托基金")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                # ROUND: SQLite computes in binary floating point; PostgreSQL's numeric is exact either way
                condition=Q(balance=Round(F("income_total") - F("remuneration_total") - F("expense_total"), 2)),
                name="trustfund_balance_is_sum",
                violation_error_message=gettext_lazy("余额应等于收入减酬金减支出。")),
            models.CheckConstraint(condition=Q(balance__gte=0), name="trustfund_balance_not_negative",
                                   violation_error_message=gettext_lazy("余额不能为负。")),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.estate.path
        super().save(*args, **kwargs)

    @property
    def scope_path(self) -> str:
        return self.path


class TrustContract(models.Model):
    """The agreed remuneration rate from a date on; the contract in force on an income's date computes it."""

    fund = models.ForeignKey(TrustFund, verbose_name=gettext_lazy("信托基金"), on_delete=models.PROTECT,
                             related_name="contracts")
    effective_from = models.DateField(gettext_lazy("生效日期"))
    rate = models.DecimalField(gettext_lazy("酬金比例（%）"), max_digits=5, decimal_places=2,
                               help_text=gettext_lazy("物业服务企业按收入的此比例提取酬金，如 10.00"))
    note = models.CharField(gettext_lazy("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("信托合同")
        verbose_name_plural = gettext_lazy("信托合同")
        ordering = ["fund", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "effective_from"], name="trustcontract_one_per_day",
                                    violation_error_message=gettext_lazy("同一天只能有一份生效的合同。")),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lte=100), name="trustcontract_rate_percent",
                                   violation_error_message=gettext_lazy("酬金比例应在 0 到 100 之间。")),
        ]

    def __str__(self) -> str:
        return gettext("%(date)s 起 %(rate)s%%") % {"date": self.effective_from, "rate": self.rate}


class Signatory(models.Model):
    """An authorised person of one side: approves or refuses expenses for that side, posts and answers."""

    fund = models.ForeignKey(TrustFund, verbose_name=gettext_lazy("信托基金"), on_delete=models.PROTECT,
                             related_name="signatories")
    side = models.CharField(gettext_lazy("一方"), max_length=16, choices=Side.choices)
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("授权人"), on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)

    class Meta:
        verbose_name = gettext_lazy("授权人")
        verbose_name_plural = gettext_lazy("授权人（双密码）")
        ordering = ["fund", "side", "id"]
        constraints = [models.UniqueConstraint(fields=["fund", "person"], condition=Q(is_active=True),
                                               name="signatory_one_side",
                                               violation_error_message=gettext_lazy("一人只能代表一方。"))]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.person}"

    def clean(self) -> None:
        """An authorised person is a 单位代表 of the side's organization (so the menu finds them by role)."""
        from django.core.exceptions import ValidationError

        from yishiting.areas.choices import Role

        if not (self.fund_id and self.person_id and self.side):
            return
        org = self.fund.owners_committee_id if self.side == Side.COMMITTEE else self.fund.property_company_id
        if not self.person.roles.filter(role=Role.ORG_REPRESENTATIVE, organization_id=org, is_active=True).exists():
            raise ValidationError({"person": gettext("授权人须是该方组织的单位代表（请先在角色中登记）。")})


class Expense(models.Model):
    fund = models.ForeignKey(TrustFund, verbose_name=gettext_lazy("信托基金"), on_delete=models.PROTECT,
                             related_name="expenses")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    category = models.CharField(gettext_lazy("支出类别"), max_length=20, choices=Category.choices)
    supplier = models.CharField(gettext_lazy("收款方"), max_length=100)
    amount = models.DecimalField(gettext_lazy("金额（元）"), **MONEY)
    description = models.CharField(gettext_lazy("用途"), max_length=300)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ExpenseStatus.choices,
                              default=ExpenseStatus.PENDING)
    corrects = models.ForeignKey("self", verbose_name=gettext_lazy("更正的支出"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    proposed_by = models.ForeignKey(Person, verbose_name=pgettext_lazy("trust expense", "提出人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(pgettext_lazy("trust expense", "提出时间"), auto_now_add=True)
    decided_at = models.DateTimeField(gettext_lazy("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("支出申请")
        verbose_name_plural = gettext_lazy("支出申请")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]
        indexes = [models.Index(fields=["fund", "status"], name="expense_fund_status_idx")]

    def __str__(self) -> str:
        return f"{self.supplier} {self.amount}"

    @property
    def scope_path(self) -> str:
        return self.path


class Approval(models.Model):
    """One side's decision on an expense or on a reversal (one per side and subject); each is also an event of
    its subject. The same 双密码 for both (services.dual)."""

    expense = models.ForeignKey(Expense, verbose_name=gettext_lazy("支出申请"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="approvals")
    reversal = models.ForeignKey("Reversal", verbose_name=gettext_lazy("冲正申请"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="approvals")
    side = models.CharField(gettext_lazy("一方"), max_length=16, choices=Side.choices)
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("审批人"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(pgettext_lazy("trust decision", "意见"), max_length=16, choices=Decision.choices)
    note = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("审批")
        verbose_name_plural = gettext_lazy("审批")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["expense", "side"], name="approval_one_per_side"),
            models.UniqueConstraint(fields=["reversal", "side"], name="approval_one_per_side_reversal"),
            models.CheckConstraint(condition=Q(expense__isnull=False, reversal__isnull=True)
                                   | Q(expense__isnull=True, reversal__isnull=False), name="approval_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.get_decision_display()}"


class Voucher(StoredPhoto):
    """A scan of an expense's voucher (invoice, receipt, contract page), stored without EXIF, ≤ 1600 px."""

    expense = models.ForeignKey(Expense, verbose_name=gettext_lazy("支出申请"), on_delete=models.PROTECT,
                                related_name="vouchers")
    image = models.FileField(gettext_lazy("图片"), upload_to="trusts/%Y/%m/")
    thumbnail = models.FileField(gettext_lazy("缩略图"), upload_to="trusts/thumbs/%Y/%m/", blank=True)

    class Meta(StoredPhoto.Meta):
        verbose_name = gettext_lazy("凭证")
        verbose_name_plural = gettext_lazy("凭证")

    def __str__(self) -> str:
        return f"{self.expense_id} {self.sha256[:8]}"


class Entry(models.Model):
    """One line of the fund's ledger, numbered per fund (`seq`). `amount` is the line's effect on its kind's
    total: positive, or negative on a reversing line (`reverses`). Never updated or deleted."""

    fund = models.ForeignKey(TrustFund, verbose_name=gettext_lazy("信托基金"), on_delete=models.PROTECT,
                             related_name="entries")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    seq = models.PositiveIntegerField(gettext_lazy("序号"))
    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=EntryKind.choices)
    category = models.CharField(gettext_lazy("类别"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(gettext_lazy("金额（元）"), **MONEY)
    booked_on = models.DateField(gettext_lazy("记账日期"))
    note = models.CharField(pgettext_lazy("trust ledger", "摘要"), max_length=300, blank=True)
    expense = models.OneToOneField(Expense, verbose_name=gettext_lazy("支出申请"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="entry")
    income = models.OneToOneField("self", verbose_name=gettext_lazy("对应收入"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="remuneration")
    contract = models.ForeignKey(TrustContract, verbose_name=gettext_lazy("适用合同"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField("self", verbose_name=gettext_lazy("冲正的账目"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversed_by")
    posted_by = models.ForeignKey(Person, verbose_name=gettext_lazy("记账人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("记账时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("账目")
        verbose_name_plural = gettext_lazy("信托账目")
        ordering = ["fund", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "seq"], name="entry_seq_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0) | Q(reverses__isnull=False), name="entry_sign"),
        ]
        indexes = [models.Index(fields=["fund", "booked_on"], name="entry_fund_day_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(gettext("账目只能追加，不能修改。"))
        self.path = self.fund.path
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(gettext("账目只能追加，不能删除。"))

    @property
    def effect(self):
        """The line's effect on the balance: + for income, − for remuneration and expenses (reversals opposite)."""
        return self.amount if self.kind == EntryKind.INCOME else -self.amount

    @property
    def effect_text(self) -> str:
        return f"+{self.effect}" if self.effect > 0 else f"\u2212{-self.effect}"

    @property
    def scope_path(self) -> str:
        return self.path


class Reversal(models.Model):
    """A request to reverse a ledger line (冲正申请), under the 双密码 like an expense: an authorised person asks
    with a reason; the reversing line(s) are posted only when both sides approve (the second approval posts them
    in the same transaction); a refusal by either side ends it. At most one request waits per line."""

    fund = models.ForeignKey(TrustFund, verbose_name=gettext_lazy("信托基金"), on_delete=models.PROTECT,
                             related_name="reversals")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    entry = models.ForeignKey(Entry, verbose_name=gettext_lazy("冲正的账目"), on_delete=models.PROTECT,
                              related_name="reversal_requests")
    reason = models.CharField(gettext_lazy("冲正原因"), max_length=200)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ReversalStatus.choices,
                              default=ReversalStatus.PENDING)
    requested_by = models.ForeignKey(Person, verbose_name=gettext_lazy("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(gettext_lazy("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(gettext_lazy("办结时间"), null=True, blank=True)
    line = models.OneToOneField(Entry, verbose_name=gettext_lazy("冲正行"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="reversal_request")

    class Meta:
        verbose_name = gettext_lazy("冲正申请")
        verbose_name_plural = gettext_lazy("冲正申请")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["entry"], condition=Q(status="pending"),
                                               name="reversal_one_pending",
                                               violation_error_message=gettext_lazy("该笔账目已有待审批的冲正申请。"))]
        indexes = [models.Index(fields=["fund", "status"], name="reversal_fund_status_idx")]

    def __str__(self) -> str:
        return gettext("冲正第 %(seq)s 笔") % {"seq": self.entry.seq}

    @property
    def scope_path(self) -> str:
        return self.path


class ServiceRecord(models.Model):
    """A service the fund paid for (or the property company did): what, when, and the expense that paid it."""

    fund = models.ForeignKey(TrustFund, verbose_name=gettext_lazy("信托基金"), on_delete=models.PROTECT,
                             related_name="services")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    expense = models.ForeignKey(Expense, verbose_name=gettext_lazy("支出申请"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="services")
    what = models.CharField(gettext_lazy("服务内容"), max_length=100)
    done_on = models.DateField(gettext_lazy("服务日期"))
    description = models.CharField(gettext_lazy("服务情况"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(Person, verbose_name=gettext_lazy("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("服务记录")
        verbose_name_plural = gettext_lazy("服务记录")
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return self.what

    @property
    def scope_path(self) -> str:
        return self.path


class Question(models.Model):
    """An owner's question on a ledger line; both sides are told, either answers, the answer stays with the line."""

    entry = models.ForeignKey(Entry, verbose_name=gettext_lazy("账目"), on_delete=models.PROTECT,
                              related_name="questions")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    asked_by = models.ForeignKey(Person, verbose_name=gettext_lazy("提问业主"), on_delete=models.PROTECT,
                                 related_name="+")
    text = models.CharField(pgettext_lazy("trust question", "问题"), max_length=500)
    asked_at = models.DateTimeField(gettext_lazy("提问时间"), auto_now_add=True)
    answer = models.CharField(gettext_lazy("答复"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(Person, verbose_name=gettext_lazy("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_side = models.CharField(gettext_lazy("答复方"), max_length=16, choices=Side.choices, blank=True)
    answered_at = models.DateTimeField(gettext_lazy("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("业主提问")
        verbose_name_plural = gettext_lazy("业主提问")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]

    def owner_person_ids(self) -> list[int]:
        return [self.asked_by_id]

    @property
    def scope_path(self) -> str:
        return self.path


class Disclosure(models.Model):
    """The 业委会's quarterly disclosure of an estate's public income and its use (estates without a trust)."""

    estate = models.ForeignKey(Area, verbose_name=gettext_lazy("小区"), on_delete=models.PROTECT,
                               related_name="disclosures")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    owners_committee = models.ForeignKey(Organization, verbose_name=gettext_lazy("业主委员会"),
                                         on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    quarter = models.PositiveSmallIntegerField(pgettext_lazy("trust disclosure", "季度"))
    note = models.CharField(gettext_lazy("说明"), max_length=500, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=DisclosureStatus.choices,
                              default=DisclosureStatus.DRAFT)
    published_at = models.DateTimeField(gettext_lazy("公开时间"), null=True, blank=True)
    created_by = models.ForeignKey(Person, verbose_name=gettext_lazy("编制人"), on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = gettext_lazy("公共收益公开")
        verbose_name_plural = gettext_lazy("业委会公共收益公开")
        ordering = ["path", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "year", "quarter"], name="disclosure_one_per_quarter",
                                    violation_error_message=gettext_lazy("该季度已有公开表。")),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="disclosure_quarter"),
        ]

    def __str__(self) -> str:
        return gettext("%(estate)s %(year)s年第%(quarter)s季度") % {"estate": self.estate, "year": self.year,
                                                                "quarter": self.quarter}

    @property
    def scope_path(self) -> str:
        return self.path


class DisclosureLine(models.Model):
    disclosure = models.ForeignKey(Disclosure, verbose_name=gettext_lazy("公开表"), on_delete=models.CASCADE,
                                   related_name="lines")
    kind = models.CharField(gettext_lazy("收支"), max_length=16, choices=LineKind.choices)
    item = models.CharField(gettext_lazy("项目"), max_length=100)
    amount = models.DecimalField(gettext_lazy("金额（元）"), **MONEY)
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = gettext_lazy("公开明细")
        verbose_name_plural = gettext_lazy("公开明细")
        ordering = ["disclosure", "kind", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disclosureline_amount_positive")]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"
