"""Publicity pages (公): the staff list, drafting from a resolution, one notice with its objections and the
answer forms, the legality-review inbox of street and district officials, the public notice page (open to
anyone, like the paper on the board: content masked, working days left, the objection form for residents in
scope), a community's notices, and the A4 poster. Anything outside the viewer's scope is a 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import community_within_reach
from yishiting.common.dates import page_day
from yishiting.common.errors import DomainError
from yishiting.deliberation.models import Resolution
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.handling.choices import NoticeStatus, ReviewStatus
from yishiting.handling.models import Notice, Objection
from yishiting.handling.notice_poster import notice_poster_response, public_path
from yishiting.handling.records_language import site_text
from yishiting.handling.selectors import notices as selectors
from yishiting.handling.services import notices as services

from ..forms.notices import (
    PLAN_FIELDS,
    AnswerForm,
    MajorForm,
    NoticeDraftForm,
    ObjectionForm,
    PlanRows,
    PublishForm,
    ReviewForm,
)
from ..forms.rows import build_rows, row_action
from ..guard import idempotent
from .common import paginate, paginate_capped, paginate_quick, permission_required, query_pk

PAGES = "web/pages/handling/notices"


@permission_required("handling.view")
def notice_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") if request.GET.get("status") in NoticeStatus.values else None
    text = (request.GET.get("q") or "").strip()[:50]
    notices = selectors.notice_search(selectors.notices_visible_to(request.user), status=status, text=text)
    return render(request, f"{PAGES}/list.html", {"page": paginate_quick(request, notices), "statuses": NoticeStatus.choices,
                                                  "status": status, "q": text})


@permission_required("handling.notices")
@idempotent
def notice_new(request: HttpRequest) -> HttpResponse:
    resolutions = Resolution.objects.filter(topic__in=topics_visible_to(request.user)).select_related("topic")
    resolution = get_object_or_404(resolutions, pk=query_pk(request, "resolution") or 0)
    data = request.POST if request.method == "POST" else None
    plan = build_rows(PlanRows, data, prefix="plan", fields=PLAN_FIELDS)
    if data is not None and row_action(data, "plan"):  # 添加一项 / 删除: back to the form, nothing saved
        form = NoticeDraftForm(initial=data.dict())
    else:
        form = NoticeDraftForm(data, initial={"title": site_text(gettext_noop("关于“%(title)s”协商结果的公示"),
                                                           title=resolution.topic.title)})
    if data is not None and form.is_bound and all([form.is_valid(), plan.is_valid()]):
        notice = _draft(request, form, resolution, plan.rows())
        if notice is not None:
            messages.success(request, _("公示草稿已保存，核对后即可发布。"))
            return redirect("web:notice_detail", pk=notice.pk)
    return render(request, f"{PAGES}/new.html", {"form": form, "plan": plan, "resolution": resolution},
                  status=400 if form.errors or (plan.is_bound and not plan.is_valid()) else 200)


def _draft(request: HttpRequest, form: NoticeDraftForm, resolution: Resolution, plan: list[dict]) -> Notice | None:
    data = form.cleaned_data
    try:
        return services.notice_draft(
            actor=request.user, resolution=resolution, title=data["title"], plan=plan,
            responsible=data["responsible"], starts_on=data["starts_on"], is_major=data["is_major"] or None,
            major_reason=data["major_reason"])
    except DomainError as exc:
        form.add_domain_error(exc)
        return None


def _context(request: HttpRequest, notice: Notice, **forms) -> dict:
    notice = selectors.notice_for(request.user, notice)
    return {"notice": notice, "topic": notice.topic, "objections": paginate(request, selectors.objections_of(notice)),
            "public_url": request.build_absolute_uri(public_path(notice)),
            "publish_form": forms.get("publish_form") or PublishForm(
                initial={"starts_on": notice.starts_on or timezone.localdate()}),
            "major_form": forms.get("major_form") or MajorForm(), "answer_form": forms.get("answer_form"),
            "answer_for": forms.get("answer_for"), "blank_answer": AnswerForm()}


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.notices_visible_to(request.user), pk=pk)
    context = _context(request, notice)
    if not context["notice"].may_manage:  # residents read the public page
        return redirect("web:notice_public", pk=pk)
    return render(request, f"{PAGES}/detail.html", context)


def _act(request: HttpRequest, notice: Notice, form_name: str, form, save: Callable, done: Callable,
         **extra) -> HttpResponse:
    """Validate `form`, call `save(data)` and say what happened (`done(result)`); a DomainError lands on the
    form and the page re-renders (400)."""
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done(result))
            return redirect("web:notice_detail", pk=notice.pk)
    return render(request, f"{PAGES}/detail.html", _context(request, notice, **{form_name: form}, **extra),
                  status=400)


def _managed(request: HttpRequest, pk: int) -> Notice:
    return get_object_or_404(selectors.notices_visible_to(request.user), pk=pk)


@require_POST
@permission_required("handling.notices")
def notice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, _managed(request, pk), "publish_form", PublishForm(request.POST), lambda data: (
        services.notice_publish(actor=request.user, notice=_managed(request, pk), starts_on=data["starts_on"])),
        lambda published: _("公示已发布，公示期至 %(day)s。") % {"day": page_day(published.ends_on)})


@require_POST
@permission_required("handling.notices")
def notice_major(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, _managed(request, pk), "major_form", MajorForm(request.POST), lambda data: (
        services.notice_mark_major(actor=request.user, notice=_managed(request, pk), reason=data["reason"])),
        lambda marked: _("已列为重大事项：公示期满并经合法性审核通过后才能进入办理。"))


@require_POST
@permission_required("handling.notices")
def notice_complete(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _managed(request, pk)
    try:
        services.notice_complete(actor=request.user, notice=notice)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("公示已结束。"))
    return redirect("web:notice_detail", pk=pk)


@require_POST
@permission_required("handling.notices")
@idempotent
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objections = Objection.objects.filter(notice__in=selectors.notices_visible_to(request.user))
    objection = get_object_or_404(objections.select_related("notice", "notice__topic", "person"), pk=pk)
    return _act(request, objection.notice, "answer_form", AnswerForm(request.POST), lambda data: (
        services.objection_answer(actor=request.user, objection=objection, answer=data["answer"],
                                  substantial=data["substantial"])),
        lambda answered: _("已答复。这是实质性异议：公示已撤回，议题退回协商。") if answered.substantial else _("已答复，公示照常进行。"),
        answer_for=objection.pk)


def notice_public(request: HttpRequest, pk: int, form: ObjectionForm | None = None) -> HttpResponse:
    """Open without login, like the paper on the board; what it shows is masked the same way."""
    notice = selectors.public_notice(pk)
    if notice is None:
        raise Http404
    notice = selectors.notice_for(request.user, notice)
    return render(request, f"{PAGES}/public.html", {
        "notice": notice, "topic": notice.topic, "objections": paginate(request, selectors.objections_of(notice)),
        "form": form or ObjectionForm()}, status=400 if form is not None else 200)


@require_POST
@login_required
@idempotent
def notice_object(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.public_notice(pk)
    if notice is None:
        raise Http404
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_raise(actor=request.user, notice=notice, text=form.cleaned_data["text"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("异议已提交，社区会在公示结束前答复您。"))
            return redirect("web:notice_public", pk=pk)
    return notice_public(request, pk, form=form)


@permission_required("handling.notices")
def notice_poster(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.notices_visible_to(request.user).exclude(status=NoticeStatus.DRAFT), pk=pk)
    return notice_poster_response(request, notice)


@permission_required("handling.legal_review")
def review_inbox(request: HttpRequest, form: ReviewForm | None = None, form_for: int | None = None) -> HttpResponse:
    status = request.GET.get("status", ReviewStatus.PENDING)
    status = status if status in ReviewStatus.values else None
    reviews = selectors.legal_reviews_for(request.user, status=status)
    return render(request, f"{PAGES}/reviews.html", {
        "page": paginate_capped(request, reviews), "status": status, "statuses": ReviewStatus.choices,
        "form": form, "form_for": form_for, "blank": ReviewForm()}, status=400 if form is not None else 200)


@require_POST
@permission_required("handling.legal_review")
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(selectors.legal_reviews_for(request.user, status=None), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.legal_review_decide(actor=request.user, review=review, approve=form.cleaned_data["approve"],
                                         opinion=form.cleaned_data["opinion"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("审核结论已保存，拟稿社区会收到通知。"))
            return redirect("web:legal_reviews")
    return review_inbox(request, form=form, form_for=review.pk)


@login_required
def community_notices(request: HttpRequest, pk: int) -> HttpResponse:
    """The community's notices (running first), for everyone who lives or works there."""
    community = community_within_reach(request.user, pk)
    if community is None:
        raise Http404
    page = paginate(request, selectors.public_notices_of(community))
    return render(request, f"{PAGES}/community.html", {"community": community, "page": page})
