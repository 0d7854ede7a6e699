from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class VolunteersConfig(AppConfig):
    name = "yishiting.volunteers"
    label = "volunteers"
    verbose_name = gettext_lazy("志愿服务")

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the volunteers.* permissions
