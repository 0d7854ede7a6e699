from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandlingConfig(AppConfig):
    name = "yishiting.handling"
    label = "handling"
    verbose_name = _("办理")

    def ready(self) -> None:
        from . import rules  # noqa: F401
