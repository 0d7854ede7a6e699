"""Back office for oversight: each district's choice of rates (区考评指标设置), saved through the service."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from yishiting.common.errors import DomainError

from .models import DistrictRates
from .services import district_rates_set, rates_clean


class DistrictRatesForm(forms.ModelForm):
    class Meta:
        model = DistrictRates
        fields = ["district", "rates"]

    def clean_rates(self) -> str:
        try:
            return rates_clean(self.cleaned_data["rates"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(DistrictRates)
class DistrictRatesAdmin(admin.ModelAdmin):
    form = DistrictRatesForm
    list_display = ["district", "rates"]

    def save_model(self, request, obj, form, change) -> None:
        saved = district_rates_set(actor=request.user, district=form.cleaned_data["district"],
                                   rates=form.cleaned_data["rates"])
        obj.pk = saved.pk
