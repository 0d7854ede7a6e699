from datetime import date

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


def canteens_tick(today: date) -> tuple[str, set[str]]:
    from django.utils import timezone

    from .services import orders_auto_confirm

    done = orders_auto_confirm(now=timezone.now())
    return f"幸福食堂：{done} 份送餐超时自动确认收餐", set()  # zh-only: the tick's log line


class CanteensConfig(AppConfig):
    name = "yishiting.canteens"
    label = "canteens"
    verbose_name = gettext_lazy("幸福食堂")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import rules  # noqa: F401 — registers the canteens.* permissions
        from .models import EligibilityRegistration, MealOrder

        register_status(MealOrder)  # what `yishiting verify` reconciles (common.reconcile)
        register_status(EligibilityRegistration)
        register_tick("canteens", canteens_tick)  # deliveries nobody confirmed or complained about, after N hours
