"""Oversight services: the district's choice of rates (区考评指标设置)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.common.events import event_append

from ..models import DistrictRates
from ..models.rollups import RATE_KEYS


def rates_clean(text: str) -> str:
    """The rate keys in order, checked: known keys, none twice, at least one."""
    keys = [key.strip() for key in text.replace("，", ",").split(",") if key.strip()]
    unknown = [key for key in keys if key not in RATE_KEYS]
    if unknown or not keys or len(set(keys)) != len(keys):
        raise DomainError("invalid_rates", _("请按顺序填写要显示的指标（response、resolved、on_time、satisfaction），用逗号分隔，每项只写一次。"),
                          details={"field": "rates"})
    return ",".join(keys)


@transaction.atomic
def district_rates_set(*, actor, district: Area, rates: str) -> DistrictRates:
    """Which rates the district's pages show, in order. Event district_rates.set."""
    if district.depth != 1:
        raise DomainError("not_district", _("只能为区设置考评指标。"), details={"field": "district"})
    clean = rates_clean(rates)
    setting, _created = DistrictRates.objects.update_or_create(district=district, defaults={"rates": clean})
    event_append(subject=setting, kind="district_rates.set", actor=actor, payload={"rates": clean})
    return setting
