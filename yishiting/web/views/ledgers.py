"""Points, the 积分超市 and the 时间银行: a person's balance and statement (each line says what earned it and
links to that record where the reader may open it), the goods of their community with their pickup codes,
their hours with a transfer to family; for the community's staff: confirm a pickup by its code, award or
correct points, record a withdrawal of hours, keep the goods' stock and see the communities' totals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_name
from yishiting.common.rules import has_perm
from yishiting.ledgers import selectors
from yishiting.ledgers import services as ledgers
from yishiting.ledgers.choices import EarningKind, RedemptionStatus
from yishiting.ledgers.models import PointRule

from ..forms.ledgers import AwardForm, CodeForm, CorrectForm, RestockForm, TransferForm, WithdrawForm
from ..guard import idempotent
from .common import paginate, permission_required

PAGES = "web/pages/ledgers/"
# Records a statement line may link to: the reader opens them when they may (their own demand, a meeting they
# were invited to); the record's own page checks that.
LINKS = {"demands.demand": "web:demand_detail", "deliberation.meeting": "web:meeting_detail"}
KIND_LABELS = dict(EarningKind.choices)


def _person(request: HttpRequest):
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    return person


def _lines(page) -> list[dict]:
    rows = []
    for entry in page:
        event = entry.event
        name = LINKS.get(event.subject_type)
        rows.append({"entry": entry, "source": KIND_LABELS.get(event.kind, entry.get_kind_display()),
                     "link": reverse(name, args=[event.subject_id]) if name and event.subject_id.isdigit() else ""})
    return rows


@permission_required("ledgers.view")
def points_home(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    page = paginate(request, selectors.point_statement(person))
    return render(request, PAGES + "points.html", {
        "balance": selectors.balance_of(person), "page": page, "lines": _lines(page),
        "may_staff": has_perm(request.user, "ledgers.market_manage")})


@permission_required("ledgers.view")
def market(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(request, PAGES + "market.html", {
        "balance": selectors.balance_of(person), "items": selectors.market_of(person)[:100],
        "mine": selectors.redemptions_of(person)[:30], "may_redeem": has_perm(request.user, "ledgers.redeem")})


@require_POST
@permission_required("ledgers.redeem")
@idempotent
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    item = get_object_or_404(selectors.market_of(person), pk=pk)
    try:
        done = ledgers.redemption_create(actor=request.user, person=person, item=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("兑换成功，请凭领取码 %(code)s 到社区领取。") % {"code": done.code})
    return redirect("web:points_market")


@require_POST
@permission_required("ledgers.view")
def redemption_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    redemption = get_object_or_404(selectors.redemptions_of(_person(request)), pk=pk)
    try:
        ledgers.redemption_cancel(actor=request.user, redemption=redemption)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消，%(points)s 积分已退回。") % {"points": redemption.points})
    return redirect("web:points_market")


@permission_required("ledgers.view")
@idempotent
def timebank(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    family = ledgers.family_of(person)
    form = TransferForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        to = next(p for p in family if p.pk == d["to"])
        try:
            ledgers.hours_transfer(actor=request.user, person=person, to=to, hours=d["hours"], note=d["note"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已转给 %(name)s %(hours)s 小时。") % {"name": to, "hours": d["hours"]})
            return redirect("web:points_timebank")
    page = paginate(request, selectors.hour_statement(person))
    return render(request, PAGES + "timebank.html", {
        "balance": selectors.balance_of(person), "page": page, "lines": _lines(page), "form": form,
        "family": family}, status=400 if form.errors else 200)


def _staff_context(request: HttpRequest, forms: dict) -> dict:
    user = request.user
    rules = [r for r in PointRule.objects.filter(is_active=True).exclude(award_roles=[]).order_by("name")
             if ledgers.may_award_somewhere(user, r)]
    return {
        "code_form": forms.get("code") or CodeForm(), "award_form": forms.get("award") or AwardForm(rules=rules),
        "correct_form": forms.get("correct") or CorrectForm(), "withdraw_form": forms.get("withdraw") or WithdrawForm(),
        "items": selectors.items_managed_by(user)[:100], "totals": selectors.community_totals(user),
        "waiting": selectors.redemptions_managed_by(user).filter(status=RedemptionStatus.PENDING)
        .order_by("expires_at")[:20], "restock_form": RestockForm(), "rules": rules,
        "may_correct": has_perm(user, "ledgers.correct"), "may_withdraw": has_perm(user, "ledgers.timebank_manage"),
        "handed": forms.get("handed")}


@permission_required("ledgers.market_manage")
def staff(request: HttpRequest, forms: dict | None = None, status: int = 200) -> HttpResponse:
    return render(request, PAGES + "staff.html", _staff_context(request, forms or {}), status=status)


STAFF_ACTIONS = {"code", "award", "correct", "withdraw"}


@require_POST
@permission_required("ledgers.market_manage")
@idempotent
def staff_action(request: HttpRequest, action: str) -> HttpResponse:
    if action not in STAFF_ACTIONS:
        raise Http404
    rules = [r for r in PointRule.objects.filter(is_active=True).exclude(award_roles=[])
             if ledgers.may_award_somewhere(request.user, r)]
    form = {"code": CodeForm, "correct": CorrectForm, "withdraw": WithdrawForm}.get(action)
    form = form(request.POST) if form else AwardForm(request.POST, rules=rules)
    if "person" in form.fields:
        form.fields["person"].configure(selectors.people_for_staff(request.user))
        form.fields["person"].answer_posted_search(request.POST, "person", request.user, request=request)
    if not form.is_valid():
        return staff(request, {action: form}, status=400)
    try:
        done = _act(request, action, form.cleaned_data, rules)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        form.add_domain_error(exc)
        return staff(request, {action: form}, status=400)
    messages.success(request, done)
    return redirect("web:points_staff")


def _act(request: HttpRequest, action: str, d: dict, rules: list) -> str:
    user = request.user
    if action == "code":
        redemption = ledgers.redemption_hand_over(actor=user, code=d["code"])
        return _("已核销：%(item)s，兑换人 %(name)s。") % {"item": redemption.item.name,
                                                  "name": mask_name(redemption.person.name)}
    person = ledgers.person_checked(user, d["person"], "ledgers.award" if action == "award" else
                                    "ledgers.correct" if action == "correct" else "ledgers.timebank_manage")
    if action == "award":
        rule = next((r for r in rules if r.pk == d["rule"]), None)
        if rule is None:
            raise DomainError("bad_rule", _("请选择规则。"), details={"field": "rule"})
        ledgers.points_award(actor=user, person=person, rule=rule, reason=d["reason"])
        return _("已为 %(name)s 奖励 %(points)s 积分。") % {"name": mask_name(person.name), "points": rule.points}
    if action == "correct":
        ledgers.points_correct(actor=user, person=person, points=d["points"], reason=d["reason"])
        return _("已为 %(name)s 更正 %(points)s 积分。") % {"name": mask_name(person.name), "points": d["points"]}
    ledgers.hours_withdraw(actor=user, person=person, hours=d["hours"], service=d["reason"])
    return _("已为 %(name)s 登记支取 %(hours)s 小时。") % {"name": mask_name(person.name), "hours": d["hours"]}


@require_POST
@permission_required("ledgers.market_manage")
def item_restock(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.items_managed_by(request.user), pk=pk)
    form = RestockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写数量。"))
        return redirect("web:points_staff")
    try:
        ledgers.item_restock(actor=request.user, item=item, add=form.cleaned_data["add"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s”库存已调整。") % {"name": item.name})
    return redirect("web:points_staff")
