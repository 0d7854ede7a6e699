"""The back office for shared records, and the mixins every app's admin uses.

ScopedAdminMixin: a staff member sees only their scope (named permissions from rules.py; superusers see all),
and may add or change only where the manage permission holds. ServiceAdminMixin: admin writes go through the
domain's service functions, and a DomainError becomes a form error instead of a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from . import calendar_changes
from .errors import DomainError
from .forms import ModelForm
from .models import AuditEntry, CalendarDay, CalendarYear, Event, EventHead, Job
from .rules import has_perm, scope_for


def _admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """One sign-in page for the whole site (lockout message, SMS code): the admin's sends people there.

    Someone already signed in who lands here is not staff; sending them back to sign in would loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("web:login"))


def _admin_password_change(request: HttpRequest, extra_context=None) -> HttpResponse:
    """One password page too: the site's, whose form is under the product's text rule (common.forms)."""
    return HttpResponseRedirect(reverse("web:password_change"))


admin.site.login = _admin_login
admin.site.password_change = _admin_password_change


class ScopedAdminMixin:
    """Limit an admin to the staff member's scope.

    view_permission: the named permission that decides what is listed (and whether the app shows at all);
    manage_permission: the one needed to add or change (None: superusers only);
    can_update: False when no update service exists, so saved rows are view-only;
    related_scopes: {fk field: (permission, selector)} so drop-downs and autocompletes offer only in-scope rows.
    """

    form = ModelForm  # the product's text rule on every admin form (common.forms), its own or generated

    view_permission: str = ""
    manage_permission: str | None = None
    can_update: bool = True
    related_scopes: dict[str, tuple[str, Callable]] = {}

    def scope_filter(self, request: HttpRequest, queryset: QuerySet, permission: str) -> QuerySet:
        """Rows of `queryset` inside the user's scope for `permission`. Models without a path override this."""
        return queryset.filter(scope_for(request.user, permission).q("path"))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope_filter(request, queryset, self.view_permission)

    def _allowed(self, request: HttpRequest, permission: str | None, obj: Model | None = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        if not permission or not has_perm(user, permission):
            return False
        return obj is None or self.obj_in_scope(request, permission, obj)

    def obj_in_scope(self, request: HttpRequest, permission: str, obj: Model) -> bool:
        if hasattr(obj, "scope_path"):
            return has_perm(request.user, permission, obj)
        return self.scope_filter(request, type(obj).objects.filter(pk=obj.pk), permission).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, self.view_permission)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, self.view_permission, obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, self.manage_permission)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and not self.can_update:
            return False
        return self._allowed(request, self.manage_permission, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Records of people and places carry an event history; they are deactivated, never deleted.
        return False

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        scoped = self.related_scopes.get(db_field.name)
        if scoped and not request.user.is_superuser:
            permission, selector = scoped
            kwargs["queryset"] = selector(request.user, permission)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """Records nobody edits by hand (the event log, the audit log): list and view only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def adopt(target: Model, saved: Model) -> Model:
    """Copy what a service saved onto the instance the admin holds, so its redirect and log use the real row."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db
    return target


class ServiceModelForm(ModelForm):
    """A ModelForm whose `check_with_services` runs the services' own checks; DomainError → field error."""

    def check_with_services(self, data: dict) -> None:
        """Override: call the validation a service would do, raising DomainError."""

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            try:
                self.check_with_services(data)
            except DomainError as exc:
                field = exc.details.get("field") if isinstance(exc.details, dict) else None
                self.add_error(field if field in self.fields else None, exc.message)
        return data


class ServiceAdminMixin:
    """Writes go through services (override save_model); a DomainError they raise late (a race, a rule the
    form could not check) is shown as a message rather than a server error, and nothing is saved."""

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())



class CatalogueAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """One list for the whole district (categories, the 协商目录, process templates, dispute types, fields of
    expertise): no area to scope its rows by. Subclasses name who may read it (`view_permission`) and who may
    change it (`manage_permission`); writes still go through the app's services."""

    def scope_filter(self, request, queryset, permission):
        return queryset

# ---- the event log: read-only, scoped by the subject each event is about ----

EventScope = Callable[[object, str], QuerySet]
EVENT_SUBJECT_SCOPES: dict[str, EventScope] = {}


def register_event_scope(subject_type: str, selector: EventScope) -> None:
    """Let an app say who may see events about its records: `selector(user, permission)` → visible rows."""
    EVENT_SUBJECT_SCOPES[subject_type] = selector


def _as_text_ids(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().annotate(subject_key=Cast("pk", CharField())).values("subject_key")


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "audit.view"
    list_display = ["at", "subject_type", "subject_id", "seq", "kind", "actor"]
    list_filter = ["kind", "subject_type"]
    search_fields = ["=subject_id", "kind"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def scope_filter(self, request, queryset, permission):
        query = Q(pk__in=[])
        for subject_type, selector in EVENT_SUBJECT_SCOPES.items():
            query |= Q(subject_type=subject_type, subject_id__in=_as_text_ids(selector(request.user, permission)))
        return queryset.filter(query)


@admin.register(EventHead)
class EventHeadAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The chain heads matter only to `yishiting verify`; superusers may look."""

    view_permission = ""
    list_display = ["subject_type", "subject_id", "seq", "hash"]
    search_fields = ["=subject_id"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The background jobs (common/jobs.py), for superusers: what ran, what failed and why; a job that gave up
    can be retried once its cause is fixed."""

    view_permission = ""
    list_display = ["key", "name", "created_at", "attempts", "done_at", "last_error"]
    list_filter = ["name"]
    search_fields = ["key"]
    actions = ["retry"]

    @admin.action(description=gettext_lazy("重新运行所选的未完成任务"))
    def retry(self, request: HttpRequest, queryset: QuerySet) -> None:
        from .jobs import job_retry

        count = sum(1 for job in queryset if job_retry(actor=request.user, job=job))
        self.message_user(request, gettext("已重新入队 %(n)s 个任务。") % {"n": count}, messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Logins and unmasked reads of people in the staff member's scope."""

    view_permission = "audit.view"
    list_display = ["at", "username", "action", "outcome", "target", "ip"]
    list_filter = ["action", "outcome"]
    search_fields = ["username", "target"]
    date_hierarchy = "at"

    def scope_filter(self, request, queryset, permission):
        from yishiting.accounts.models import User

        paths = scope_for(request.user, permission).q("person__path")
        usernames = User.objects.filter(paths).values("username")
        return queryset.filter(Q(username__in=usernames) | Q(user__in=User.objects.filter(paths)))


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Every save or delete goes through common.calendar_changes: open notices and working-day deadlines whose
    window the change touches are recomputed (never shortened), and the admin is told how many moved."""

    view_permission = manage_permission = "calendar.manage"
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def scope_filter(self, request, queryset, permission):
        return queryset  # one national calendar; who may see it at all is has_module_permission's job

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, self.manage_permission)

    def _report(self, request: HttpRequest, change) -> None:
        self.message_user(request, change.summary, messages.INFO)

    def save_model(self, request, obj, form, change):
        self._report(request, calendar_changes.calendar_day_save(actor=request.user, day=obj))

    def delete_model(self, request, obj):
        self._report(request, calendar_changes.calendar_day_delete(actor=request.user, day=obj))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarDayAdmin):
    list_display = ["year", "source", "note"]
    list_filter = []
    search_fields = ["=year", "note"]
    date_hierarchy = None

    def save_model(self, request, obj, form, change):
        self._report(request, calendar_changes.calendar_year_save(actor=request.user, year=obj))

    def delete_model(self, request, obj):
        self._report(request, calendar_changes.calendar_year_delete(actor=request.user, year=obj))
