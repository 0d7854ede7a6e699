"""Back office for logins, API tokens (never their secret) and SMS codes (read-only), scoped per staff member."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from yishiting.common.errors import DomainError
from yishiting.common.forms import TextRuleMixin
from yishiting.common.masking import mask_mobile, mask_name
from yishiting.common.rules import scope_for

from .models import ApiToken, SmsCode, User
from .services import token_revoke


def _users_in_scope(user, permission: str):
    """Logins of people registered inside the staff member's scope."""
    return User.objects.filter(scope_for(user, permission).q("person__path"))


class UserChangeForm(TextRuleMixin, auth_forms.UserChangeForm):
    """Django's forms for logins, under the product's text rule (common.forms)."""


class UserCreationForm(TextRuleMixin, auth_forms.AdminUserCreationForm):
    pass


class PasswordForm(TextRuleMixin, AdminPasswordChangeForm):
    pass


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    """Staff see the logins of people in their scope; only superusers create or change accounts (no service
    for it yet, and a staff member must never be able to grant superuser or staff status)."""

    view_permission = "people.view"
    manage_permission = None
    form, add_form, change_password_form = UserChangeForm, UserCreationForm, PasswordForm
    list_display = ["username", "person_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "=person__mobile"]
    list_select_related = ["person"]

    def get_search_fields(self, request):
        from yishiting.areas.admin import unmasked_search

        return unmasked_search(request, self.search_fields)

    @admin.display(description=gettext_lazy("姓名"))
    def person_name(self, obj: User) -> str:
        person = getattr(obj, "person", None)
        return mask_name(person.name) if person else "—"

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(pk__in=_users_in_scope(request.user, permission).values("pk"))


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The secret is never stored (only its SHA-256), and the digest is not shown either."""

    view_permission = "audit.view"
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke_selected"]

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(user__in=_users_in_scope(request.user, permission))

    @admin.action(description=gettext_lazy("吊销所选令牌"))
    def revoke_selected(self, request, queryset):
        revoked, refused = 0, 0
        for token in queryset.select_related("user"):
            try:
                token_revoke(actor=request.user, token=token, request=request)
                revoked += 1
            except DomainError:
                refused += 1  # only the owner or a superuser may revoke
        self.message_user(request, gettext('已吊销 %(revoked)s 个令牌。') % {"revoked": revoked} + (gettext('%(refused)s 个不属于您，未吊销。') % {"refused": refused} if refused else ""),
                          messages.SUCCESS if not refused else messages.WARNING)


@admin.register(SmsCode)
class SmsCodeAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "audit.view"
    list_display = ["masked_mobile", "created_at", "expires_at", "attempts", "used_at"]
    fields = ["masked_mobile", "created_at", "expires_at", "attempts", "used_at"]
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("手机号"))
    def masked_mobile(self, obj: SmsCode) -> str:
        return mask_mobile(obj.mobile)

    def scope_filter(self, request, queryset, permission):
        from yishiting.areas.selectors import people_visible_to

        mobiles = people_visible_to(request.user, permission).exclude(mobile="").values("mobile")
        return queryset.filter(Q(mobile__in=mobiles))
