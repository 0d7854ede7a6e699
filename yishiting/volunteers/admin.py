"""Back office for volunteering: teams and 公益服务岗 are founded here by the community's staff (through the
services, scoped to their subtree), members added and leaders named; activities, sign-ups, claims and shifts are
read-only here (they change on the pages, through their transitions, so the event log stays whole)."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, ServiceAdminMixin, adopt

from . import services
from .models import Activity, Attendance, Post, PostClaim, Shift, Team, TeamMember


class VolunteersAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "volunteers.manage"
    manage_permission = "volunteers.manage"
    can_update = False  # a founded team or post is changed by founding anew; history stays as it was


@admin.register(Team)
class TeamAdmin(VolunteersAdmin):
    list_display = ["name", "area", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["area"]
    fields = ["name", "area", "description"]
    list_select_related = ["area"]

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        adopt(obj, services.team_create(actor=request.user, area=d["area"], name=d["name"],
                                        description=d["description"]))


@admin.register(TeamMember)
class TeamMemberAdmin(VolunteersAdmin):
    list_display = ["person", "team", "is_leader", "joined_at", "left_at"]
    list_filter = ["is_leader"]
    search_fields = ["team__name"]
    autocomplete_fields = ["person", "team"]
    fields = ["team", "person", "is_leader"]
    list_select_related = ["person", "team"]

    def scope_filter(self, request, queryset, permission):
        from yishiting.common.rules import scope_for

        return queryset.filter(scope_for(request.user, permission).q("team__path"))

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        adopt(obj, services.team_join(actor=request.user, team=d["team"], person=d["person"], leader=d["is_leader"]))


@admin.register(Post)
class PostAdmin(VolunteersAdmin):
    list_display = ["name", "area", "team", "capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["area", "team"]
    fields = ["name", "area", "team", "capacity", "description"]
    list_select_related = ["area", "team"]

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        adopt(obj, services.post_create(actor=request.user, area=d["area"], name=d["name"], capacity=d["capacity"],
                                        team=d["team"], description=d["description"]))


class ReadOnly(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "volunteers.manage"


@admin.register(Activity)
class ActivityAdmin(ReadOnly):
    list_display = ["title", "area", "team", "starts_at", "capacity", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["area", "team"]
    exclude = ["checkin_key"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnly):
    list_display = ["activity", "person", "status", "hours", "rating", "checked_out_at"]
    list_filter = ["status"]
    list_select_related = ["activity", "person"]


@admin.register(PostClaim)
class PostClaimAdmin(ReadOnly):
    list_display = ["post", "person", "starts_on", "ends_on", "status", "released_on"]
    list_filter = ["status"]
    list_select_related = ["post", "person"]


@admin.register(Shift)
class ShiftAdmin(ReadOnly):
    list_display = ["claim", "person", "day", "hours", "status", "rating"]
    list_filter = ["status"]
    list_select_related = ["claim__post", "person"]
