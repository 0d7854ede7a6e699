from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "yishiting.notifications"
    label = "notifications"
    verbose_name = gettext_lazy("通知")

    def ready(self) -> None:
        from yishiting.common.ticks import register_tick

        register_tick("notifications.deliver", _deliver_tick)  # the outbox's due messages (notifications.delivery)


def _deliver_tick(today):
    from .delivery import deliver_pending

    return deliver_pending().summary(), set()
