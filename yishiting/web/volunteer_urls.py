"""Routes of the volunteering pages (issue 19), kept apart so web/urls.py gains one line; they join the web
app's own list (namespace "web"), so the crawl sees each of them."""

from django.urls import path

from .views import volunteer_teams as teams
from .views import volunteers as v

routes = [
    path("volunteers/", v.volunteer_home, name="volunteer_home"),
    path("volunteers/new/", v.activity_new, name="volunteer_activity_new"),
    path("volunteers/mine/", teams.mine, name="volunteer_mine"),
    path("volunteers/mine/certificate.pdf", teams.certificate, name="volunteer_certificate"),
    path("volunteers/people/<int:pk>/", teams.record, name="volunteer_record"),
    path("volunteers/people/<int:pk>/certificate.pdf", teams.record_certificate, name="volunteer_record_certificate"),
    path("volunteers/teams/", teams.team_list, name="volunteer_teams"),
    path("volunteers/teams/<int:pk>/", teams.team_detail, name="volunteer_team"),
    path("volunteers/teams/<int:pk>/<slug:action>/", teams.team_action, name="volunteer_team_action"),
    path("volunteers/members/<int:pk>/<slug:action>/", teams.member_action, name="volunteer_member_action"),
    path("volunteers/posts/", teams.post_list, name="volunteer_posts"),
    path("volunteers/posts/<int:pk>/", teams.post_detail, name="volunteer_post"),
    path("volunteers/posts/<int:pk>/claim/", teams.post_claim, name="volunteer_post_claim"),
    path("volunteers/claims/<int:pk>/<slug:action>/", teams.claim_action, name="volunteer_claim_action"),
    path("volunteers/shifts/<int:pk>/<slug:action>/", teams.shift_action, name="volunteer_shift_action"),
    path("volunteers/attendances/<int:pk>/<slug:action>/", v.attendance_action, name="volunteer_attendance_action"),
    path("volunteers/<int:pk>/", v.activity_detail, name="volunteer_activity"),
    path("volunteers/<int:pk>/checkin/", v.checkin_screen, name="volunteer_checkin"),
    path("volunteers/<int:pk>/scan/<str:token>/", v.scan, name="volunteer_scan"),
    path("volunteers/<int:pk>/<slug:action>/", v.activity_action, name="volunteer_activity_action"),
]
