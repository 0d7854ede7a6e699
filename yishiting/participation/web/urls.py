"""Participation's pages, included by yishiting.web.urls into the `web` namespace (names start participation_)."""

from django.urls import path

from . import dual, views

urlpatterns = [
    path("", views.home, name="participation_home"),
    path("order/", views.order_new, name="participation_order_new"),
    path("orders/<int:pk>/", views.order_detail, name="participation_order"),
    path("orders/<int:pk>/photos/<int:photo_pk>/", views.order_photo, name="participation_order_photo"),
    path("orders/<int:pk>/<slug:action>/", views.order_action, name="participation_order_action"),
    path("inbox/", views.inbox, name="participation_inbox"),
    path("board/", views.board, name="participation_board"),
    path("showcase/", views.showcase, name="participation_showcase"),
    path("showcase/<int:pk>/", views.showcase_provider, name="participation_showcase_provider"),
    path("showcase/orders/<int:pk>/photos/<int:photo_pk>/", views.showcase_photo, name="participation_showcase_photo"),
    path("units/", dual.unit_list, name="participation_units"),
    path("units/new/", dual.unit_new, name="participation_unit_new"),
    path("units/<int:pk>/", dual.unit_detail, name="participation_unit"),
    path("units/<int:pk>/report/<int:year>/<int:quarter>.pdf", dual.unit_report, name="participation_unit_report"),
    path("register/", dual.member_register, name="participation_register"),
    path("assess/", dual.assess, name="participation_assess"),
    path("assess/<slug:kind>/<int:pk>/", dual.assess_save, name="participation_assess_save"),
]
