from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yishiting.notifications"
    label = "notifications"
    verbose_name = "通知"
