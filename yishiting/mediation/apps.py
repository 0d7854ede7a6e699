from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "yishiting.mediation"
    label = "mediation"
    verbose_name = "调解"

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status

        from .models import MediationCase

        register_status(MediationCase)  # what `yishiting verify` reconciles (common.reconcile)
