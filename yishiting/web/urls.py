from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from .views import areas, auth, home, tokens


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
]
