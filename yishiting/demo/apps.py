from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo district with its history: above every domain, so it may call all of their services."""

    name = "yishiting.demo"
    label = "demo"
    verbose_name = "演示数据"
