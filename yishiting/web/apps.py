from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WebConfig(AppConfig):
    """Server-rendered pages: login, home per persona, the area browser, tokens (templates + htmx)."""

    name = "yishiting.web"
    label = "web"
    verbose_name = gettext_lazy("页面")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .guard import forget_foreign_draft

        user_logged_in.connect(forget_foreign_draft, dispatch_uid="web.forget_foreign_draft")
