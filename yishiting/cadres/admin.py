"""Back office of the cadres app: archives, the 导师库, programmes with their activities, reports and pledges are
read and searched here; writes go through the pages (services with events), so nothing is added here."""

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from yishiting.common.forms import ModelForm
from yishiting.common.rules import scope_for

from .models import (
    Activity,
    Attendance,
    Cadre,
    Honour,
    Mentor,
    MentorNote,
    Mentorship,
    Pledge,
    PledgeUpdate,
    PostRecord,
    Programme,
    Report,
    Review,
    Talk,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Scoped to the training office's area (an ADMIN role's subtree); rows without a path of their own are
    scoped by the archive or programme they belong to (`scope_through`)."""

    form = ModelForm  # the product's text rule (common.forms)
    view_permission = "cadres.view"
    scope_through = ""  # e.g. "cadre__": the path of the related archive

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q(self.scope_through + "path"))


class PostInline(admin.TabularInline):
    model = PostRecord
    extra = 0
    readonly_fields = ["kind", "title", "area", "starts_on", "ends_on"]


class MentorshipInline(admin.TabularInline):
    model = Mentorship
    extra = 0
    readonly_fields = ["mentor", "starts_on", "ends_on", "is_active"]


@admin.register(Cadre)
class CadreAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "post", "area", "created_at"]
    list_filter = ["kind"]
    search_fields = ["person__name", "post", "area__name"]
    inlines = [PostInline, MentorshipInline]


@admin.register(Mentor)
class MentorAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "specialty", "area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["person__name", "specialty"]


@admin.register(MentorNote)
class MentorNoteAdmin(ReadOnlyAdmin):
    scope_through = "mentorship__cadre__"
    list_display = ["mentorship", "written_at"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    readonly_fields = ["kind", "title", "held_on", "credits"]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "area", "starts_on", "ends_on", "bottom_count"]
    search_fields = ["name"]
    inlines = [ActivityInline]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    scope_through = "cadre__"
    list_display = ["activity", "cadre", "credits", "recorded_at"]
    search_fields = ["cadre__person__name", "activity__title"]


@admin.register(Honour)
class HonourAdmin(ReadOnlyAdmin):
    scope_through = "programme__"
    list_display = ["programme", "cadre", "month"]


@admin.register(Talk)
class TalkAdmin(ReadOnlyAdmin):
    scope_through = "programme__"
    list_display = ["programme", "cadre", "month", "held_on"]


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    readonly_fields = ["reviewer", "score", "comment", "reviewed_at"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "cadre", "status", "submitted_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "cadre__person__name"]
    inlines = [ReviewInline]


class UpdateInline(admin.TabularInline):
    model = PledgeUpdate
    extra = 0
    readonly_fields = ["progress", "note", "updated_on"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["what", "cadre", "due_on", "status", "progress", "is_overdue", "is_stale"]
    list_filter = ["status", "is_overdue", "is_stale"]
    search_fields = ["what", "cadre__person__name"]
    inlines = [UpdateInline]
