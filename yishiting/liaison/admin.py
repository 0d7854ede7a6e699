from django.contrib import admin

from yishiting.common.forms import ModelForm

from .models import ContactRecord, LiaisonLink, RaisedMatter


@admin.register(LiaisonLink)
class LiaisonLinkAdmin(admin.ModelAdmin):
    form = ModelForm  # the product's text rule (common.forms)
    list_display = ["leader", "level", "community", "starts_on", "ends_on", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["leader__name", "community__name"]
    raw_id_fields = ["leader", "community", "created_by"]
    # Links are set up and revoked through the pages (services with events); the back office reads them.
    readonly_fields = ["path", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


class RaisedMatterInline(admin.TabularInline):
    model = RaisedMatter
    form = ModelForm
    extra = 0
    raw_id_fields = ["demand"]
    readonly_fields = ["created_at"]


@admin.register(ContactRecord)
class ContactRecordAdmin(admin.ModelAdmin):
    form = ModelForm
    list_display = ["held_on", "deputy", "deputy_kind", "method", "place", "people_count"]
    list_filter = ["deputy_kind", "method"]
    search_fields = ["deputy__name", "place", "summary"]
    date_hierarchy = "held_on"
    raw_id_fields = ["deputy", "area", "people", "created_by"]
    readonly_fields = ["path", "created_at"]
    inlines = [RaisedMatterInline]

    def has_add_permission(self, request) -> bool:
        return False
