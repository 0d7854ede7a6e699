"""Cadres' pages, included by yishiting.web.urls into the `web` namespace (names start cadres_)."""

from django.urls import path

from . import commitments, training, views

urlpatterns = [
    path("", views.home, name="cadres_home"),
    path("archives/", views.archive_list, name="cadres_archives"),
    path("archives/new/", views.archive_new, name="cadres_archive_new"),
    path("archives/<int:pk>/", views.archive_detail, name="cadres_archive"),
    path("archives/<int:pk>/pdf/", views.archive_pdf, name="cadres_archive_pdf"),
    path("archives/<int:pk>/posts/", views.post_add, name="cadres_post_add"),
    path("archives/<int:pk>/mentors/", views.mentor_assign, name="cadres_mentor_assign"),
    path("mentorships/<int:pk>/end/", views.mentorship_end, name="cadres_mentorship_end"),
    path("mentorships/<int:pk>/notes/", views.mentor_note, name="cadres_mentor_note"),
    path("mentors/", views.mentor_list, name="cadres_mentors"),
    path("programmes/", training.programme_list, name="cadres_programmes"),
    path("programmes/new/", training.programme_new, name="cadres_programme_new"),
    path("programmes/<int:pk>/", training.programme_detail, name="cadres_programme"),
    path("programmes/<int:pk>/enrol/", training.programme_enrol, name="cadres_enrol"),
    path("programmes/<int:pk>/activities/", training.activity_add, name="cadres_activity_add"),
    path("programmes/<int:pk>/ranking/", training.ranking, name="cadres_ranking"),
    path("programmes/<int:pk>/honours/", training.honour, name="cadres_honour"),
    path("programmes/<int:pk>/talks/", training.talk, name="cadres_talk"),
    path("activities/<int:pk>/", training.activity_detail, name="cadres_activity"),
    path("reports/", commitments.report_list, name="cadres_reports"),
    path("reports/new/", commitments.report_new, name="cadres_report_new"),
    path("reports/<int:pk>/", commitments.report_detail, name="cadres_report"),
    path("reports/<int:pk>/review/", commitments.report_review, name="cadres_report_review"),
    path("reports/<int:pk>/publish/", commitments.report_publish, name="cadres_report_publish"),
    path("pledges/", commitments.pledge_list, name="cadres_pledges"),
    path("pledges/<int:pk>/", commitments.pledge_detail, name="cadres_pledge"),
    path("pledges/<int:pk>/progress/", commitments.pledge_update, name="cadres_pledge_update"),
    path("pledges/<int:pk>/complete/", commitments.pledge_complete, name="cadres_pledge_complete"),
    path("public/<int:area_pk>/", commitments.public_pledges, name="cadres_public"),
]
