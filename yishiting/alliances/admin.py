"""Back office: alliances, members, votes, tasks and ratings are read here and changed through the services (the
office's pages), so every change is an event; the alliance's settings (grades, quorum) are edited here."""

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from yishiting.common.forms import ModelForm

from .models import (
    Alliance,
    AssemblyBallot,
    AssemblyVote,
    Clause,
    Committee,
    CovenantVersion,
    JointMeeting,
    Member,
    Task,
    UnitRating,
)


class Scoped(ScopedAdminMixin):
    """The liaison office's scope (an ADMIN role's subtree): every record keeps its alliance's area path."""

    view_permission = manage_permission = "alliances.manage"


class ReadOnly(ReadOnlyAdminMixin, Scoped, admin.ModelAdmin):
    form = ModelForm  # the product's text rule (common.forms)


@admin.register(Alliance)
class AllianceAdmin(Scoped, admin.ModelAdmin):
    form = ModelForm
    list_display = ("name", "kind", "status", "area", "grades", "quorum_numerator", "quorum_denominator")
    list_filter = ("kind", "status")
    search_fields = ("name", "area__full_name")
    fields = ("name", "area", "kind", "status", "grades", "quorum_numerator", "quorum_denominator")
    readonly_fields = ("area", "kind", "status")

    def has_add_permission(self, request) -> bool:
        return False  # founded through the service (the office's page), so the history starts with its event

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = ("number", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(CovenantVersion)
class CovenantVersionAdmin(ReadOnly):
    list_display = ("alliance", "number", "title", "status", "adopted_at")
    list_filter = ("status",)
    inlines = [ClauseInline]


@admin.register(Member)
class MemberAdmin(ReadOnly):
    list_display = ("organization", "alliance", "status", "accepted_version", "liaison", "admitted_on", "ended_on")
    list_filter = ("status",)
    search_fields = ("organization__name", "alliance__name")


class BallotInline(admin.TabularInline):
    model = AssemblyBallot
    fields = ("member", "choice", "cast_by", "cast_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(AssemblyVote)
class AssemblyVoteAdmin(ReadOnly):
    list_display = ("__str__", "alliance", "matter", "status", "quorum", "yes", "no", "abstain", "opened_at")
    list_filter = ("matter", "status")
    inlines = [BallotInline]


@admin.register(Committee)
class CommitteeAdmin(ReadOnly):
    list_display = ("name", "alliance", "lead")


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("title", "alliance", "year", "quarter", "source", "status", "committee", "owner", "deadline",
                    "progress")
    list_filter = ("status", "source", "year", "quarter")
    search_fields = ("title",)


@admin.register(JointMeeting)
class JointMeetingAdmin(ReadOnly):
    list_display = ("subject", "alliance", "kind", "held_on", "place")
    list_filter = ("kind",)


@admin.register(UnitRating)
class UnitRatingAdmin(ReadOnly):
    list_display = ("member", "alliance", "year", "grade", "status", "tasks_done", "hours", "resident_score")
    list_filter = ("year", "grade", "status")
