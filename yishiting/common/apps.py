from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommonConfig(AppConfig):
    name = "yishiting.common"
    label = "common"
    verbose_name = gettext_lazy("公共")
