"""How pages look for this person: the 大字 (large-text) switch, remembered in a cookie so that it also works
before signing in and without JavaScript (a plain form posts here and comes back to the same page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

TEXT_SIZE_COOKIE = "yst_text"
LARGE = "large"
ONE_YEAR = 365 * 24 * 3600


def large_text(request: HttpRequest) -> bool:
    return request.COOKIES.get(TEXT_SIZE_COOKIE) == LARGE


@require_POST
def text_size_view(request: HttpRequest) -> HttpResponseRedirect:
    """Switch large text on (size=large) or off (anything else) and go back to the page the person was on."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("web:home")
    response = HttpResponseRedirect(back)
    if request.POST.get("size") == LARGE:
        response.set_cookie(TEXT_SIZE_COOKIE, LARGE, max_age=ONE_YEAR, samesite="Lax", httponly=True,
                            secure=request.is_secure())
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response
