from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MediationConfig(AppConfig):
    name = "yishiting.mediation"
    label = "mediation"
    verbose_name = gettext_lazy("调解")
