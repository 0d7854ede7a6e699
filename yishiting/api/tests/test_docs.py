"""The interactive API docs: served from our own static files, no inline script, usable under the CSP."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from yishiting.common.middleware import CONTENT_SECURITY_POLICY


def test_openapi_document_lists_every_resource(client: Client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "议事厅 API"
    for resource in ["/me", "/areas", "/households", "/people", "/people/{person_id}/reveal", "/organizations",
                     "/roles", "/tokens", "/tokens/{token_id}"]:
        assert "/api/v1" + resource in schema["paths"], resource
    assert set(schema["components"]["securitySchemes"]) == {"BearerTokenAuth", "SessionCsrfAuth"}


def test_docs_page_loads_only_local_assets_and_no_inline_script(client: Client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the docs page should load Swagger UI"
    for attributes, body in scripts:
        assert 'src="/static/' in attributes and not body.strip(), f"inline or foreign script: {attributes}"
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/static/") for url in urls), urls
    assert "data-openapi-url=\"/api/v1/openapi.json\"" in html
    for url in urls:  # and they are really there, offline
        assert client.get(url).status_code == 200, url


def test_docs_page_hands_the_csrf_token_to_a_logged_in_browser(client: Client, world):
    client.force_login(world.users["community_staff"])
    html = client.get("/api/v1/docs").content.decode()
    token = re.search(r'data-csrf-token="([^"]*)"', html).group(1)
    assert len(token) >= 32


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live_server flushes; keep seeded rows
def test_docs_render_in_a_browser_without_csp_violations(live_server):
    """Swagger UI really starts under "script-src 'self'" (a blocked script would leave the page blank)."""
    from playwright.sync_api import Page

    from yishiting.web.tests.test_browser import DESKTOP, in_browser  # the process's shared Chromium

    problems: list[str] = []
    tags: list[str] = []

    def scenario(page: Page) -> None:
        # Swagger UI's bundle is large and it then fetches the whole OpenAPI schema, built on first request (CI's
        # busy machine took over 15 s for both): wait as long as the shared browser's own bound allows.
        page.set_default_timeout(90_000)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: problems.append(f"外部请求 {r.url}")
                if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None)
        page.goto(live_server.url + "/api/v1/docs")
        page.wait_for_selector(".opblock-tag")
        tags.extend(page.locator(".opblock-tag").all_inner_texts())

    in_browser(scenario, viewport=DESKTOP)
    assert any("人员" in tag for tag in tags), tags
    assert not problems, problems
