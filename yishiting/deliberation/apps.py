from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "yishiting.deliberation"
    label = "deliberation"
    verbose_name = "议事协商"
