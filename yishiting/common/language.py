"""One language per page: Chinese unless the person picked another language with the site's switch.

Django's LocaleMiddleware follows the browser's Accept-Language, so a phone set to English got an English header
(the few words translated) around a Chinese body. The language is a choice the person makes (the footer's switch
sets the language cookie), never a guess from the browser.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(cookies: Mapping[str, str]) -> str:
    """The language the person picked (the cookie the switch sets), else the site's language (zh-hans)."""
    code = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


# Machine interfaces answer in the site's language whatever the cookie says: their messages go with stable codes.
MACHINE_PREFIXES = ("/api/", "/open311/")


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without the Accept-Language guess (its response handling — Content-Language — stays).

    The language is the request's only: once the response is made, the thread's language is put back as it was
    (a worker thread's next request, or a test's next line, must not inherit an English cookie's choice)."""

    def process_request(self, request: HttpRequest) -> None:
        machine = request.path.startswith(MACHINE_PREFIXES)
        request.language_before = translation.get_language()
        translation.activate(settings.LANGUAGE_CODE if machine else chosen_language(request.COOKIES))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        finally:
            before = getattr(request, "language_before", None)
            if before is None:
                translation.deactivate()
            else:
                translation.activate(before)
