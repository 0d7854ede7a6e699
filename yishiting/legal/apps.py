from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LegalConfig(AppConfig):
    name = "yishiting.legal"
    label = "legal"
    verbose_name = gettext_lazy("法律服务")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status

        from . import rules  # noqa: F401 — registers the legal.* permissions
        from .models import Consultation

        register_status(Consultation)  # what `yishiting verify` reconciles (common.reconcile)
