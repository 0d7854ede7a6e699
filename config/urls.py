from django.contrib import admin
from django.urls import include, path

from yishiting.api.api import api
from yishiting.notifications.callback import wechat_callback

admin.site.site_header = "议事厅 后台管理"
admin.site.site_title = "议事厅"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("yishiting.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("wechat/callback", wechat_callback, name="wechat_callback"),  # the official account's (signed)
    path("", include("yishiting.web.urls")),
]
