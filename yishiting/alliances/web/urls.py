"""The alliance's pages, included by yishiting.web.urls into the `web` namespace (names start alliance_)."""

from django.urls import path

from . import actions, views

urlpatterns = [
    path("", views.alliance_list, name="alliance_list"),
    path("new/", views.alliance_new, name="alliance_new"),
    path("<int:pk>/", views.alliance_detail, name="alliance_detail"),
    path("<int:pk>/covenant/", views.covenant, name="alliance_covenant"),
    path("<int:pk>/covenant/new/", actions.version_new, name="alliance_version_new"),
    path("<int:pk>/units/new/", views.unit_new, name="alliance_unit_new"),
    path("<int:pk>/tasks/", views.task_list, name="alliance_tasks"),
    path("<int:pk>/tasks/new/", actions.task_new, name="alliance_task_new"),
    path("<int:pk>/committees/new/", actions.committee_new, name="alliance_committee_new"),
    path("<int:pk>/meetings/", views.meeting_list, name="alliance_meetings"),
    path("<int:pk>/meetings/new/", actions.meeting_new, name="alliance_meeting_new"),
    path("<int:pk>/ratings/", views.rating_list, name="alliance_ratings"),
    path("<int:pk>/ratings/submit/", actions.rating_submit, name="alliance_rating_submit"),
    path("versions/<int:pk>/consult/", actions.version_consult, name="alliance_version_consult"),
    path("versions/<int:pk>/vote/", actions.version_vote, name="alliance_version_vote"),
    path("clauses/<int:pk>/comment/", actions.clause_comment, name="alliance_clause_comment"),
    path("members/<int:pk>/review/", actions.member_review, name="alliance_member_review"),
    path("members/<int:pk>/leave/", actions.member_leave, name="alliance_member_leave"),
    path("members/<int:pk>/accept/", actions.member_accept, name="alliance_member_accept"),
    path("members/<int:pk>/rate/", actions.rating_propose, name="alliance_rating_propose"),
    path("votes/<int:pk>/", views.vote_detail, name="alliance_vote"),
    path("votes/<int:pk>/cast/", actions.vote_cast, name="alliance_vote_cast"),
    path("votes/<int:pk>/close/", actions.vote_close, name="alliance_vote_close"),
    path("tasks/<int:pk>/", views.task_detail, name="alliance_task"),
    path("tasks/<int:pk>/sort/", actions.task_sort, name="alliance_task_sort"),
    path("tasks/<int:pk>/assign/", actions.task_assign, name="alliance_task_assign"),
    path("tasks/<int:pk>/report/", actions.task_report, name="alliance_task_report"),
    path("tasks/<int:pk>/complete/", actions.task_complete, name="alliance_task_complete"),
    path("tasks/<int:pk>/rate/", actions.task_rate, name="alliance_task_rate"),
    path("meetings/<int:pk>/", views.meeting_detail, name="alliance_meeting"),
    path("meetings/<int:pk>/problem/", actions.meeting_problem, name="alliance_meeting_problem"),
    path("ratings/<int:pk>/letter.pdf", actions.rating_letter, name="alliance_rating_letter"),
]
