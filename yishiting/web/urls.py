from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from .views import (
    archive,
    areas,
    auth,
    demands,
    entry,
    evaluation,
    home,
    lists,
    meeting_run,
    meetings,
    notices,
    screening,
    tasks,
    tokens,
    topics,
)


class FaviconView(RedirectView):
    """Pages without a <link rel=icon> (the admin) make browsers ask for /favicon.ico."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("web/favicon.svg")


app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("login/", auth.login_view, name="login"),
    path("login/sms/", auth.sms_login_view, name="login_sms"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", auth.password_change_view, name="password_change"),
    path("areas/", areas.area_index, name="area_index"),
    path("areas/<int:pk>/", areas.area_detail, name="area_detail"),
    path("areas/<int:pk>/people/", areas.area_people, name="area_people"),
    path("areas/<int:pk>/households/", areas.area_households, name="area_households"),
    path("people/<int:pk>/reveal/", areas.person_reveal_view, name="person_reveal"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke_view, name="token_revoke"),
    # demands: intake (集) and screening (定)
    path("demands/new/", demands.demand_new, name="demand_new"),
    path("demands/suggest/", demands.demand_suggest, name="demand_suggest"),
    path("demands/mine/", demands.demand_mine, name="demand_mine"),
    path("demands/entry/", entry.demand_entry, name="demand_entry"),
    path("demands/entry/areas/", entry.entry_area_search, name="entry_areas"),
    path("demands/entry/people/", entry.entry_person_search, name="entry_people"),
    path("demands/inbox/", screening.demand_inbox, name="demand_inbox"),
    path("demands/merge/", screening.demand_merge_view, name="demand_merge"),
    path("demands/<int:pk>/", demands.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/done/", demands.demand_done, name="demand_done"),
    path("demands/<int:pk>/screen/", screening.demand_screen_view, name="demand_screen"),
    path("demands/<int:pk>/photos/<int:photo_pk>/", demands.demand_photo, name="demand_photo"),
    path("messages/", demands.my_messages, name="my_messages"),
    path("communities/<int:pk>/topics/", demands.community_topics, name="community_topics"),
    # deliberation (议): topics and their opinions
    path("topics/", topics.topic_list, name="topic_list"),
    path("topics/new/", topics.topic_new, name="topic_new"),
    path("topics/<int:pk>/", topics.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/opinion/", topics.topic_opinion, name="topic_opinion"),
    path("topics/<int:pk>/door-opinion/", topics.topic_door_opinion, name="topic_door_opinion"),
    path("topics/<int:pk>/analysis/", topics.topic_analysis, name="topic_analysis"),
    path("venues/", meetings.venue_list, name="venue_list"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/run/", meeting_run.meeting_run, name="meeting_run"),
    path("meetings/<int:pk>/sign-in/", meeting_run.meeting_sign_in_page, name="meeting_sign_in_page"),
    path("meetings/<int:pk>/sign-in/do/", meeting_run.meeting_sign_in, name="meeting_sign_in"),
    path("meetings/<int:pk>/steps/", meeting_run.meeting_step, name="meeting_step"),
    path("meetings/<int:pk>/votes/", meeting_run.meeting_vote_open, name="meeting_vote_open"),
    path("meetings/<int:pk>/resolutions/", meeting_run.meeting_resolution, name="meeting_resolution"),
    path("meetings/<int:pk>/speak/", meetings.meeting_speak, name="meeting_speak"),
    path("meetings/<int:pk>/<slug:action>/", meetings.meeting_action, name="meeting_action"),
    path("votes/<int:pk>/", meeting_run.vote_detail, name="vote_detail"),
    path("votes/<int:pk>/cast/", meeting_run.vote_cast, name="vote_cast"),
    path("votes/<int:pk>/hands/", meeting_run.vote_hands, name="vote_hands"),
    path("votes/<int:pk>/close/", meeting_run.vote_close, name="vote_close"),
    path("votes/<int:pk>/paper/", meeting_run.vote_paper, name="vote_paper"),
    path("votes/<int:pk>/proxies/", meeting_run.vote_proxy, name="vote_proxy"),
    path("topics/<int:pk>/owners-vote/", meeting_run.owners_vote_new, name="owners_vote_new"),
    path("lists/<slug:kind>/", lists.three_list_view, name="three_list"),
    path("lists/<slug:kind>/export.xlsx", lists.three_list_export, name="three_list_export"),
    # publicity (公): notices, objections, legality reviews
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/publish/", notices.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/major/", notices.notice_major, name="notice_major"),
    path("notices/<int:pk>/complete/", notices.notice_complete, name="notice_complete"),
    path("notices/<int:pk>/public/", notices.notice_public, name="notice_public"),
    path("notices/<int:pk>/objection/", notices.notice_object, name="notice_object"),
    path("notices/<int:pk>/poster.pdf", notices.notice_poster, name="notice_poster"),
    path("notices/objections/<int:pk>/answer/", notices.objection_answer, name="objection_answer"),
    path("legal-reviews/", notices.review_inbox, name="legal_reviews"),
    path("legal-reviews/<int:pk>/decide/", notices.review_decide, name="legal_review_decide"),
    path("communities/<int:pk>/notices/", notices.community_notices, name="community_notices"),
    # handling (办) and supervision (督)
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/mine/", tasks.task_mine, name="task_mine"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/files/<int:file_pk>/", tasks.task_file, name="task_file"),
    path("tasks/<int:pk>/<slug:action>/", tasks.task_action, name="task_action"),
    path("topics/<int:pk>/tasks/new/", tasks.task_new, name="task_new"),
    path("topics/<int:pk>/supervision/", tasks.topic_supervision, name="topic_supervision"),
    path("topics/<int:pk>/supervision/<slug:action>/", tasks.topic_supervision_action, name="topic_supervision_action"),
    path("topics/<int:pk>/progress/", tasks.topic_progress, name="topic_progress"),
    # evaluation (评): ratings, 五方互评, 组织考评, the three rates
    path("evaluations/", evaluation.round_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", evaluation.round_detail, name="evaluation_round"),
    path("evaluations/<int:pk>/rate/", evaluation.round_rate, name="evaluation_rate"),
    path("evaluations/<int:pk>/party/", evaluation.round_party, name="evaluation_party"),
    path("evaluations/<int:pk>/org/", evaluation.round_org, name="evaluation_org"),
    path("evaluations/<int:pk>/close/", evaluation.round_close, name="evaluation_close"),
    path("evaluations/tasks/<int:pk>/rate/", evaluation.task_rate, name="evaluation_task_rate"),
    path("kpis/", evaluation.kpi_page, name="kpis"),
    # archive (备): 一事一档, and the minutes as files
    path("archive/", archive.archive_list, name="archive_list"),
    path("archive/<int:pk>/", archive.dossier_page, name="dossier_page"),
    path("archive/<int:pk>/dossier.pdf", archive.dossier_download, {"fmt": "pdf"}, name="dossier_pdf"),
    path("archive/<int:pk>/dossier.docx", archive.dossier_download, {"fmt": "docx"}, name="dossier_docx"),
    path("topics/<int:pk>/archive/", archive.topic_archive, name="topic_archive"),
    path("topics/<int:pk>/archive/panel/", archive.archive_panel, name="archive_panel"),
    path("meetings/<int:pk>/minutes.pdf", archive.minutes_download, {"fmt": "pdf"}, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes.docx", archive.minutes_download, {"fmt": "docx"}, name="minutes_docx"),
]
