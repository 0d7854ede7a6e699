from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "yishiting.mediation"
    label = "mediation"
    verbose_name = "调解"
