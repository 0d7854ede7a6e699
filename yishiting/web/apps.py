from django.apps import AppConfig


class WebConfig(AppConfig):
    """Server-rendered pages: login, home per persona, the area browser, tokens (templates + htmx)."""

    name = "yishiting.web"
    label = "web"
    verbose_name = "页面"
