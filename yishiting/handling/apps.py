from django.apps import AppConfig


class HandlingConfig(AppConfig):
    name = "yishiting.handling"
    label = "handling"
    verbose_name = "办理"

    def ready(self) -> None:
        from . import reconcile, rules  # noqa: F401

        reconcile.install()
