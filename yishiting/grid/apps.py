from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class GridConfig(AppConfig):
    name = "yishiting.grid"
    label = "grid"
    verbose_name = gettext_lazy("网格工作")

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the grid.* permissions
