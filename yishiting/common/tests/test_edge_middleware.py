"""The request edge's shared pieces: the language a request chose ends with it, and the fast paths' HSTS header
is Django's SecurityMiddleware's own."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from yishiting.common.middleware import strict_transport_security

pytestmark = pytest.mark.django_db


def test_an_english_request_does_not_leave_english_to_the_next_one_in_the_same_thread(world):
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in english.get("/login/").content.decode()
    assert translation.get_language() == settings.LANGUAGE_CODE  # back in the site's language at once
    page = Client().get("/login/").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page


def test_a_request_inside_an_override_gives_the_override_back(world):
    with translation.override("en"):
        Client().get("/login/")
        assert translation.get_language() == "en"


@pytest.mark.parametrize(("environ", "proxy", "sent"), [
    ({"wsgi.url_scheme": "https"}, None, True),
    ({"wsgi.url_scheme": "http"}, None, False),
    ({"wsgi.url_scheme": "http", "HTTP_X_FORWARDED_PROTO": "https"}, ("HTTP_X_FORWARDED_PROTO", "https"), True),
    ({"wsgi.url_scheme": "http", "HTTP_X_FORWARDED_PROTO": "https, http"}, ("HTTP_X_FORWARDED_PROTO", "https"), True),
    ({"wsgi.url_scheme": "https", "HTTP_X_FORWARDED_PROTO": "http"}, ("HTTP_X_FORWARDED_PROTO", "https"), False),
    ({"wsgi.url_scheme": "https"}, ("HTTP_X_FORWARDED_PROTO", "https"), True),  # no header: the scheme decides
])
def test_the_fast_paths_hsts_header_is_the_one_django_sends(world, settings, environ, proxy, sent):
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD = 600, True, True
    settings.SECURE_PROXY_SSL_HEADER = proxy
    extra = {key: value for key, value in environ.items() if key.startswith("HTTP_")}
    django = Client().get("/api/v1/health", secure=environ["wsgi.url_scheme"] == "https", **extra)
    expected = django.headers.get("Strict-Transport-Security")
    assert (expected is not None) is sent
    assert strict_transport_security(environ) == ([("Strict-Transport-Security", expected)] if sent else [])
    assert strict_transport_security(environ) == ([("Strict-Transport-Security", expected)] if sent else [])  # kept
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # a changed setting is decided afresh, not read from the table
    assert strict_transport_security(environ) == ([("Strict-Transport-Security", "max-age=600; preload")] if sent else [])
    settings.SECURE_HSTS_SECONDS = 0
    assert strict_transport_security(environ) == []
