from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandlingConfig(AppConfig):
    name = "yishiting.handling"
    label = "handling"
    verbose_name = _("办理")

    def ready(self) -> None:
        from yishiting.common.calendar_changes import register_deadline_keeper

        from . import jobs, reconcile, rules  # noqa: F401
        from .services.deadlines import deadlines_recompute

        register_deadline_keeper("handling", deadlines_recompute)
        reconcile.install()
        jobs.install()  # the dossier files and the tick on the queue (yishiting/common/jobs.py)
