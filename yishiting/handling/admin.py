"""Back office for 公办督评备: scoped and read-only. Every change to these records is a step of the loop with its
own rules, event and notifications, made on the work pages or through the API — never by editing a row here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope
from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for

from .models import Dossier, EvaluationRound, LegalReview, Notice, SupervisionRecord, Task, Warning


def tasks_visible_to(user, permission: str = "handling.view") -> QuerySet[Task]:
    return Task.objects.filter(scope_for(user, permission).q("path"))


def _via_topic(model):
    """Records scoped by their topic's level."""
    return lambda user, permission="handling.view": model.objects.filter(scope_for(user, permission).q("topic__path"))


register_event_scope("handling.task", tasks_visible_to)
register_event_scope("handling.notice", _via_topic(Notice))
register_event_scope("handling.legalreview", _via_topic(LegalReview))
register_event_scope("handling.evaluationround", _via_topic(EvaluationRound))
register_event_scope("handling.dossier",
                     lambda user, permission="handling.view": Dossier.objects.filter(scope_for(user, permission).q("path")))


class HandlingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "handling.view"
    # Where the record's area path is: "path" on tasks and dossiers, through the topic or task elsewhere.
    path_field = "path"

    def scope_filter(self, request: HttpRequest, queryset: QuerySet, permission: str) -> QuerySet:
        return queryset.filter(scope_for(request.user, permission).q(self.path_field))


@admin.register(Task)
class TaskAdmin(HandlingAdmin):
    list_display = ["title", "area", "subject_kind", "organization", "masked_handler", "deadline", "status", "percent"]
    list_filter = ["status", "subject_kind"]
    search_fields = ["title"]
    list_select_related = ["area", "organization", "handler"]
    fields = ["title", "topic", "area", "subject_kind", "organization", "masked_handler", "standard", "deadline",
              "original_deadline", "window_start", "window_days", "status", "percent", "evidence", "closed_at", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("经办人"))
    def masked_handler(self, obj: Task) -> str:
        return mask_name(obj.handler.name)


@admin.register(Notice)
class NoticeAdmin(HandlingAdmin):
    path_field = "topic__path"
    list_display = ["title", "topic", "status", "starts_on", "ends_on", "is_major", "created_at"]
    list_filter = ["status", "is_major"]
    search_fields = ["title"]
    list_select_related = ["topic"]


@admin.register(LegalReview)
class LegalReviewAdmin(HandlingAdmin):
    path_field = "topic__path"
    list_display = ["topic", "reviewer_area", "status", "requested_at", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["topic", "reviewer_area"]


@admin.register(SupervisionRecord)
class SupervisionRecordAdmin(HandlingAdmin):
    path_field = "topic__path"
    list_display = ["kind", "topic", "task", "happened_on", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["topic", "task"]


@admin.register(Warning)
class WarningAdmin(HandlingAdmin):
    path_field = "task__path"
    list_display = ["task", "level", "deadline", "created_at"]
    list_filter = ["level"]
    list_select_related = ["task"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(HandlingAdmin):
    path_field = "topic__path"
    list_display = ["topic", "number", "status", "closes_on", "reopened"]
    list_filter = ["status", "reopened"]
    list_select_related = ["topic"]


@admin.register(Dossier)
class DossierAdmin(HandlingAdmin):
    list_display = ["number", "title", "area", "category", "year", "archived_at"]
    list_filter = ["year", "category"]
    search_fields = ["number", "title"]
    list_select_related = ["area"]
    exclude = ["content"]
    readonly_fields = ["number", "title", "area", "category", "year", "content_sha256", "chain_head", "archived_at"]
