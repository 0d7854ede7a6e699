from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DemandsConfig(AppConfig):
    name = "yishiting.demands"
    label = "demands"
    verbose_name = gettext_lazy("诉求")

    def ready(self) -> None:
        from yishiting.common.calendar_changes import register_deadline_keeper

        from . import reconcile, rules  # noqa: F401
        from .deadlines import demand_deadlines_recompute

        register_deadline_keeper("demands", demand_deadlines_recompute)
        reconcile.install()
