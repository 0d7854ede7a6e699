from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yishiting.web"
    label = "web"
    verbose_name = "页面"
