"""Routes of the 吹哨·应哨 pages (issue 20), kept apart so web/urls.py gains one line; they join the web app's own
list (namespace "web"), so the crawl sees each of them."""

from django.urls import path

from .views import whistles as w

routes = [
    path("whistles/", w.whistle_list, name="whistle_list"),
    path("whistles/new/", w.whistle_new, name="whistle_new"),
    path("whistles/answer/", w.whistle_answer, name="whistle_answer"),
    path("whistles/<int:pk>/", w.whistle_detail, name="whistle_detail"),
    path("whistles/<int:pk>/<slug:action>/", w.whistle_action, name="whistle_action"),
    path("whistles/responses/<int:pk>/photos/<int:photo_pk>/", w.response_photo, name="whistle_photo"),
    path("whistles/responses/<int:pk>/photos/<int:photo_pk>/thumb/", w.response_photo, {"thumb": True},
         name="whistle_photo_thumb"),
    path("whistles/responses/<int:pk>/<slug:action>/", w.response_action, name="whistle_response_action"),
]
