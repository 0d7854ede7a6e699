"""Legal-services pages: the resident's 云律团 (ask, my questions, the anonymous board), one consultation's thread
with the buttons each persona may press (claim, answer, follow up, rate, turn into a mediation case), the
lawyer's inbox, and for the staff who manage the pool: the pool with each expert's record and the coverage of
一社区一法律顾问 (printable, XLSX)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.common.xlsx import Column, xlsx_of
from yishiting.legal import selectors
from yishiting.legal import services as legal
from yishiting.legal.choices import ConsultationStatus
from yishiting.legal.models import ConsultationPhoto, Expert
from yishiting.legal.rules import expert_of, is_asker, may_answer, may_claim, may_refer, may_set_availability
from yishiting.legal.thread import thread_rows

from ..forms.demands import read_photos
from ..forms.legal import AskForm, AvailabilityForm, PoolFilter, RateForm, ReplyForm
from ..guard import idempotent
from .common import image_response, paginate, permission_required

PAGES = "web/pages/legal/"


@login_required
def legal_home(request: HttpRequest) -> HttpResponse:
    """The 云律团 page: ask, my questions, and what neighbours asked (answered, nobody named)."""
    if not has_perm(request.user, "legal.view") and expert_of(request.user) is None:
        raise PermissionDenied("legal.view")
    person = person_for_user(request.user)
    return render(request, PAGES + "home.html", {
        "mine": selectors.consultations_of(person)[:20], "may_ask": has_perm(request.user, "legal.ask"),
        "board": paginate(request, selectors.public_board(request.user).exclude(asker=person)),
        "expert": expert_of(request.user), "may_pool": has_perm(request.user, "legal.pool")})


@permission_required("legal.ask")
@idempotent
def consultation_new(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            consultation = legal.consultation_ask(actor=request.user, question=legal.Question(
                field=d["field"], title=d["title"], text=d["text"], photos=read_photos(d["photos"])))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("问题已提交，云律团律师将在 %(date)s 前解答。") % {"date": consultation.due_on})
            return redirect("web:consultation_detail", pk=consultation.pk)
    return render(request, PAGES + "ask.html", {"form": form}, status=400 if form.errors else 200)


def _consultation(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)


@login_required
def consultation_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    c = _consultation(request, pk)
    user, forms = request.user, forms or {}
    asker = is_asker(user, c)
    return render(request, PAGES + "detail.html", {
        "c": c, "rows": thread_rows(user, c), "asker": asker,
        "photos": list(c.photos.all()) if asker or expert_of(user) or has_perm(user, "legal.pool", c) else [],
        "may_claim": may_claim(user, c), "may_answer": may_answer(user, c),
        "may_follow_up": asker and c.status == ConsultationStatus.ANSWERED,
        "may_rate": asker and c.status == ConsultationStatus.ANSWERED,
        "may_refer": may_refer(user, c) and c.status != ConsultationStatus.OPEN,
        "reply_form": forms.get("reply") or ReplyForm(), "rate_form": forms.get("rate") or RateForm(),
        "overdue": c.status in (ConsultationStatus.OPEN, ConsultationStatus.CLAIMED) and c.due_on < timezone.localdate()},
        status=status)


ACTIONS = {"claim", "answer", "follow_up", "rate", "refer"}


@require_POST
@login_required
@idempotent
def consultation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    c = _consultation(request, pk)
    form = RateForm(request.POST) if action == "rate" else ReplyForm(request.POST)
    if action in ("answer", "follow_up", "rate") and not form.is_valid():
        return consultation_detail(request, pk, {"rate" if action == "rate" else "reply": form}, status=400)
    try:
        done = _act(request, c, action, form)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        messages.error(request, exc.message)
        return redirect("web:consultation_detail", pk=c.pk)
    messages.success(request, done)
    return redirect("web:consultation_detail", pk=c.pk)


def _act(request: HttpRequest, c, action: str, form) -> str:
    user, d = request.user, getattr(form, "cleaned_data", {})
    if action == "claim":
        legal.consultation_claim(actor=user, consultation=c)
        return _("已认领，请在期限内解答。")
    if action == "answer":
        legal.consultation_answer(actor=user, consultation=c, text=d["text"])
        return _("解答已发送给提问人。")
    if action == "follow_up":
        legal.consultation_follow_up(actor=user, consultation=c, text=d["text"])
        return _("追问已发送。")
    if action == "rate":
        legal.consultation_rate(actor=user, consultation=c, stars=d["stars"], comment=d["comment"])
        return _("感谢您的评价。")
    case = legal.consultation_refer(actor=user, consultation=c)
    return _("已转为调解案件（%(title)s），调解员将与当事人联系。") % {"title": case}


@login_required
def consultation_photo(request: HttpRequest, pk: int, photo_pk: int, thumb: bool = False) -> HttpResponse:
    """Photos may show who asked: the asker, the lawyers who see the question and the staff only."""
    c = _consultation(request, pk)
    if not (is_asker(request.user, c) or expert_of(request.user) or has_perm(request.user, "legal.pool", c)):
        raise Http404
    photo = get_object_or_404(ConsultationPhoto, pk=photo_pk, consultation=c)
    if thumb and photo.thumbnail:
        return image_response(photo.thumbnail, "image/jpeg")
    return image_response(photo.image, photo.content_type)


@login_required
def legal_inbox(request: HttpRequest) -> HttpResponse:
    """The lawyer's (and adviser's) inbox: questions waiting in their fields, theirs to answer, and answered."""
    expert = expert_of(request.user)
    if expert is None:
        raise PermissionDenied("legal.answer")
    mine = selectors.consultations_for_lawyer(expert)
    waiting = mine.filter(status=ConsultationStatus.OPEN).order_by("due_on", "pk")
    if not expert.takes_questions():  # 繁忙 / 暂停服务: no new questions offered; their own stay below
        waiting = waiting.none()
    todo = mine.filter(status__in=[ConsultationStatus.CLAIMED, ConsultationStatus.ESCALATED]).filter(
        lawyer=expert, status=ConsultationStatus.CLAIMED) | mine.filter(adviser=expert, status=ConsultationStatus.ESCALATED)
    done = mine.filter(answered_by=expert).order_by("-answered_at")[:20]
    return render(request, PAGES + "inbox.html", {"expert": expert, "waiting": waiting[:50], "todo": todo.order_by("due_on"),
                                                  "done": done, "today": timezone.localdate()})


@permission_required("legal.pool")
def expert_list(request: HttpRequest) -> HttpResponse:
    form = PoolFilter(request.GET or None)
    experts = selectors.experts_visible_to(request.user).filter(is_active=True)
    if form.is_valid():
        if form.cleaned_data.get("field"):
            experts = experts.filter(fields=form.cleaned_data["field"])
        if form.cleaned_data.get("level"):
            experts = experts.filter(level=form.cleaned_data["level"])
    page = paginate(request, experts.distinct())
    counts = selectors.pool_counts(request.user)
    return render(request, PAGES + "experts.html", {"form": form, "page": page, "counts": counts,
                                                    "records": selectors.records_summary(list(page))})


@permission_required("legal.pool")
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_object_or_404(selectors.experts_visible_to(request.user), pk=pk)
    return render(request, PAGES + "expert.html", {"record": selectors.expert_record(expert),
                                                   "may_manage": has_perm(request.user, "legal.pool_manage", expert),
                                                   "may_set_availability": may_set_availability(request.user, expert)})


@login_required
def expert_availability(request: HttpRequest, pk: int) -> HttpResponse:
    """可约请状态: the expert sets their own, the pool's managers set anyone's in their area; 繁忙 ends by itself
    after its date. Whoever else asks gets a 403 (a resident, another lawyer)."""
    expert = get_object_or_404(Expert.objects.filter(is_active=True).select_related("person", "area"), pk=pk)
    if not may_set_availability(request.user, expert):
        raise PermissionDenied("legal.availability")
    initial = {"availability": expert.availability_on(), "busy_until": expert.busy_until}
    form = AvailabilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            legal.expert_set_availability(actor=request.user, expert=expert, availability=form.cleaned_data["availability"],
                                          busy_until=form.cleaned_data["busy_until"])
        except DomainError as exc:
            expert.refresh_from_db()
            form.add_domain_error(exc)
        else:
            messages.success(request, _("可约请状态已更新：%(state)s。") % {"state": expert.availability_label})
            return redirect("web:expert_availability", pk=expert.pk)
    own = expert_of(request.user) is not None and expert_of(request.user).pk == expert.pk
    return render(request, PAGES + "availability.html", {"expert": expert, "form": form, "own": own,
                                                         "may_pool": has_perm(request.user, "legal.pool", expert)},
                  status=400 if form.errors else 200)


@permission_required("legal.coverage")
def legal_coverage(request: HttpRequest) -> HttpResponse:
    rows = selectors.coverage(request.user)
    gaps = [r for r in rows if r.state in ("missing", "lapsed")]
    return render(request, PAGES + "coverage.html", {"rows": rows, "gaps": len(gaps), "today": timezone.localdate()})


COVERAGE_COLUMNS = [
    Column("社区", 36, lambda r: r.community.full_name), Column("状态", 12, lambda r: r.state_zh),  # zh-only: the printed 台账
    Column("法律顾问", 12, lambda r: r.post.expert.person.name if r.post else ""),  # zh-only: the printed 台账
    Column("所在单位", 24, lambda r: r.post.expert.organization.name if r.post and r.post.expert.organization_id else ""),  # zh-only: the printed 台账
    Column("聘任起始日", 12, lambda r: r.post.starts_on if r.post else None),  # zh-only: the printed 台账
    Column("聘任截止日", 12, lambda r: r.post.ends_on if r.post else None),  # zh-only: the printed 台账
]


@permission_required("legal.coverage")
def legal_coverage_export(request: HttpRequest) -> HttpResponse:
    """The coverage as a 台账 (Chinese, like every printable record)."""
    data = xlsx_of(selectors.coverage(request.user), COVERAGE_COLUMNS, title="一社区一法律顾问")  # zh-only: the printed 台账
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="legal-advisers-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
