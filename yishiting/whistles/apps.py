from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WhistlesConfig(AppConfig):
    name = "yishiting.whistles"
    label = "whistles"
    verbose_name = gettext_lazy("吹哨·应哨")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import dossier, rules  # noqa: F401 — registers the whistles.* permissions and the dossier records
        from .models import Whistle, WhistleResponse
        from .warnings import whistles_tick

        register_status(Whistle)  # what `yishiting verify` reconciles (common.reconcile)
        register_status(WhistleResponse)
        register_tick("whistles", whistles_tick)  # late responses warned; answered whistles closed when done
