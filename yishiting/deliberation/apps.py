from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "yishiting.deliberation"
    label = "deliberation"
    verbose_name = "议事协商"

    def ready(self) -> None:
        from . import reconcile, rules  # noqa: F401

        reconcile.install()
