"""Trust-fund pages: an owner's list of the estates they may read (phone), a fund's ledger with its balance,
one line with its vouchers, services and questions, an expense with both sides' decisions, monthly statements
(HTML and PDF), and the authorised persons' desk (desktop: income, expenses, services, open questions)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.common.rules import scope_for
from yishiting.web.forms.demands import read_photos
from yishiting.web.views.common import image_response, paginate, run_and_tell

from .. import selectors
from .. import services as trust
from ..choices import Side
from ..models import Expense, Reversal, Voucher
from ..report import statement_pdf
from ..rules import may_ask, side_of
from .forms import (
    AnswerForm,
    ExpenseForm,
    IncomeForm,
    NoteForm,
    QuestionForm,
    RefuseForm,
    ReverseForm,
    ServiceForm,
)

PAGES = "trusts/"


def _fund(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.funds_visible_to(request.user), pk=pk)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """信托物业: the funds and the published disclosures this person may read."""
    user = request.user
    funds = list(selectors.funds_visible_to(user))
    disclosures = list(selectors.disclosures_visible_to(user)[:40])
    may_draft = bool(selectors.committee_estates(user))
    if not funds and not disclosures and not may_draft and scope_for(user, "trusts.view").empty:
        raise PermissionDenied("trusts.view")
    return render(request, PAGES + "home.html", {"funds": funds, "disclosures": disclosures, "may_draft": may_draft})


@login_required
def fund(request: HttpRequest, pk: int) -> HttpResponse:
    f = _fund(request, pk)
    return render(request, PAGES + "fund.html", {
        "f": f, "page": paginate(request, selectors.entries_of(f)), "pending": selectors.pending_expenses(f),
        "reversals": selectors.pending_reversals(f),
        "months": selectors.months_of(f)[:24], "services": selectors.services_of(f)[:5], "side": side_of(request.user, f),
        "contract": f.contracts.first()})


@login_required
def services(request: HttpRequest, pk: int) -> HttpResponse:
    f = _fund(request, pk)
    return render(request, PAGES + "services.html", {"f": f, "page": paginate(request, selectors.services_of(f))})


@login_required
def expenses(request: HttpRequest, pk: int) -> HttpResponse:
    f = _fund(request, pk)
    return render(request, PAGES + "expenses.html", {"f": f, "page": paginate(request, selectors.expenses_of(f))})


@login_required
def entry(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    found = selectors.entry_detail(selectors.funds_visible_to(request.user), pk)
    if found is None:
        raise Http404
    side, forms = side_of(request.user, found.fund), forms or {}
    requests = list(selectors.reversals_of(found))
    return render(request, PAGES + "entry.html", {
        "e": found, "f": found.fund, "questions": selectors.questions_of(found), "side": side,
        "may_ask": may_ask(request.user, found.fund), "expense": found.expense,
        "vouchers": found.expense.vouchers.all() if found.expense_id else [],
        "services": found.expense.services.all() if found.expense_id else [],
        "reversal": getattr(found, "reversed_by", None), "requests": requests,
        "pending_request": any(r.status == "pending" for r in requests),
        "question_form": forms.get("ask") or QuestionForm(), "answer_form": forms.get("answer") or AnswerForm(),
        "reverse_form": forms.get("reverse") or ReverseForm()}, status=status)


@require_POST
@login_required
def entry_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = selectors.entry_detail(selectors.funds_visible_to(request.user), pk)
    if found is None or action not in ("ask", "answer", "reverse"):
        raise Http404
    form = {"ask": QuestionForm, "answer": AnswerForm, "reverse": ReverseForm}[action](request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if action == "ask":
            run = lambda: trust.question_ask(actor=request.user, entry=found, text=d["text"])  # noqa: E731
        elif action == "answer":
            question = get_object_or_404(found.questions.all(), pk=request.POST.get("question") or 0)
            run = lambda: trust.question_answer(actor=request.user, question=question, text=d["text"])  # noqa: E731
        else:
            made: list = []
            run = lambda: made.append(trust.reversal_request(actor=request.user, entry=found, reason=d["reason"]))  # noqa: E731
        done = {"ask": _("已提问，业委会和物业公司都会收到。"), "answer": _("已答复。"),
                "reverse": _("已申请冲正，待业委会和物业公司双方审批。")}[action]
        if run_and_tell(request, run, done, form) is None:
            if action == "reverse":
                return redirect("web:trust_reversal", pk=made[0].pk)
            return redirect("web:trust_entry", pk=pk)
    return entry(request, pk, forms={action: form}, status=400)


def _expense(request: HttpRequest, pk: int) -> Expense:
    return get_object_or_404(Expense.objects.filter(fund__in=selectors.funds_visible_to(request.user))
                             .select_related("fund", "proposed_by", "corrects"), pk=pk)


def _decisions(subject, side: str | None, forms: dict) -> dict:
    """The 双密码 part of an expense's or a reversal's page: both sides' decisions and, for a side that has not
    decided on a pending subject, the approve and refuse forms (trusts/_dual.html)."""
    decided = {a.side for a in subject.approvals.all()}
    return {"approvals": subject.approvals.select_related("person"),
            "may_decide": side is not None and subject.status == "pending" and side not in decided,
            "note_form": forms.get("approve") or NoteForm(), "refuse_form": forms.get("refuse") or RefuseForm()}


def _decide(request: HttpRequest, subject, approve, refuse, action: str, page: str, show) -> HttpResponse:
    if action not in ("approve", "refuse"):
        raise Http404
    form = (NoteForm if action == "approve" else RefuseForm)(request.POST)
    if form.is_valid():
        if action == "approve":
            run = lambda: approve(request.user, subject, form.cleaned_data["note"])  # noqa: E731
        else:
            run = lambda: refuse(request.user, subject, form.cleaned_data["reason"])  # noqa: E731
        if run_and_tell(request, run, _("已同意。") if action == "approve" else _("已拒绝。"), form) is None:
            return redirect(page, pk=subject.pk)
    return show(request, subject.pk, forms={action: form}, status=400)


@login_required
def expense(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    x, forms = _expense(request, pk), forms or {}
    side = side_of(request.user, x.fund)
    return render(request, PAGES + "expense.html", {
        "x": x, "f": x.fund, "vouchers": x.vouchers.all(),
        "services": x.services.all(), "entry": getattr(x, "entry", None), "corrections": x.corrections.all(),
        "may_correct": side is not None and x.status == "refused", **_decisions(x, side, forms)}, status=status)


@require_POST
@login_required
def expense_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _decide(request, _expense(request, pk),
                   lambda user, x, note: trust.expense_approve(actor=user, expense=x, note=note),
                   lambda user, x, reason: trust.expense_refuse(actor=user, expense=x, reason=reason),
                   action, "web:trust_expense", expense)


def _reversal(request: HttpRequest, pk: int) -> Reversal:
    return get_object_or_404(Reversal.objects.filter(fund__in=selectors.funds_visible_to(request.user))
                             .select_related("fund", "entry", "line", "requested_by"), pk=pk)


@login_required
def reversal(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    """A request to reverse a line: the line, the reason, both sides' decisions, and the reversing line once posted."""
    r = _reversal(request, pk)
    return render(request, PAGES + "reversal.html", {
        "r": r, "f": r.fund, **_decisions(r, side_of(request.user, r.fund), forms or {})}, status=status)


@require_POST
@login_required
def reversal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _decide(request, _reversal(request, pk),
                   lambda user, r, note: trust.reversal_approve(actor=user, reversal=r, note=note),
                   lambda user, r, reason: trust.reversal_refuse(actor=user, reversal=r, reason=reason),
                   action, "web:trust_reversal", reversal)


@login_required
def voucher(request: HttpRequest, pk: int, voucher_pk: int) -> HttpResponse:
    x = _expense(request, pk)
    photo = get_object_or_404(Voucher, pk=voucher_pk, expense=x)
    if request.GET.get("thumb") and photo.thumbnail:
        return image_response(photo.thumbnail, "image/jpeg")
    return image_response(photo.image, photo.content_type)


@login_required
def statement(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    f = _fund(request, pk)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    return render(request, PAGES + "statement.html", {"f": f, "s": selectors.statement(f, year, month)})


@login_required
def statement_download(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    f = _fund(request, pk)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    response = HttpResponse(statement_pdf(f, year, month), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="trust-{f.pk}-{year}-{month:02d}.pdf"'
    return response


def _desk_forms(f, forms: dict) -> dict:
    return {"income_form": forms.get("income") or IncomeForm(),
            "expense_form": forms.get("expense") or ExpenseForm(initial=forms.get("expense_initial")),
            "service_form": forms.get("service") or ServiceForm(expenses=f.expenses.filter(status="paid"))}


@login_required
def desk(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    """The authorised persons' desk (desktop); the supervising offices read the same lists without the forms."""
    f = _fund(request, pk)
    side = side_of(request.user, f)
    if side is None and not scope_for(request.user, "trusts.supervise").covers_path(f.path):
        raise PermissionDenied("trusts.keep")
    forms = forms or {}
    corrects = request.GET.get("corrects")
    if corrects and corrects.isdigit() and "expense" not in forms:
        refused = f.expenses.filter(pk=corrects, status="refused").first()
        if refused:
            forms["expense_initial"] = {"corrects": refused.pk, "category": refused.category,
                                        "supplier": refused.supplier, "description": refused.description}
    return render(request, PAGES + "desk.html", {
        "f": f, "side": side, "side_label": Side(side).label if side else "", "pending": selectors.pending_expenses(f), "questions": selectors.open_questions(f),
        "reversals": selectors.pending_reversals(f),
        "recent": selectors.entries_of(f)[:10], **_desk_forms(f, forms)}, status=status)


@require_POST
@login_required
def desk_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    f = _fund(request, pk)
    if action == "income":
        form = IncomeForm(request.POST)
        run = lambda d: trust.income_post(actor=request.user, fund=f, **d)  # noqa: E731
        done = _("已记收入，物业酬金已按合同比例自动计提。")
    elif action == "expense":
        form = ExpenseForm(request.POST, request.FILES)
        run = lambda d: trust.expense_propose(  # noqa: E731
            actor=request.user, fund=f, category=d["category"], supplier=d["supplier"], amount=d["amount"],
            description=d["description"], photos=read_photos(d["photos"]),
            corrects=f.expenses.filter(pk=d["corrects"]).first() if d.get("corrects") else None)
        done = _("支出已提交，待业委会和物业公司双方审批。")
    elif action == "service":
        form = ServiceForm(request.POST, expenses=f.expenses.filter(status="paid"))
        run = lambda d: trust.service_record_add(actor=request.user, fund=f, **d)  # noqa: E731
        done = _("服务记录已登记。")
    else:
        raise Http404
    if form.is_valid() and run_and_tell(request, lambda: run(form.cleaned_data), done, form) is None:
        return redirect("web:trust_desk", pk=pk)
    return desk(request, pk, forms={action: form}, status=400)
