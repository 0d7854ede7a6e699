from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AlliancesConfig(AppConfig):
    name = "yishiting.alliances"
    label = "alliances"
    verbose_name = gettext_lazy("党建联盟")

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the alliances.* permissions
