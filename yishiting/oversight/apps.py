from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OversightConfig(AppConfig):
    name = "yishiting.oversight"
    label = "oversight"
    verbose_name = gettext_lazy("统计考评")

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the oversight permissions
