from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ParticipationConfig(AppConfig):
    name = "yishiting.participation"
    label = "participation"
    verbose_name = gettext_lazy("双报到与为民服务")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import rules  # noqa: F401 — registers the participation.* permissions
        from .models import ServiceOrder
        from .services import participation_tick

        register_status(ServiceOrder)  # what `yishiting verify` reconciles (common.reconcile)
        register_tick("participation", participation_tick)  # orders nobody accepted in time go back to the community
