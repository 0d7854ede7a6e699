from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MediationConfig(AppConfig):
    name = "yishiting.mediation"
    label = "mediation"
    verbose_name = gettext_lazy("调解")

    def ready(self) -> None:
        from yishiting import loop
        from yishiting.common.ticks import register_tick

        from . import reconcile, rules  # noqa: F401
        from .warnings import mediation_tick

        reconcile.install()  # what `yishiting verify` reconciles (common.reconcile)
        register_tick("mediation", _tick(mediation_tick))
        loop.install()  # the screening outcomes' routes (architecture rule 11)


def _tick(run):
    def tick(today):
        counts = run(today=today)
        return counts.summary(), counts.calendar_warnings

    return tick
