"""The topic page's template part (templates per area, issue 20): which template the topic runs and why, an
admin changing it with a reason, and the household consultations (走访征求意见) a template may require."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.http import require_POST

from yishiting.areas.models import Household
from yishiting.common.rules import has_perm
from yishiting.deliberation.models import Topic
from yishiting.deliberation.selectors.templates import consultations_of, topic_template
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.services.assignments import topic_template_change
from yishiting.deliberation.services.consultations import consultation_record, may_record_consultation
from yishiting.deliberation.services.locality import consultations_needed
from yishiting.deliberation.transitions import MERGEABLE
from yishiting.handling.choices import Stage

from ..forms.topic_templates import MAX_HOUSEHOLDS, ConsultationForm, TopicTemplateForm
from ..guard import idempotent
from . import topics as topic_views


def _households(topic: Topic):
    return Household.objects.filter(path__startswith=topic.opinion_path).select_related("unit")\
        .order_by("path", "number")[:MAX_HOUSEHOLDS]


def step_words(steps) -> list[str]:
    """A template's steps as the page shows them: a step named by a canonical stage (集, 定 … 备) is the site's
    word and reads in the page's language; a locality's own step name (中心户提议, 群议 …) is data, kept as stored."""
    with translation.override("zh-hans"):
        canonical = {str(stage.label): stage.label for stage in Stage}
    return [str(canonical.get(step, step)) for step in steps or []]


def template_context(request: HttpRequest, topic: Topic, forms: dict) -> dict:
    """What the topic page shows about its template and consultations (merged into topics._context)."""
    user = request.user
    recorded, required = consultations_needed(topic)
    may_visit = topic.status in MERGEABLE and may_record_consultation(user, topic)
    may_change = topic.status in MERGEABLE and (user.is_superuser or has_perm(user, "deliberation.templates", topic))
    info = topic_template(topic)
    return {
        "template_info": info, "template_steps": step_words(info.template.steps if info.template else []),
        "consultations": list(consultations_of(topic)[:100]), "consultations_recorded": recorded,
        "consultations_required": required,
        "consultation_form": forms.get("consultation_form") or (
            ConsultationForm(households=_households(topic)) if may_visit and (required or recorded) else None),
        "template_form": forms.get("template_form") or (
            TopicTemplateForm(initial={"template": topic.template}) if may_change else None),
    }


@require_POST
@login_required
@idempotent
def topic_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    form = ConsultationForm(request.POST, households=Household.objects.filter(path__startswith=topic.opinion_path))
    return topic_views._post(request, pk, "consultation_form", form, lambda topic, data: consultation_record(
        actor=request.user, topic=topic, household=data["household"], visited_on=data["visited_on"],
        said=data["said"]))


@require_POST
@login_required
@idempotent
def topic_template_post(request: HttpRequest, pk: int) -> HttpResponse:
    return topic_views._post(request, pk, "template_form", TopicTemplateForm(request.POST),
                             lambda topic, data: topic_template_change(actor=request.user, topic=topic,
                                                                       template=data["template"], reason=data["reason"]))
