from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LiaisonConfig(AppConfig):
    name = "yishiting.liaison"
    label = "liaison"
    verbose_name = gettext_lazy("挂点联系与代表联系群众")

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the liaison.* permissions and the 挂点 read grant
