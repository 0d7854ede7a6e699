from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OversightConfig(AppConfig):
    name = "yishiting.oversight"
    label = "oversight"
    verbose_name = gettext_lazy("统计考评")

    def ready(self) -> None:
        from yishiting.common.ticks import register_tick

        from . import rules  # noqa: F401 — registers oversight.view_overview
        from .services import reports_tick

        register_tick("oversight", reports_tick)  # last month's 月报 of every street and district
