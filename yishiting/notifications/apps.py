from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "yishiting.notifications"
    label = "notifications"
    verbose_name = gettext_lazy("通知")
