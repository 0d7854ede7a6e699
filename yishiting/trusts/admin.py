"""Back office for trust funds: the community's offices set up an estate's fund with its contract versions (a new
rate is a new version from a date; versions are never edited — past lines keep the rate they were computed with)
and its authorised persons of each side. Lines, expenses, reversals, questions, services and disclosures are listed read-only:
they are written on the pages, where the 双密码 and the events live."""

from __future__ import annotations

from django.contrib import admin

from yishiting.common.admin import ReadOnlyAdminMixin, ScopedAdminMixin, register_event_scope
from yishiting.common.events import event_append
from yishiting.common.rules import scope_for

from .models import (
    Disclosure,
    DisclosureLine,
    Entry,
    Expense,
    Question,
    Reversal,
    ServiceRecord,
    Signatory,
    TrustContract,
    TrustFund,
)

for subject, model in (("trusts.expense", Expense), ("trusts.entry", Entry), ("trusts.question", Question),
                       ("trusts.reversal", Reversal), ("trusts.disclosure", Disclosure), ("trusts.servicerecord", ServiceRecord)):
    register_event_scope(subject, lambda user, permission, model=model:
                         model.objects.filter(scope_for(user, permission).q()))


class ContractInline(admin.TabularInline):
    model = TrustContract
    extra = 1
    can_delete = False
    fields = ["effective_from", "rate", "note"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a new rate is a new version: lines already computed keep theirs


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 1
    can_delete = False
    fields = ["side", "person", "is_active"]
    raw_id_fields = ["person"]


@admin.register(TrustFund)
class TrustFundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_permission = manage_permission = "trusts.supervise"
    list_display = ["name", "estate", "balance", "income_total", "remuneration_total", "expense_total"]
    fields = ["estate", "name", "owners_committee", "property_company", "opened_on", "income_total",
              "remuneration_total", "expense_total", "balance", "entry_count"]
    readonly_fields = ["income_total", "remuneration_total", "expense_total", "balance", "entry_count"]
    autocomplete_fields = ["estate"]
    list_select_related = ["estate"]
    inlines = [ContractInline, SignatoryInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        event_append(subject=obj, kind="trust_fund.changed" if change else "trust_fund.opened", actor=request.user,
                     payload={"estate": obj.estate_id, "changed": sorted(form.changed_data)})


class ListedAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_permission = "trusts.supervise"


@admin.register(Entry)
class EntryAdmin(ListedAdmin):
    list_display = ["fund", "seq", "booked_on", "kind", "category", "amount", "note"]
    list_filter = ["kind", "category"]
    list_select_related = ["fund"]


@admin.register(Expense)
class ExpenseAdmin(ListedAdmin):
    list_display = ["fund", "supplier", "category", "amount", "status", "created_at"]
    list_filter = ["status", "category"]
    list_select_related = ["fund"]


@admin.register(Reversal)
class ReversalAdmin(ListedAdmin):
    list_display = ["fund", "entry", "reason", "status", "created_at", "line"]
    list_filter = ["status"]
    list_select_related = ["fund", "entry", "line"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ListedAdmin):
    list_display = ["fund", "what", "done_on", "expense"]
    list_select_related = ["fund", "expense"]


@admin.register(Question)
class QuestionAdmin(ListedAdmin):
    list_display = ["entry", "text", "asked_at", "answered_at"]
    exclude = ["asked_by"]


class LineInline(admin.TabularInline):
    model = DisclosureLine
    fields = ["kind", "item", "amount", "description"]
    can_delete = False
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Disclosure)
class DisclosureAdmin(ListedAdmin):
    list_display = ["estate", "year", "quarter", "status", "published_at"]
    list_filter = ["status", "year"]
    list_select_related = ["estate"]
    exclude = ["created_by"]
    inlines = [LineInline]
