"""The grid's pages, included by yishiting.web.urls into the `web` namespace (names start grid_)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="grid_home"),
    path("mine/", views.mine, name="grid_mine"),
    path("records/", views.record_list, name="grid_records"),
    path("records/new/", views.record_new, name="grid_record_new"),
    path("records/<int:pk>/", views.record_detail, name="grid_record"),
    path("records/<int:pk>/photos/<int:photo_pk>/", views.record_photo, name="grid_record_photo"),
    path("records/<int:pk>/photos/<int:photo_pk>/thumb/", views.record_photo, {"thumb": True},
         name="grid_record_photo_thumb"),
    path("findings/<int:pk>/report/", views.finding_report, name="grid_finding_report"),
    path("assignments/", views.assignment_list, name="grid_assignments"),
    path("assignments/new/", views.assignment_new, name="grid_assignment_new"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="grid_assignment_end"),
    path("coverage/", views.coverage, name="grid_coverage"),
]
