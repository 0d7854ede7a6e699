from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class BodiesConfig(AppConfig):
    name = "yishiting.bodies"
    label = "bodies"
    verbose_name = gettext_lazy("议事组织")

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the bodies.* permissions
