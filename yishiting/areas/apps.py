from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AreasConfig(AppConfig):
    name = "yishiting.areas"
    label = "areas"
    verbose_name = gettext_lazy("区域与人员")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status

        from . import rules  # noqa: F401  (registers the named permissions)
        from .models import HouseholdClaim

        register_status(HouseholdClaim)  # what `yishiting verify` reconciles (common.reconcile)
