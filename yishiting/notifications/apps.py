from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "yishiting.notifications"
    label = "notifications"
    verbose_name = gettext_lazy("通知")

    def ready(self) -> None:
        from yishiting.common.jobs import register_job
        from yishiting.common.schedule import register_periodic
        from yishiting.common.ticks import register_tick

        register_tick("notifications.deliver", _deliver_tick)  # the outbox's due messages (notifications.delivery)
        # On the queue (docs/adr/0004-task-queue.md): every minute, so a message waits a minute, not the hourly tick.
        # Not atomic: deliver_pending claims its rows itself and may be run by several workers at once.
        register_job("notifications.deliver", _deliver_job, atomic=False)
        register_periodic("notifications.deliver", every="minute")
        # Delivery receipts pulled from the SMS provider (notifications.receipts); idempotent, so not atomic either.
        register_job("notifications.receipts", _receipts_job, atomic=False)
        register_periodic("notifications.receipts", every="minute")


def _deliver_tick(today):
    from .delivery import deliver_pending

    return deliver_pending().summary(), set()


def _deliver_job() -> str:
    from .delivery import deliver_pending

    return deliver_pending().summary()


def _receipts_job() -> str:
    from .receipts import receipts_poll

    return receipts_poll().summary()
