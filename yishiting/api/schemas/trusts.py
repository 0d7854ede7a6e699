"""信托制物业 and the 业委会's disclosure: funds, ledger lines, expenses under the 双密码, questions, statements.
Amounts are decimal strings in yuan to the fen ("1234.50"); owners asking questions leave masked (张*)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from .common import InputSchema


class FundOut(Schema):
    id: int
    name: str
    estate: str
    owners_committee: str
    property_company: str
    balance: Decimal = Field(..., description="余额 = 收入合计 − 酬金合计 − 支出合计")
    income_total: Decimal
    remuneration_total: Decimal
    expense_total: Decimal
    rate: Decimal | None = Field(None, description="今天生效的酬金比例（%）")
    side: str | None = Field(None, description="您代表的一方：committee 业委会、company 物业公司；不是授权人为空")


class EntryOut(Schema):
    id: int
    seq: int = Field(..., description="本基金的第几笔")
    kind: str = Field(..., description="income 收入、remuneration 物业酬金、expense 支出")
    category: str
    amount: Decimal = Field(..., description="本笔金额；冲正行为负数")
    effect: Decimal = Field(..., description="对余额的影响（收入为正，酬金和支出为负）")
    booked_on: date
    note: str
    expense: int | None = None
    reverses: int | None = Field(None, description="冲正的账目 id")
    questions: int = 0


class QuestionOut(Schema):
    id: int
    text: str
    asked_by: str = Field(..., description="提问业主（脱敏）")
    asked_at: datetime
    answer: str
    answered_side: str
    answered_at: datetime | None


class ApprovalOut(Schema):
    side: str
    decision: str = Field(..., description="approve 同意、refuse 拒绝")
    note: str
    at: datetime


class ExpenseOut(Schema):
    id: int
    fund: int
    category: str
    supplier: str
    amount: Decimal
    description: str
    status: str = Field(..., description="pending 待双方审批、paid 已支付、refused 已拒绝")
    corrects: int | None = None
    approvals: list[ApprovalOut]
    vouchers: int = Field(..., description="凭证张数（页面 /trust/expenses/{id}/ 可看图）")
    entry: int | None = Field(None, description="支付后的账目 id")


class EntryDetailOut(EntryOut):
    question_list: list[QuestionOut]


class StatementOut(Schema):
    fund: int
    year: int
    month: int
    opening: Decimal
    income: Decimal
    remuneration: Decimal
    expense: Decimal
    closing: Decimal
    lines: list[EntryOut]


class IncomeIn(InputSchema):
    category: str = Field(..., description="property_fee 物业费、parking 停车费、advertising 广告、rent 场地租金、other_income")
    amount: Decimal = Field(..., description="元，精确到分")
    booked_on: date
    note: str = Field("", max_length=300)


class DecisionIn(InputSchema):
    note: str = Field("", max_length=300, description="同意时的意见（选填）；拒绝时必填，为拒绝理由")


class TrustTextIn(InputSchema):
    text: str = Field(..., max_length=1000)


class DisclosureLineOut(Schema):
    kind: str = Field(..., description="income 公共收益、use 收益使用")
    item: str
    amount: Decimal
    description: str


class DisclosureOut(Schema):
    id: int
    estate: str
    owners_committee: str
    year: int
    quarter: int
    status: str
    published_at: datetime | None
    note: str
    lines: list[DisclosureLineOut]


class TrustReversalIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=200, description="冲正原因（必填）")


class TrustReversalOut(Schema):
    id: int
    fund: int
    entry: int = Field(..., description="要冲正的账目 id")
    seq: int = Field(..., description="要冲正的账目是本基金的第几笔")
    reason: str
    status: str = Field(..., description="pending 待双方审批、posted 已冲正、refused 已拒绝")
    approvals: list[ApprovalOut]
    line: int | None = Field(None, description="双方同意后记下的冲正行 id")


class DisclosureIn(InputSchema):
    estate: int = Field(..., description="小区 id（须是您代表的业委会所在、未实行信托制的小区）")
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    note: str = Field("", max_length=500)


class DisclosureLineIn(InputSchema):
    kind: Literal["income", "use"] = Field(..., description="income 公共收益、use 收益使用")
    item: str = Field(..., min_length=1, max_length=100)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2, description="元，精确到分")
    description: str = Field("", max_length=300)
