"""Routes of the standing bodies' pages (issue 20), kept apart so web/urls.py gains one line; they join the web
app's own list (namespace "web"), so the crawl sees each of them."""

from django.urls import path

from .views import bodies

routes = [
    path("bodies/", bodies.body_list, name="body_list"),
    path("bodies/new/", bodies.body_new, name="body_new"),
    path("bodies/<int:pk>/", bodies.body_detail, name="body_detail"),
    path("bodies/<int:pk>/members/", bodies.member_add, name="body_member_add"),
    path("bodies/members/<int:pk>/<slug:action>/", bodies.member_action, name="body_member_action"),
]
