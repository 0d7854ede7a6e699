from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CadresConfig(AppConfig):
    name = "yishiting.cadres"
    label = "cadres"
    verbose_name = gettext_lazy("干部成长档案")

    def ready(self) -> None:
        from yishiting.common.ticks import register_tick

        from . import rules  # noqa: F401 — registers the cadres.* permissions
        from .overdue import pledges_tick

        register_tick("cadres", pledges_tick)  # overdue and long-unupdated pledges flagged
