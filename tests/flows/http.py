"""What the flows of the services do over HTTP as a signed-in person: one place, not a copy per flow."""

from __future__ import annotations

from django.test import Client


def signed_in(world, name: str) -> Client:
    """A client signed in as the persona `name` of the test world."""
    client = Client()
    client.force_login(world.users[name])
    return client


def follow(client: Client, url: str, data: dict | None = None) -> str:
    """POST like a form does, follow the redirect, and return the page the person then reads (it must be a 200)."""
    page = client.post(url, data or {}, follow=True)
    assert page.status_code == 200, page.content.decode()[:2000]
    return page.content.decode()
