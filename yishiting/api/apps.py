from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yishiting.api"
    label = "api"
    verbose_name = "接口"
