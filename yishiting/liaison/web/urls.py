"""Liaison's pages, included by yishiting.web.urls into the `web` namespace (names start liaison_)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="liaison_home"),
    path("links/", views.link_list, name="liaison_links"),
    path("links/new/", views.link_new, name="liaison_link_new"),
    path("links/<int:pk>/end/", views.link_end, name="liaison_link_end"),
    path("records/", views.record_list, name="liaison_records"),
    path("records/new/", views.record_new, name="liaison_record_new"),
    path("records/<int:pk>/", views.record_detail, name="liaison_record"),
    path("records/<int:pk>/matters/", views.matter_add, name="liaison_matter_add"),
    path("matters/<int:pk>/demand/", views.matter_demand, name="liaison_matter_demand"),
    path("deputies/", views.deputy_year, name="liaison_deputies"),
]
