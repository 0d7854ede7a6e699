"""Back office of unit ratings and 整改清单: each district's weights of the rating's parts (district officials and
admins of the district), the year's annual evaluations and kept ratings (read-only: written by the services),
and the lists for reference (worked on the pages)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope
from yishiting.common.errors import DomainError
from yishiting.common.rules import scope_for

from ..models import AnnualEvaluation, RatingWeights, RatingYear, RectificationList, UnitRating
from ..selectors import lists_visible_to

register_event_scope("oversight.rectificationlist", lambda user, _permission: lists_visible_to(user))


@admin.register(RatingWeights)
class RatingWeightsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Weights are a setting, not a record of anyone's work: saved as entered (0 leaves a part out)."""

    view_permission = manage_permission = "oversight.weights"
    list_display = ["district", "parties", "organization", "handling", "evaluation", "rectification"]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("district__path"))


@admin.register(AnnualEvaluation)
class AnnualEvaluationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "oversight.ratings_view"
    list_display = ["year", "organization", "evaluator_area", "score", "updated_at"]
    list_filter = ["year"]
    search_fields = ["organization__name", "evaluator_area__name"]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("organization__path"))


@admin.register(UnitRating)
class UnitRatingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "oversight.ratings_view"
    list_display = ["year", "organization", "score", "grade", "computed_at"]
    list_filter = ["year", "grade"]
    search_fields = ["organization__name"]


@admin.register(RatingYear)
class RatingYearAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Closing a year happens here (an action on the district): evaluations freeze, ratings are kept."""

    view_permission = "oversight.weights"
    list_display = ["district", "year", "closed_at", "closed_by"]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("district__path"))


@admin.register(RectificationList)
class RectificationListAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "oversight.rectifications_view"
    list_display = ["number", "title", "target_area", "target_organization", "issuer_area", "issued_at"]
    search_fields = ["number", "title"]


def close_last_year(modeladmin, request, queryset) -> None:
    from ..services.ratings import rating_year_close

    year = timezone.localdate().year - 1
    for weights in queryset.select_related("district"):
        try:
            rating_year_close(actor=request.user, district=weights.district, year=year)
        except DomainError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
        else:
            modeladmin.message_user(request, gettext_lazy("已关闭上一年度，单位评级已保存。"))


close_last_year.short_description = gettext_lazy("关闭上一年度（冻结年度评议、保存评级）")
RatingWeightsAdmin.actions = [close_last_year]
