from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CanteensConfig(AppConfig):
    name = "yishiting.canteens"
    label = "canteens"
    verbose_name = gettext_lazy("幸福食堂")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status

        from . import rules  # noqa: F401 — registers the canteens.* permissions
        from .models import EligibilityRegistration, MealOrder

        register_status(MealOrder)  # what `yishiting verify` reconciles (common.reconcile)
        register_status(EligibilityRegistration)
