"""/trust: an estate's trust fund (信托制物业) and the 业委会's quarterly disclosure — the same services, selectors and
rules as the pages (/trust/…). Verified owners of the estate read everything; the authorised persons of each side
post and decide; a tenant or an unverified claimant gets 404 for every fund."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status, UploadedFile

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.trusts import (
    DecisionIn,
    DisclosureOut,
    EntryDetailOut,
    EntryOut,
    ExpenseOut,
    FundOut,
    IncomeIn,
    QuestionOut,
    StatementOut,
    TrustTextIn,
)
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_name
from yishiting.demands.photos import MAX_BYTES
from yishiting.trusts import selectors
from yishiting.trusts import services as trust
from yishiting.trusts.models import Expense
from yishiting.trusts.rules import side_of

router = Router(tags=["信托物业"])
NO_FUND = "找不到该信托基金，或您无权查看。"  # zh-only: the API answers in Chinese


def _fund(user, pk: int):
    return visible_or_404(selectors.funds_visible_to(user), pk, NO_FUND)


def fund_out(user, f) -> dict:
    contract = f.contracts.filter(effective_from__lte=timezone.localdate()).first()
    return {"id": f.pk, "name": f.name, "estate": f.estate.name, "owners_committee": f.owners_committee.name,
            "property_company": f.property_company.name, "balance": f.balance, "income_total": f.income_total,
            "remuneration_total": f.remuneration_total, "expense_total": f.expense_total,
            "rate": contract.rate if contract else None, "side": side_of(user, f)}


def entry_out(e) -> dict:
    return {"id": e.pk, "seq": e.seq, "kind": e.kind, "category": e.category, "amount": e.amount, "effect": e.effect,
            "booked_on": e.booked_on, "note": e.note, "expense": e.expense_id, "reverses": e.reverses_id,
            "questions": getattr(e, "question_count", 0)}


def question_out(q) -> dict:
    return {"id": q.pk, "text": q.text, "asked_by": mask_name(q.asked_by.name), "asked_at": q.asked_at,
            "answer": q.answer, "answered_side": q.answered_side, "answered_at": q.answered_at}


def expense_out(x) -> dict:
    return {"id": x.pk, "fund": x.fund_id, "category": x.category, "supplier": x.supplier, "amount": x.amount,
            "description": x.description, "status": x.status, "corrects": x.corrects_id,
            "approvals": [{"side": a.side, "decision": a.decision, "note": a.note, "at": a.at} for a in x.approvals.all()],
            "vouchers": x.vouchers.count(), "entry": getattr(getattr(x, "entry", None), "pk", None)}


@router.get("/funds", response={200: list[FundOut], **COMMON_ERRORS}, summary="我可查看的信托基金")
def funds(request: HttpRequest):
    """本小区已认证业主、双方授权人和单位代表、社区监督人员可查看；租户和未认证的申报人看不到。"""
    user = actor(request)
    return [fund_out(user, f) for f in selectors.funds_visible_to(user)]


@router.get("/funds/{int:fund_id}", response={200: FundOut, **COMMON_ERRORS}, summary="信托基金")
def fund(request: HttpRequest, fund_id: int):
    user = actor(request)
    return fund_out(user, _fund(user, fund_id))


@router.get("/funds/{int:fund_id}/entries", response={200: page_of(EntryOut), **COMMON_ERRORS}, summary="收支明细")
def entries(request: HttpRequest, fund_id: int, query: Query[PageQuery]):
    page = paginate(selectors.entries_of(_fund(actor(request), fund_id)), query)
    page["items"] = [entry_out(e) for e in page["items"]]
    return page


@router.get("/funds/{int:fund_id}/statements/{int:year}/{int:month}", response={200: StatementOut, **COMMON_ERRORS},
            summary="月度收支表")
def statement(request: HttpRequest, fund_id: int, year: int, month: int):
    f = _fund(actor(request), fund_id)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise DomainError("invalid_month", "年月不正确。", status=404)
    s = selectors.statement(f, year, month)
    return {"fund": f.pk, "year": year, "month": month, "opening": s.opening, "income": s.totals["income"],
            "remuneration": s.totals["remuneration"], "expense": s.totals["expense"], "closing": s.closing,
            "lines": [entry_out(e) for e in s.lines]}


@router.post("/funds/{int:fund_id}/income", response={201: EntryOut, **WRITE_ERRORS}, summary="记收入（授权人）")
def income(request: HttpRequest, fund_id: int, payload: IncomeIn):
    """物业酬金按记账日生效的合同比例自动计提（四舍五入到分），与收入同一事务记账。"""
    user = actor(request)
    e = trust.income_post(actor=user, fund=_fund(user, fund_id), category=payload.category, amount=payload.amount,
                          booked_on=payload.booked_on, note=payload.note)
    return Status(201, entry_out(e))


@router.post("/funds/{int:fund_id}/expenses", response={201: ExpenseOut, **WRITE_ERRORS}, summary="提出支出（授权人）")
def propose(request: HttpRequest, fund_id: int, category: Form[str], supplier: Form[str], amount: Form[str],
            description: Form[str], vouchers: File[list[UploadedFile]], corrects: Form[int] = None):
    """multipart/form-data，至少一个名为 vouchers 的凭证图片。待业委会和物业公司双方授权人都同意后才支付。"""
    user = actor(request)
    f = _fund(user, fund_id)
    refused = f.expenses.filter(pk=corrects).first() if corrects else None
    x = trust.expense_propose(actor=user, fund=f, category=category, supplier=supplier, amount=amount,
                              description=description, photos=[v.read(MAX_BYTES + 1) for v in vouchers or []],
                              corrects=refused)
    return Status(201, expense_out(x))


def _expense(user, pk: int) -> Expense:
    return visible_or_404(Expense.objects.filter(fund__in=selectors.funds_visible_to(user)), pk, "找不到该支出。")


@router.get("/expenses/{int:expense_id}", response={200: ExpenseOut, **COMMON_ERRORS}, summary="支出申请")
def expense(request: HttpRequest, expense_id: int):
    return expense_out(_expense(actor(request), expense_id))


@router.post("/expenses/{int:expense_id}/approve", response={200: ExpenseOut, **WRITE_ERRORS}, summary="同意支出（一方）")
def approve(request: HttpRequest, expense_id: int, payload: DecisionIn):
    """双方都同意时支付并记账；同一方不能再表态（409 side_decided），已办结的 409 expense_closed。"""
    user = actor(request)
    return expense_out(trust.expense_approve(actor=user, expense=_expense(user, expense_id), note=payload.note))


@router.post("/expenses/{int:expense_id}/refuse", response={200: ExpenseOut, **WRITE_ERRORS}, summary="拒绝支出（一方）")
def refuse(request: HttpRequest, expense_id: int, payload: DecisionIn):
    user = actor(request)
    return expense_out(trust.expense_refuse(actor=user, expense=_expense(user, expense_id), reason=payload.note))


def _entry(user, pk: int):
    found = selectors.entry_detail(selectors.funds_visible_to(user), pk)
    if found is None:
        raise DomainError("not_found", "找不到该账目。", status=404)
    return found


@router.get("/entries/{int:entry_id}", response={200: EntryDetailOut, **COMMON_ERRORS}, summary="一笔账目及业主提问")
def entry(request: HttpRequest, entry_id: int):
    e = _entry(actor(request), entry_id)
    return {**entry_out(e), "question_list": [question_out(q) for q in selectors.questions_of(e)]}


@router.post("/entries/{int:entry_id}/questions", response={201: QuestionOut, **WRITE_ERRORS}, summary="对账目提问（业主）")
def ask(request: HttpRequest, entry_id: int, payload: TrustTextIn):
    user = actor(request)
    return Status(201, question_out(trust.question_ask(actor=user, entry=_entry(user, entry_id), text=payload.text)))


@router.post("/entries/{int:entry_id}/questions/{int:question_id}/answer", response={200: QuestionOut, **WRITE_ERRORS},
             summary="答复业主提问（授权人）")
def answer(request: HttpRequest, entry_id: int, question_id: int, payload: TrustTextIn):
    user = actor(request)
    question = visible_or_404(_entry(user, entry_id).questions.all(), question_id, "找不到该提问。")
    return question_out(trust.question_answer(actor=user, question=question, text=payload.text))




@router.get("/disclosures", response={200: list[DisclosureOut], **COMMON_ERRORS}, summary="业委会公共收益公开")
def disclosures(request: HttpRequest):
    """未实行信托制的小区，业委会每季度公开的公共收益及其使用。"""
    rows = selectors.disclosures_visible_to(actor(request)).prefetch_related("lines")[:100]
    return [{"id": d.pk, "estate": d.estate.name, "owners_committee": d.owners_committee.name, "year": d.year,
             "quarter": d.quarter, "status": d.status, "published_at": d.published_at, "note": d.note,
             "lines": [{"kind": x.kind, "item": x.item, "amount": x.amount, "description": x.description}
                       for x in d.lines.all()]} for d in rows]
