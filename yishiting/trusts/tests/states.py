"""Trust funds in every state, for the crawl (web/tests/crawl_data.py): the cast of world.py with income lines,
a paid expense with its service record, a refused one and its pending correction, a line reversed by both sides, a refused and a pending reversal, a question
answered and one waiting; 和平里小区 (no trust) with a published disclosure and a draft."""

from __future__ import annotations

from datetime import date

from yishiting.areas import services as area_services
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.testing import World
from yishiting.trusts import services as trust

from .world import build_cast, voucher


def build_states(world: World) -> dict:
    cast = build_cast(world)
    company, committee, fund = cast.user("trust_company"), cast.user("trust_committee"), cast.fund
    fees = trust.income_post(actor=company, fund=fund, category="property_fee", amount="20000.00",
                             booked_on=date(2026, 1, 20), note="1月物业费")
    wrong = trust.income_post(actor=company, fund=fund, category="parking", amount="999.00", booked_on=date(2026, 1, 21))
    reversal = trust.reversal_request(actor=company, entry=wrong, reason="金额录错")
    trust.reversal_approve(actor=company, reversal=reversal)
    trust.reversal_approve(actor=committee, reversal=reversal)
    doubtful = trust.income_post(actor=company, fund=fund, category="advertising", amount="300.00",
                                 booked_on=date(2026, 1, 22))
    refused_reversal = trust.reversal_request(actor=company, entry=doubtful, reason="疑似重复")
    trust.reversal_refuse(actor=committee, reversal=refused_reversal, reason="并不重复")
    pending_reversal = trust.reversal_request(actor=committee, entry=doubtful, reason="合同已终止")
    trust.reversal_approve(actor=committee, reversal=pending_reversal)

    def propose(amount: str, corrects=None):
        return trust.expense_propose(actor=company, fund=fund, category="repair", supplier="历下管道疏通队",
                                     amount=amount, description="疏通下水道", photos=[voucher()], corrects=corrects)

    paid = propose("800.00")
    trust.expense_approve(actor=company, expense=paid)
    trust.expense_approve(actor=committee, expense=paid)
    trust.service_record_add(actor=company, fund=fund, what="下水道疏通", done_on=date(2026, 1, 25), expense=paid)
    refused = trust.expense_refuse(actor=committee, expense=propose("5000.00"), reason="报价过高")
    pending = propose("1000.00", corrects=refused)
    trust.expense_approve(actor=committee, expense=pending)
    asked = trust.question_ask(actor=cast.user("trust_owner"), entry=fees, text="收缴率多少？")
    trust.question_answer(actor=company, question=asked, text="九成以上")
    trust.question_ask(actor=cast.user("trust_owner"), entry=fees, text="欠费怎么催？")
    g2 = area_services.organization_create(actor=None, kind=OrganizationKind.OWNERS_COMMITTEE,
                                           name="和平里小区业委会（公开）", area=world.areas["G2"])
    area_services.role_assign(actor=None, person=world.people["trust_other_owner"], role=Role.ORG_REPRESENTATIVE,
                              area=world.areas["G2"], organization=g2)
    user = cast.user("trust_other_owner")
    published = trust.disclosure_create(actor=user, estate=world.areas["G2"], year=2026, quarter=1)
    trust.disclosure_line_add(actor=user, disclosure=published, kind="income", item="停车费", amount="4800.00")
    trust.disclosure_line_add(actor=user, disclosure=published, kind="use", item="更换路灯", amount="1200.00")
    trust.disclosure_publish(actor=user, disclosure=published)
    draft = trust.disclosure_create(actor=user, estate=world.areas["G2"], year=2026, quarter=2)
    return {"fund": fund, "pending": pending, "reversal": pending_reversal, "refused": refused, "published": published, "draft": draft}
