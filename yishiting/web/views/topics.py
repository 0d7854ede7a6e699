"""Topic pages: the list, one topic with its opinions (a resident gives theirs, a worker enters a door-to-door
one, staff record the analysis), and proposing a topic. Anything outside the viewer's scope is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import areas_visible_to, people_visible_to, person_for_user
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.deliberation.selectors.meetings import meetings_visible_to
from yishiting.deliberation.selectors.topics import (
    as_index_rows,
    opinion_summary,
    opinions_of,
    topic_search,
    topics_visible_to,
)
from yishiting.deliberation.selectors.votes import shown_result, votes_visible_to
from yishiting.deliberation.services import topics as services
from yishiting.deliberation.timeline import topic_timeline_lines
from yishiting.deliberation.transitions import MERGEABLE

from ..forms.deliberation import AnalysisForm, DoorOpinionForm, OpinionForm, TopicProposeForm
from ..guard import idempotent
from .common import paginate, paginate_quick, permission_required


@permission_required("deliberation.view")
def topic_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") if request.GET.get("status") in TopicStatus.values else None
    text = (request.GET.get("q") or "").strip()[:50]
    topics = as_index_rows(topic_search(topics_visible_to(request.user), status=status, text=text))
    return render(request, "web/pages/deliberation/topic_list.html", {
        "page": paginate_quick(request, topics), "statuses": TopicStatus.choices, "status": status, "q": text,
        "may_propose": has_perm(request.user, "deliberation.manage")})

def _scope_people(user, topic: Topic):
    """Residents of the topic's scope the user may see (the door-to-door picker's pool; web.views.pickers)."""
    return people_visible_to(user).filter(household__path__startswith=topic.opinion_path)

def _context(request: HttpRequest, topic: Topic, **forms) -> dict:
    from .topic_templates import template_context

    user = request.user
    person = person_for_user(user)
    mine = topic.opinions.filter(person=person).first() if person else None
    may_opine = bool(person and has_perm(user, "deliberation.opine", topic) and services.lives_in(person, topic.opinion_path))
    may_enter = has_perm(user, "deliberation.enter_opinion")
    return {
        "topic": topic, "summary": opinion_summary(topic), "opinions": paginate(request, opinions_of(topic)),
        "timeline": topic_timeline_lines(topic), "mine": mine, "may_opine": may_opine,
        "opinions_open": topic.status in services.OPINION_STATES, "may_manage": has_perm(user, "deliberation.manage", topic),
        "may_enter": may_enter, "attachments": topic.attachments.all(), "plannable": MERGEABLE,
        "meetings": meetings_visible_to(user).filter(agenda__topic=topic),
        "votes": _shown(votes_visible_to(user).filter(topic=topic).order_by("pk")),
        "resolutions": list(topic.resolutions.order_by("pk")),
        "opinion_form": forms.get("opinion_form") or OpinionForm(
            initial={"stance": mine.stance, "text": mine.text} if mine else None),
        "door_form": forms.get("door_form") or (DoorOpinionForm(people=_scope_people(user, topic), topic=topic)
                                                       if may_enter else None),
        "analysis_form": forms.get("analysis_form") or AnalysisForm(
            initial={"analysis": topic.analysis, "draft_plan": topic.draft_plan}),
        **template_context(request, topic, forms),  # which template and why; consultations (issue 20)
    }

def _shown(votes) -> list:
    """The topic's votes, each with its count as the page words it (`result_shown`)."""
    votes = list(votes)
    for vote in votes:
        vote.result_shown = shown_result(vote.result)
    return votes

@login_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    return render(request, "web/pages/deliberation/topic_detail.html", _context(request, topic))

def _post(request: HttpRequest, pk: int, form_name: str, form, save) -> HttpResponse:
    """Validate `form`, call `save(cleaned_data)`; a DomainError lands on the form and the page re-renders."""
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    if form.is_valid():
        try:
            save(topic, form.cleaned_data)
        except DomainError as exc:
            field = exc.details.get("field") if isinstance(exc.details, dict) else None
            if field in form.fields:
                form.add_domain_error(exc)
            else:  # not about a field (scope, a closed period): said above the page, where it is always seen
                messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("web:topic_detail", pk=topic.pk)
    return render(request, "web/pages/deliberation/topic_detail.html", _context(request, topic, **{form_name: form}),
                  status=400)

@require_POST
@login_required
@idempotent
def topic_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, "opinion_form", OpinionForm(request.POST), lambda topic, data: services.opinion_give(
        actor=request.user, topic=topic, stance=data["stance"], text=data["text"]))

@require_POST
@permission_required("deliberation.enter_opinion")
@idempotent
def topic_door_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    form = DoorOpinionForm(request.POST, people=_scope_people(request.user, topic), topic=topic)
    return _post(request, pk, "door_form", form, lambda topic, data: services.opinion_enter(
        actor=request.user, topic=topic, person=data["person"], stance=data["stance"], text=data["text"]))

@require_POST
@permission_required("deliberation.manage")
def topic_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, "analysis_form", AnalysisForm(request.POST), lambda topic, data: services.topic_analyse(
        actor=request.user, topic=topic, analysis=data["analysis"], draft_plan=data["draft_plan"]))

@permission_required("deliberation.manage")
@idempotent
def topic_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    areas = areas_visible_to(user, "deliberation.manage").filter(level__depth__lte=5).order_by("path")
    form = TopicProposeForm(request.POST or None, areas=areas, people=people_visible_to(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.topic_propose(
                actor=user, title=data["title"], description=data["description"], level_area=data["level_area"],
                scope_area=data["scope_area"], proposer=data["proposer"],
                proposal_signed=data["proposal_signed"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("议题已提出，现在可以征求居民意见。"))
            return redirect("web:topic_detail", pk=topic.pk)
    return render(request, "web/pages/deliberation/topic_new.html", {"form": form},
                  status=400 if form.errors else 200)
