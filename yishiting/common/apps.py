from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "yishiting.common"
    label = "common"
    verbose_name = "公共"
