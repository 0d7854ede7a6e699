from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WishesConfig(AppConfig):
    name = "yishiting.wishes"
    label = "wishes"
    verbose_name = gettext_lazy("微心愿")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import rules  # noqa: F401 — registers the wishes.* permissions
        from .models import Wish
        from .services import wishes_tick

        register_status(Wish)  # what `yishiting verify` reconciles (common.reconcile)
        register_tick("wishes", wishes_tick)  # claims not fulfilled by their deadline are released
