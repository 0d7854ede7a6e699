from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DemandsConfig(AppConfig):
    name = "yishiting.demands"
    label = "demands"
    verbose_name = gettext_lazy("诉求")

    def ready(self) -> None:
        from . import rules  # noqa: F401
