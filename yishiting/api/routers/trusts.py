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
    DisclosureIn,
    DisclosureLineIn,
    DisclosureOut,
    EntryDetailOut,
    EntryOut,
    ExpenseOut,
    FundOut,
    IncomeIn,
    QuestionOut,
    StatementOut,
    TrustReversalIn,
    TrustReversalOut,
    TrustTextIn,
)
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.masking import mask_name
from yishiting.demands.photos import MAX_BYTES
from yishiting.trusts import selectors
from yishiting.trusts import services as trust
from yishiting.trusts.models import Disclosure, Expense, Reversal
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


def approvals_out(subject) -> list[dict]:
    return [{"side": a.side, "decision": a.decision, "note": a.note, "at": a.at} for a in subject.approvals.all()]


def reversal_out(r) -> dict:
    return {"id": r.pk, "fund": r.fund_id, "entry": r.entry_id, "seq": r.entry.seq, "reason": r.reason,
            "status": r.status, "approvals": approvals_out(r), "line": r.line_id}


def disclosure_out(d) -> dict:
    return {"id": d.pk, "estate": d.estate.name, "owners_committee": d.owners_committee.name, "year": d.year,
            "quarter": d.quarter, "status": d.status, "published_at": d.published_at, "note": d.note,
            "lines": [{"kind": x.kind, "item": x.item, "amount": x.amount, "description": x.description}
                      for x in d.lines.all()]}


def expense_out(x) -> dict:
    return {"id": x.pk, "fund": x.fund_id, "category": x.category, "supplier": x.supplier, "amount": x.amount,
            "description": x.description, "status": x.status, "corrects": x.corrects_id,
            "approvals": approvals_out(x),
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


@router.post("/entries/{int:entry_id}/reversals", response={201: TrustReversalOut, **WRITE_ERRORS},
             summary="申请冲正一笔账目（授权人）")
def reversal_request(request: HttpRequest, entry_id: int, payload: TrustReversalIn):
    """冲正申请待业委会和物业公司双方授权人都同意后才记冲正行（双密码）；一笔账目同时只有一个待审批的申请
    （409 reversal_pending），已冲正的 409 already_reversed，物业酬金行和冲正行 409 not_reversible。"""
    user = actor(request)
    r = trust.reversal_request(actor=user, entry=_entry(user, entry_id), reason=payload.reason)
    return Status(201, reversal_out(r))


def _reversal(user, pk: int) -> Reversal:
    return visible_or_404(Reversal.objects.filter(fund__in=selectors.funds_visible_to(user)).select_related("entry"),
                          pk, "找不到该冲正申请。")


@router.get("/reversals/{int:reversal_id}", response={200: TrustReversalOut, **COMMON_ERRORS}, summary="冲正申请")
def reversal(request: HttpRequest, reversal_id: int):
    return reversal_out(_reversal(actor(request), reversal_id))


@router.post("/reversals/{int:reversal_id}/approve", response={200: TrustReversalOut, **WRITE_ERRORS},
             summary="同意冲正（一方）")
def reversal_approve(request: HttpRequest, reversal_id: int, payload: DecisionIn):
    """双方都同意时记冲正行（同一事务）；同一方不能再表态（409 side_decided），已办结的 409 reversal_closed。"""
    user = actor(request)
    return reversal_out(trust.reversal_approve(actor=user, reversal=_reversal(user, reversal_id), note=payload.note))


@router.post("/reversals/{int:reversal_id}/refuse", response={200: TrustReversalOut, **WRITE_ERRORS},
             summary="拒绝冲正（一方）")
def reversal_refuse(request: HttpRequest, reversal_id: int, payload: DecisionIn):
    user = actor(request)
    return reversal_out(trust.reversal_refuse(actor=user, reversal=_reversal(user, reversal_id), reason=payload.note))


@router.get("/disclosures", response={200: list[DisclosureOut], **COMMON_ERRORS}, summary="业委会公共收益公开")
def disclosures(request: HttpRequest):
    """未实行信托制的小区，业委会每季度公开的公共收益及其使用。"""
    rows = selectors.disclosures_visible_to(actor(request)).prefetch_related("lines")[:100]
    return [disclosure_out(d) for d in rows]


@router.post("/disclosures", response={201: DisclosureOut, **WRITE_ERRORS}, summary="编制季度公开表（业委会代表）")
def disclosure_create(request: HttpRequest, payload: DisclosureIn):
    """与页面“编制季度公开表”同一范围：只有业委会的单位代表，且只能为其业委会所在、未实行信托制的小区编制；
    不是业委会代表的 403，小区不在其范围内的 404，同一季度已有的 409 quarter_exists。"""
    user = actor(request)
    estates = selectors.committee_estates(user)
    if not estates:
        raise PermissionDeniedError("只有本小区业委会的代表可以编制公共收益公开表。")
    estate = next((e for e in estates if e.pk == payload.estate), None)
    if estate is None:
        raise DomainError("not_found", "找不到该小区，或您不能为它编制公开表。", status=404)
    d = trust.disclosure_create(actor=user, estate=estate, year=payload.year, quarter=payload.quarter,
                                note=payload.note)
    return Status(201, disclosure_out(d))


def _disclosure(user, pk: int) -> Disclosure:
    return visible_or_404(selectors.disclosures_visible_to(user), pk, "找不到该公开表，或您无权查看。")


@router.post("/disclosures/{int:disclosure_id}/lines", response={201: DisclosureOut, **WRITE_ERRORS},
             summary="添加公开明细（业委会代表，草稿）")
def disclosure_line(request: HttpRequest, disclosure_id: int, payload: DisclosureLineIn):
    """只能添加到草稿；已公开的 409 published。返回整张公开表。"""
    user = actor(request)
    d = _disclosure(user, disclosure_id)
    trust.disclosure_line_add(actor=user, disclosure=d, kind=payload.kind, item=payload.item, amount=payload.amount,
                              description=payload.description)
    return Status(201, disclosure_out(d))


@router.post("/disclosures/{int:disclosure_id}/publish", response={200: DisclosureOut, **WRITE_ERRORS},
             summary="公开季度公开表（业委会代表）")
def disclosure_publish(request: HttpRequest, disclosure_id: int):
    """草稿 → 已公开，本小区业主可以查看，此后不再改动；没有明细的 400 empty。"""
    user = actor(request)
    return disclosure_out(trust.disclosure_publish(actor=user, disclosure=_disclosure(user, disclosure_id)))
