from django.contrib import admin
from django.urls import include, path

from yishiting.api.api import api
from yishiting.notifications.callback import wechat_callback
from yishiting.notifications.push import sms_receipt_push

admin.site.site_header = "议事厅 后台管理"
admin.site.site_title = "议事厅"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("yishiting.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("wechat/callback", wechat_callback, name="wechat_callback"),  # the official account's (signed)
    # receipts the SMS providers push, to an address holding MESSAGING_RECEIPT_PUSH_TOKEN (notifications/push.py)
    path("sms/receipts/<str:provider>/<str:token>", sms_receipt_push, name="sms_receipt_push"),
    path("", include("yishiting.web.urls")),
]
