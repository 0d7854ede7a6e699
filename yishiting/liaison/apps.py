from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LiaisonConfig(AppConfig):
    name = "yishiting.liaison"
    label = "liaison"
    verbose_name = gettext_lazy("挂点联系与代表联系群众")

    def ready(self) -> None:
        from yishiting.areas.services import register_role_end

        from . import rules  # noqa: F401 — registers the liaison.* permissions and the 挂点 read grant
        from .services import links_end_with_role

        register_role_end(links_end_with_role)  # a leader's links end with the role that qualified them
