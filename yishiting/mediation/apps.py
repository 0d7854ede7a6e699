from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MediationConfig(AppConfig):
    name = "yishiting.mediation"
    label = "mediation"
    verbose_name = gettext_lazy("调解")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status

        from .models import MediationCase

        register_status(MediationCase)  # what `yishiting verify` reconciles (common.reconcile)
