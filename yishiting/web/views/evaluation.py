"""Evaluation pages (评): the resident's rating on the phone, the staff round page (counts, result, 五方互评,
组织考评, close), a direct-handling task's rating, the rounds list and the three rates of an area (printable).
Anything outside the viewer's scope is a 404; every write is one service call."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import areas_visible_to, person_for_user
from yishiting.common.anchors import monthly_anchor
from yishiting.common.dbrouter import heavy_read
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.handling.choices import RoundStatus
from yishiting.handling.models import EvaluationRound
from yishiting.handling.selectors import evaluation as selectors
from yishiting.handling.selectors.matters import what_was_done
from yishiting.handling.services import evaluation as services
from yishiting.oversight import selectors as rollups

from ..forms.evaluation import KpiForm, OrgAssessForm, PartyRatingForm, RatingForm
from ..guard import idempotent
from .common import paginate, paginate_capped, permission_required

ROUND_PAGE = "web/pages/handling/evaluation/round.html"
RATE_PAGE = "web/pages/handling/evaluation/rate.html"


def _round(request: HttpRequest, pk: int) -> EvaluationRound:
    return get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)


def _save(form, action: Callable[[dict], object]) -> bool:
    """Validate, call the service; a DomainError lands on the form (or above the page). True when saved."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return False
    return True


@permission_required("handling.view")
def round_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") if request.GET.get("status") in RoundStatus.values else ""
    text = (request.GET.get("q") or "").strip()[:50]
    rounds = selectors.round_search(selectors.rounds_visible_to(request.user), status=status, text=text)
    return render(request, "web/pages/handling/evaluation/list.html", {
        "page": paginate_capped(request, rounds), "statuses": RoundStatus.choices, "status": status, "q": text,
        "may_kpis": has_perm(request.user, "handling.supervise")})


def _round_context(request: HttpRequest, round_: EvaluationRound, **forms) -> dict:
    user, parties = request.user, selectors.parties_of(round_.topic.template)
    final = round_.status == RoundStatus.CLOSED
    names = {p["code"]: p["name"] for p in parties}
    party_ratings = list(selectors.party_ratings_of(round_))
    for rating in party_ratings:  # the party's name in this topic's rules, not its code
        rating.rater_name = names.get(rating.rater_party, rating.rater_party)
        rating.ratee_name = names.get(rating.ratee_party, rating.ratee_party)
    return {"round": round_, "topic": round_.topic, "final": final,
            "result": round_.result if final else selectors.round_tally(round_), "parties": parties,
            "party_ratings": party_ratings, "ratings": paginate(request, selectors.ratings_of(round_)),
            "may_manage": has_perm(user, "handling.tasks", round_.topic),
            "may_assess": has_perm(user, "handling.assess", round_.topic),
            "may_rate": selectors.may_rate(person_for_user(user), round_),
            "party_form": forms.get("party_form") or PartyRatingForm(parties=parties),
            "org_form": forms.get("org_form") or OrgAssessForm()}


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, ROUND_PAGE, _round_context(request, _round(request, pk)))


def _rate(request: HttpRequest, form: RatingForm, give: Callable[[dict], object]) -> str:
    """Two steps, no script: the first post shows the choice to confirm ("confirm"); only the second, with
    confirm=1, gives the rating (irreversible). Returns "saved", "confirm" or "" (show the form)."""
    if request.method != "POST" or not form.is_valid() or request.POST.get("confirm") == "0":  # 返回修改
        return ""
    if request.POST.get("confirm") != "1":
        return "confirm" if _save(form, lambda d: services.rating_check(d["value"], d["comment"])) else ""
    return "saved" if _save(form, give) else ""


@login_required
@idempotent
def round_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's page: what was done (the resolution, each task's closing report and photos), three big
    buttons and a comment, a confirmation step; after rating, what they gave."""
    round_ = _round(request, pk)
    person = person_for_user(request.user)
    form = RatingForm(request.POST or None)
    step = _rate(request, form, lambda d: services.rating_give(
        actor=request.user, round=round_, value=d["value"], comment=d["comment"]))
    if step == "saved":
        messages.success(request, _("感谢您的评价！"))
        return redirect("web:evaluation_rate", pk=round_.pk)
    return render(request, RATE_PAGE, {
        "subject_title": round_.topic.title, "round": round_, "form": form, "confirming": step == "confirm",
        "done": what_was_done(topic=round_.topic),
        "mine": selectors.my_rating(round_, person), "may_rate": selectors.may_rate(person, round_),
        "action": request.path}, status=400 if form.errors else 200)


@login_required
@idempotent
def task_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter rates a closed direct-handling task (no topic, no round), after seeing what was done."""
    person = person_for_user(request.user)
    task = get_object_or_404(selectors.rateable_tasks(person), pk=pk)
    form = RatingForm(request.POST or None)
    step = _rate(request, form, lambda d: services.rating_give(
        actor=request.user, task=task, value=d["value"], comment=d["comment"]))
    if step == "saved":
        messages.success(request, _("感谢您的评价！"))
        return redirect("web:evaluation_task_rate", pk=task.pk)
    mine = selectors.my_rating(None, person, task=task)
    return render(request, RATE_PAGE, {
        "subject_title": task.title, "task": task, "form": form, "mine": mine, "confirming": step == "confirm",
        "done": what_was_done(task=task),
        "may_rate": mine is None and task.status == "closed", "action": request.path},
        status=400 if form.errors else 200)


def _round_post(request: HttpRequest, pk: int, name: str, form, action) -> HttpResponse:
    round_ = _round(request, pk)
    if _save(form, lambda d: action(round_, d)):
        messages.success(request, _("已保存。"))
        return redirect("web:evaluation_round", pk=round_.pk)
    return render(request, ROUND_PAGE, _round_context(request, round_, **{name: form}), status=400)


@require_POST
@login_required
@idempotent
def round_party(request: HttpRequest, pk: int) -> HttpResponse:
    parties = selectors.parties_of(_round(request, pk).topic.template)
    return _round_post(request, pk, "party_form", PartyRatingForm(request.POST, parties=parties),
                       lambda r, d: services.party_rating_give(
                           actor=request.user, round=r, rater_party=d["rater_party"], ratee_party=d["ratee_party"],
                           score=d["score"], comment=d["comment"], entered_for=d["entered_for"]))


@require_POST
@login_required
@idempotent
def round_org(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_post(request, pk, "org_form", OrgAssessForm(request.POST), lambda r, d: services.org_assess(
        actor=request.user, round=r, score=d["score"], comment=d["comment"]))


@require_POST
@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        closed = services.round_close(actor=request.user, round=round_)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, closed.reopen_reason or _("评价已结束，结果已保存。"))
    return redirect("web:evaluation_round", pk=round_.pk)


def _kpi_choice(request: HttpRequest) -> tuple[KpiForm, dict | None]:
    """The form of the area (read once: options, initial and validation) and period, and what it chose."""
    areas = areas_visible_to(request.user, "handling.supervise").filter(level__depth__lte=4).order_by("path")
    form = KpiForm(request.GET if "area" in request.GET else None, areas=areas)
    data = form.cleaned_data if form.is_bound and form.is_valid() else (None if form.is_bound else form.initial)
    return form, (data if data and data.get("area") else None)


@permission_required("handling.supervise")
@heavy_read
def kpi_page(request: HttpRequest) -> HttpResponse:
    """The district's rates (三率, 解决率 if chosen) of an area over a period, read from the roll-ups (brought up
    to date first, the time they count to stated), with how each was counted; printable (A4). The records each
    figure counted are fetched when the official opens them (kpi_records): the page is a fixed few queries."""
    form, data = _kpi_choice(request)
    as_of = rollups.up_to_date() if data else None
    figures = rollups.rates(data["area"], data["start"], data["end"], samples=False, catch=False) if data else None
    # The month's anchor (`yishiting anchor`), printed with the report so the paper copy vouches for the log.
    anchor = monthly_anchor(f"{data['end']:%Y-%m}") if figures else None
    query = urlencode({"area": data["area"].pk, "start": data["start"], "end": data["end"]}) if data else ""
    return render(request, "web/pages/handling/evaluation/kpis.html", {
        "form": form, "rates": figures, "choice": data, "anchor": anchor, "as_of": as_of, "query": query},
        status=400 if form.is_bound and form.errors else 200)


@permission_required("handling.supervise")
@heavy_read
def kpi_records(request: HttpRequest) -> HttpResponse:
    """The first records one figure counted (`figure`: response, on_time, satisfaction, resolved) for the same
    area and period as /kpis/: the panel the page loads when its details are opened, or a page of its own."""
    form, data = _kpi_choice(request)
    keys = rollups.rate_keys(data["area"]) if data else []
    key = request.GET.get("figure") or (keys[0] if keys else "")
    if key not in keys:
        raise Http404
    figure = rollups.figure_records(data["area"], data["start"], data["end"], key)
    page = "web/partials/handling/kpi_records.html" if request.htmx else "web/pages/handling/evaluation/kpi_records.html"
    return render(request, page, {"figure": figure, "choice": data, "back": reverse("web:kpis") + "?" + urlencode(
        {"area": data["area"].pk, "start": data["start"], "end": data["end"]})})
