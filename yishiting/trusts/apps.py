"""信托制物业 and the 业委会's quarterly disclosure (issue 21). Above areas, common and notifications; imported by
nobody but api/web and the demo."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TrustsConfig(AppConfig):
    name = "yishiting.trusts"
    label = "trusts"
    verbose_name = gettext_lazy("信托制物业")

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the trusts.* permissions
