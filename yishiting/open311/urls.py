"""Open311 GeoReport v2: /open311/v2/services.json, requests.json, … (`.xml` for XML)."""

from django.urls import re_path

from . import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[-\w]+)" + FMT, views.service_definition, name="service_definition"),
    re_path(r"^requests" + FMT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<request_id>\d+)" + FMT, views.service_request, name="request"),
]
