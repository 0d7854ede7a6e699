"""Who may do what with points and hours (scope kinds in common/rules.py).

Residents and the other members of a community see their own statements and redeem in their community's
积分超市. The community's office staff confirm pickups, keep the goods' stock, correct points, record
withdrawals of hours and see the community's totals; an award by hand also needs a role the rule names
(`PointRule.award_roles`, checked in services.manual.may_award)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, register

C = ScopeKind.COMMUNITY

LEDGERS_VIEW = register("ledgers.view", gettext_noop("查看自己的积分和时间银行"), {**MEMBERS, **STAFF, Role.REGISTRANT: C})
REDEEM = register("ledgers.redeem", gettext_noop("在本社区积分超市兑换"), {**MEMBERS})
MARKET_MANAGE = register("ledgers.market_manage", gettext_noop("核销兑换、管理积分超市库存"), {**OFFICE})
AWARD = register("ledgers.award", gettext_noop("手动奖励积分（按规则）"), {**OFFICE, Role.GRID_WORKER: ScopeKind.SUBTREE})
CORRECT = register("ledgers.correct", gettext_noop("更正积分"), {**OFFICE})
TIMEBANK_MANAGE = register("ledgers.timebank_manage", gettext_noop("登记时间银行支取、查看社区时长合计"), {**OFFICE})
