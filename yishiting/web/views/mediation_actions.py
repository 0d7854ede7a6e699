"""The case page's forms and what each posts to: `/mediation/<pk>/<action>/`, one service call each. A form with
errors comes back on the case page (status 400) with what was typed; a DomainError lands on its field, or above
the page when it is not about a field (a state changed meanwhile, a permission)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from yishiting.areas.models import Person
from yishiting.common.errors import DomainError
from yishiting.mediation import selectors, services
from yishiting.mediation.choices import MediatorStatus
from yishiting.mediation.models import MediationCase, Obligation

from ..forms import mediation as forms
from ..forms.rows import build_rows, row_action
from ..guard import idempotent
from .mediation import PAGES, case_context, case_or_404


def _parties(case: MediationCase):
    return case.parties.all()


def _own_parties(context: dict):
    from yishiting.mediation.models import CaseParty

    return CaseParty.objects.filter(pk__in=[p.pk for p in context["own_parties"]])


def _active_people(case: MediationCase):
    return Person.objects.filter(pk__in=case.mediators.filter(status=MediatorStatus.ACTIVE).values("person_id"))


def _signers(case: MediationCase, context: dict) -> dict:
    """Mediators record any signature; a party confirms only its own."""
    if context["mediate"]:
        return {"parties": _parties(case), "mediators": _active_people(case)}
    return {"parties": _own_parties(context), "mediators": Person.objects.none()}


BUILD: dict[str, Callable[[Any, MediationCase, dict], Form]] = {
    "consent": lambda data, case, ctx: forms.ConsentForm(
        data, parties=_parties(case) if ctx["mediate"] else _own_parties(ctx)),
    "statement": lambda data, case, ctx: forms.StatementForm(
        data, parties=_parties(case) if ctx["mediate"] else _own_parties(ctx)),
    "assign": lambda data, case, ctx: forms.AssignForm(data, members=selectors.mediator_candidates(case)),
    "aside": lambda data, case, ctx: forms.StepAsideForm(
        data, mediators=case.mediators.filter(status=MediatorStatus.ACTIVE)),
    "refuse": lambda data, case, ctx: forms.RefuseForm(
        data, mediators=case.mediators.filter(status=MediatorStatus.ACTIVE),
        parties=_parties(case) if ctx["manage"] else _own_parties(ctx)),
    "hearing": lambda data, case, ctx: forms.HearingForm(
        data, parties=_parties(case) if ctx["mediate"] else _own_parties(ctx), initial={"hearing": case.hearing}),
    "accept": lambda data, case, ctx: Form(data),
    "attempt": lambda data, case, ctx: forms.AttemptForm(
        data, mediators=_active_people(case), parties=_parties(case), final=selectors.next_attempt_is_last(case),
        initial={"number": case.attempts.filter(tier=case.tier).count() + 1}),
    "escalate": lambda data, case, ctx: forms.ReasonForm(data),
    "withdraw": lambda data, case, ctx: forms.WithdrawForm(data),
    "fail": lambda data, case, ctx: forms.FailForm(data),
    "agreement": lambda data, case, ctx: forms.AgreementDraftForm(data),
    "sign": lambda data, case, ctx: forms.SignForm(data, **_signers(case, ctx)),
    "stamp": lambda data, case, ctx: Form(data),
    "abandon": lambda data, case, ctx: forms.AbandonForm(data),
    "scan": lambda data, case, ctx: forms.ScanForm(data, ctx.get("files")),
    "remind": lambda data, case, ctx: Form(data),
    "confirmation": lambda data, case, ctx: forms.ConfirmationForm(data),
    "check": lambda data, case, ctx: forms.ObligationCheckForm(data),
    "visit": lambda data, case, ctx: forms.VisitForm(data),
    "close": lambda data, case, ctx: Form(data),
    "archive": lambda data, case, ctx: Form(data),
}

DONE = {
    "consent": gettext_lazy("已记录当事人的意愿。"), "statement": gettext_lazy("陈述已保存。"),
    "assign": gettext_lazy("已指派调解员，调解员会收到通知。"), "aside": gettext_lazy("调解员已回避。"),
    "refuse": gettext_lazy("已记录拒绝该调解员，社区将另行指派。"), "hearing": gettext_lazy("调解方式已更改。"),
    "accept": gettext_lazy("已受理，请与双方约定调解时间。"), "attempt": gettext_lazy("调解记录已保存。"),
    "attempt_failed": gettext_lazy("调解记录已保存；最后一级调解不成，案件已结案，并记录了告知当事人的途径。"),
    "escalate": gettext_lazy("已移交上一级调解。"), "withdraw": gettext_lazy("案件已撤回结案。"),
    "fail": gettext_lazy("已按调解不成结案，并记录了告知当事人的途径。"),
    "agreement": gettext_lazy("调解协议已拟写，请打印后由各方签署。"), "sign": gettext_lazy("签署已登记。"),
    "stamp": gettext_lazy("已登记调解委员会盖章。"), "abandon": gettext_lazy("协议未签署，案件退回调解。"), "scan": gettext_lazy("签署后的扫描件已上传。"),
    "remind": gettext_lazy("已再次提醒当事人申请司法确认。"), "confirmation": gettext_lazy("已登记司法确认情况。"),
    "check": gettext_lazy("履行情况已核实。"), "visit": gettext_lazy("回访记录已保存。"),
    "close": gettext_lazy("案件已结案，诉求人和当事人会收到评价邀请。"), "archive": gettext_lazy("已归档，一事一档已封存。"),
}


def page_forms(request: HttpRequest, case: MediationCase, context: dict, bound: dict) -> dict:
    """Each form of the page, unbound, or the one that came back with errors."""
    out = {f"{name}_form": bound.get(name) or build(None, case, context) for name, build in BUILD.items()
           if name not in {"accept", "stamp", "remind", "close", "archive"}}
    out["obligation_rows"] = bound.get("obligation_rows") or obligation_rows(None, case)
    return out


def obligation_rows(data, case: MediationCase):
    """The agreement's obligation rows, each choosing among the case's parties."""
    rows = build_rows(forms.ObligationRows, data, prefix="obligations", fields=forms.OBLIGATION_FIELDS)
    for row in rows.forms:
        row.fields["party"].queryset = _parties(case)
    return rows


def _obligation(case: MediationCase, pk: int) -> Obligation:
    found = Obligation.objects.filter(pk=pk, agreement__case=case).select_related("agreement__case").first()
    if found is None:
        raise DomainError("invalid_obligation", gettext("找不到该履行事项。"), details={"field": "obligation"})
    return found


def _agreement(case: MediationCase):
    from yishiting.mediation.page_selectors import agreement_of

    agreement = agreement_of(case)
    if agreement is None:
        raise DomainError("no_agreement", gettext("本案还没有调解协议。"))
    return agreement


def _call(action: str, request: HttpRequest, case: MediationCase, d: dict, rows: list) -> Callable[[], object]:
    user = request.user
    return {
        "consent": lambda: services.party_consent(actor=user, case=case, party=d["party"], agreed=d["agreed"],
                                                  note=d["note"], guidance=d["guidance"]),
        "statement": lambda: services.party_state(actor=user, case=case, party=d["party"], statement=d["statement"]),
        "assign": lambda: services.mediator_assign(actor=user, case=case, person=d["member"].person, lead=d["lead"]),
        "aside": lambda: services.mediator_step_aside(actor=user, case=case, mediator=d["mediator"],
                                                      reason=d["reason"]),
        "refuse": lambda: services.mediator_refuse(actor=user, case=case, mediator=d["mediator"], party=d["party"],
                                                   reason=d["reason"]),
        "hearing": lambda: services.case_set_hearing(actor=user, case=case, hearing=d["hearing"], party=d["party"]),
        "accept": lambda: services.case_accept(actor=user, case=case),
        "attempt": lambda: services.attempt_record(
            actor=user, case=case, held_on=d["held_on"], place=d["place"], mediators=list(d["mediators"]),
            parties_present=list(d["parties_present"]), applicant_said=d["applicant_said"],
            respondent_said=d["respondent_said"], result=d["result"], note=d["note"], number=d["number"],
            ending=services.Ending(d.get("guidance", ""), d.get("propose_topic", False), d.get("proposal_note", ""))),
        "escalate": lambda: services.case_escalate(actor=user, case=case, reason=d["reason"]),
        "withdraw": lambda: services.case_withdraw(actor=user, case=case, reason=d["reason"], guidance=d["guidance"]),
        "fail": lambda: services.case_fail(actor=user, case=case, guidance=d["guidance"],
                                           propose_topic=d["propose_topic"], proposal_note=d["proposal_note"]),
        "agreement": lambda: services.agreement_draft(
            actor=user, case=case, form=d["form"], content=d["content"], facts=d["facts"],
            disputed_points=d["disputed_points"], responsibilities=d["responsibilities"],
            performance=d["performance"], perform_by=d["perform_by"], oral_note=d["oral_note"],
            obligations=[services.ObligationInput(party=r["party"], text=r["text"], due_on=r["due_on"])
                         for r in rows]),
        "sign": lambda: services.agreement_sign(actor=user, agreement=_agreement(case), party=d["party"],
                                                mediator=d["mediator"], method=d["method"],
                                                signed_on=d["signed_on"]),
        "stamp": lambda: services.agreement_stamp(actor=user, agreement=_agreement(case)),
        "abandon": lambda: services.agreement_abandon(actor=user, case=case, reason=d["reason"]),
        "scan": lambda: services.agreement_attach_scan(actor=user, agreement=_agreement(case), file=d["file"]),
        "remind": lambda: services.agreement_remind(actor=user, agreement=_agreement(case)),
        "confirmation": lambda: services.agreement_confirmation_record(actor=user, agreement=_agreement(case),
                                                                       result=d["result"], note=d["note"]),
        "check": lambda: services.obligation_check(actor=user, obligation=_obligation(case, d["obligation"]),
                                                   performed=d["performed"], note=d["note"]),
        "visit": lambda: services.visit_record(actor=user, case=case, visited_on=d["visited_on"], note=d["note"],
                                               resolved=d["resolved"]),
        "close": lambda: services.case_close(actor=user, case=case),
        "archive": lambda: services.case_archive(actor=user, case=case),
    }[action]


@require_POST
@login_required
@idempotent
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in BUILD:
        raise Http404
    case = case_or_404(request, pk)
    context = case_context(request, case)
    context["files"] = request.FILES
    form = BUILD[action](request.POST, case, context)
    rows = obligation_rows(request.POST, case) if action == "agreement" else None
    if rows is not None and row_action(request.POST, "obligations"):  # 添加一项 / 删除: back to the form, unsaved
        return _again(request, case, {"agreement": forms.AgreementDraftForm(initial=request.POST.dict()),
                                      "obligation_rows": rows}, status=200)
    if form.is_valid() and (rows is None or rows.is_valid()):
        try:
            _call(action, request, case, form.cleaned_data, rows.rows() if rows is not None else [])()
        except DomainError as exc:
            _place(request, form, exc)
        else:
            messages.success(request, DONE[_done(action, case)])
            if action == "archive":
                return redirect("web:mediation_list")
            return redirect(f"{request.path.rsplit('/', 2)[0]}/#{_anchor(action, case)}")
    bound: dict[str, Any] = {action: form}
    if rows is not None:
        bound["obligation_rows"] = rows
    return _again(request, case, bound, status=400)


def _done(action: str, case: MediationCase) -> str:
    """The attempt that ended the case (the top tier failing) says so."""
    if action == "attempt" and case.status == "closed":
        return "attempt_failed"
    return action


def _again(request: HttpRequest, case: MediationCase, bound: dict, status: int) -> HttpResponse:
    fresh = selectors.case_for(request.user, case.pk) or case
    return render(request, PAGES + "detail.html", case_context(request, fresh, **bound), status=status)


def _anchor(action: str, case: MediationCase) -> str:
    if action in {"agreement", "sign", "stamp", "scan", "remind", "confirmation", "check"}:
        return "agreement"
    if action in {"refuse", "hearing"}:
        return "mediators" if action == "refuse" else "parties"
    return "tiers" if action in {"attempt", "escalate"} else "case"


def _place(request: HttpRequest, form, exc: DomainError) -> None:
    field = exc.details.get("field") if isinstance(exc.details, dict) else None
    aliases = getattr(form, "field_aliases", {})
    if hasattr(form, "add_domain_error") and aliases.get(field, field) in form.fields:
        form.add_domain_error(exc)
    else:
        messages.error(request, exc.message)

