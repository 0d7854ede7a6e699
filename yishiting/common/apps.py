from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommonConfig(AppConfig):
    name = "yishiting.common"
    label = "common"
    verbose_name = gettext_lazy("公共")

    def ready(self) -> None:
        from .partitions import partitions_tick
        from .ticks import register_tick

        register_tick("partitions", partitions_tick)  # the event log's months ahead (PostgreSQL; docs/partitions.md)
