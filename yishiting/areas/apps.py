from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "yishiting.areas"
    label = "areas"
    verbose_name = "区域与人员"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the named permissions)
