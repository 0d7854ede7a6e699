"""Back office for 区考评指标设置: which rates a district's pages show. Reached by the district's own officials
(oversight.rates_configure, scoped to their district) as well as superusers, like the index and rating weights; the
rates are ticked by their Chinese names and saved through the service in the fixed order 响应率、解决率、按期办结率、
满意率."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy

from yishiting.areas.models import PATH_STEP, Area
from yishiting.common.admin import ScopedAdminMixin
from yishiting.common.errors import DomainError
from yishiting.common.forms import ModelForm
from yishiting.common.rules import scope_for

from ..models import DistrictRates
from ..models.rollups import RATE_KEYS
from ..rules import RATES_CONFIGURE
from ..services import district_rates_set, rates_clean

RATE_LABELS = {"response": gettext_lazy("响应率"), "resolved": gettext_lazy("解决率"),
               "on_time": gettext_lazy("按期办结率"), "satisfaction": gettext_lazy("满意率")}


def rates_words(keys: str) -> str:
    """"response,on_time" as "响应率、按期办结率" (the list shows names, not keys)."""
    return "、".join(str(RATE_LABELS.get(key, key)) for key in keys.split(",") if key)


class DistrictRatesForm(ModelForm):
    rates = forms.MultipleChoiceField(label=gettext_lazy("显示的指标"), widget=forms.CheckboxSelectMultiple,
                                      choices=[(key, RATE_LABELS[key]) for key in RATE_KEYS],
                                      help_text=gettext_lazy("勾选本区页面和月报显示的指标，按上列顺序显示。"))

    class Meta:
        model = DistrictRates
        fields = ["district", "rates"]

    def __init__(self, *args, districts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["rates"] = self.instance.keys()
        # Only districts may be chosen (the service refuses any other area), and only the user's own.
        queryset = Area.objects.annotate(path_length=Length("path")).filter(path_length=PATH_STEP).order_by("path")
        self.fields["district"].queryset = queryset if districts is None else queryset.filter(districts)

    def clean_rates(self) -> str:
        chosen = self.cleaned_data["rates"]
        try:
            return rates_clean(",".join(key for key in RATE_KEYS if key in chosen))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(DistrictRates)
class DistrictRatesAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = DistrictRatesForm
    view_permission = manage_permission = RATES_CONFIGURE.name
    list_display = ["district", "rates_shown"]

    @admin.display(description=gettext_lazy("显示的指标"))
    def rates_shown(self, obj: DistrictRates) -> str:
        return rates_words(obj.rates)

    def scope_filter(self, request, queryset, permission):
        return queryset.filter(scope_for(request.user, permission).q("district__path"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form
        districts = scope_for(request.user, self.manage_permission).q("path")

        class Scoped(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, districts=districts, **kw)
        return Scoped

    def save_model(self, request, obj, form, change) -> None:
        saved = district_rates_set(actor=request.user, district=form.cleaned_data["district"],
                                   rates=form.cleaned_data["rates"])
        obj.pk = saved.pk
