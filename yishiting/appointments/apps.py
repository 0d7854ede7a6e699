from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AppointmentsConfig(AppConfig):
    name = "yishiting.appointments"
    label = "appointments"
    verbose_name = gettext_lazy("事务预约")
