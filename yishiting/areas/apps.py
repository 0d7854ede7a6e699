from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "yishiting.areas"
    label = "areas"
    verbose_name = "区域与人员"

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status

        from . import rules  # noqa: F401  (registers the named permissions)
        from .models import HouseholdClaim

        register_status(HouseholdClaim)  # what `yishiting verify` reconciles (common.reconcile)
