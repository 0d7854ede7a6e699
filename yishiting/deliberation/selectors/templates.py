"""Which process template an area runs: its own assignment, else the nearest assigned ancestor's, else the
district's default (模板按区域适用，逐级继承)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from yishiting.areas.models import Area

from ..models import Consultation, ProcessTemplate, TemplateAssignment, Topic


@dataclass(frozen=True)
class TemplateChoice:
    """The template an area runs and why: `source` is the area it is assigned at (the area itself or an
    ancestor), None when no area on the way up has one and the default applies."""

    template: ProcessTemplate | None
    source: Area | None = None

    @property
    def inherited(self) -> bool:
        return self.source is not None and self.template is not None


def default_template() -> ProcessTemplate | None:
    """The district's default template (admin setting), else the first active one."""
    return ProcessTemplate.objects.filter(is_active=True).order_by("-is_default", "code").first()


def template_choice(area: Area) -> TemplateChoice:
    """One query up the tree: the areas on the materialized path are the ancestors, so the nearest assignment
    is the one with the longest path among them (an inactive template is skipped, as if unassigned)."""
    assignment = (TemplateAssignment.objects.filter(area__path__in=area.ancestor_paths(), template__is_active=True)
                  .select_related("template", "area", "area__level").order_by("-area__path").first())
    if assignment is not None:
        return TemplateChoice(assignment.template, assignment.area)
    return TemplateChoice(default_template())


def template_for_area(area: Area) -> ProcessTemplate | None:
    """The template a matter at `area` is deliberated under."""
    return template_choice(area).template


def assignments_of(template: ProcessTemplate) -> QuerySet[TemplateAssignment]:
    """Where a template applies (each area also covers its subtree unless a nearer area has another)."""
    return template.assignments.select_related("area", "area__level", "assigned_by").order_by("area__path")


def assignments() -> QuerySet[TemplateAssignment]:
    return TemplateAssignment.objects.select_related("area", "area__level", "template").order_by("area__path")


def consultations_of(topic: Topic) -> QuerySet[Consultation]:
    return topic.consultations.select_related("household", "household__unit", "visitor").order_by("-visited_on", "-pk")


@dataclass(frozen=True)
class TopicTemplate:
    """A topic's template and why it has it: `source` the area it is inherited from (None: the default),
    `changed_reason` an admin's reason when it was changed by hand, `area_now` the area's template today when
    it differs (the assignment changed after the topic was formed)."""

    template: ProcessTemplate | None
    source: Area | None
    changed_reason: str = ""
    area_now: ProcessTemplate | None = None


def topic_template(topic: Topic) -> TopicTemplate:
    from yishiting.common.events import events_of

    choice = template_choice(topic.level_area)
    changed = events_of(topic).filter(kind="topic.template_changed").order_by("-seq").first()
    same = choice.template is not None and choice.template.pk == topic.template_id
    return TopicTemplate(template=topic.template, source=choice.source if same else None,
                         changed_reason=(changed.payload or {}).get("reason", "") if changed else "",
                         area_now=None if same or changed else choice.template)
