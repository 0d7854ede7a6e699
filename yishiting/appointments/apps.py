from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AppointmentsConfig(AppConfig):
    name = "yishiting.appointments"
    label = "appointments"
    verbose_name = gettext_lazy("事务预约")

    def ready(self) -> None:
        from yishiting.common.reconcile import register_status
        from yishiting.common.ticks import register_tick

        from . import rules  # noqa: F401 — registers the appointments.* permissions
        from .models import Booking
        from .services import appointments_tick

        register_status(Booking)  # what `yishiting verify` reconciles (common.reconcile)
        register_tick("appointments", appointments_tick)  # reminders for tomorrow, no-shows of slots that ended
