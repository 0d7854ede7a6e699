from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LegalConfig(AppConfig):
    name = "yishiting.legal"
    label = "legal"
    verbose_name = gettext_lazy("法律服务")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import rules  # noqa: F401 — registers the legal.* permissions
        from .models import Consultation
        from .services import legal_tick

        register_status(Consultation)  # what `yishiting verify` reconciles (common.reconcile)
        register_tick("legal", legal_tick)  # questions past their deadline go to the community's adviser
