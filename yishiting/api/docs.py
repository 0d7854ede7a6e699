"""Interactive API docs that work offline and under the site's Content-Security-Policy ("script-src 'self'").

ninja's own Swagger page keeps its settings in an inline <script> block; ours passes them in data-
attributes and starts Swagger UI from a static file, so the page has no inline script at all and every
asset comes from /static/ (ninja ships swagger-ui in its static files).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class OfflineSwagger(DocsBase):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        user = getattr(request, "user", None)
        context = {
            "api": api,
            "openapi_url": self.get_openapi_url(api, kwargs),
            # "Try it out" from a logged-in browser uses the session, which needs the CSRF token to write.
            "csrf_token_value": get_token(request) if user is not None and user.is_authenticated else "",
        }
        return render(request, self.template, context)
