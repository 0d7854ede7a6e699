from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "yishiting.demands"
    label = "demands"
    verbose_name = "诉求"

    def ready(self) -> None:
        from . import reconcile, rules  # noqa: F401

        reconcile.install()
