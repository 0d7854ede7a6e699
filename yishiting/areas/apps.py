from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AreasConfig(AppConfig):
    name = "yishiting.areas"
    label = "areas"
    verbose_name = gettext_lazy("区域与人员")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the named permissions)
