"""Sessions renewed at most once a minute (SESSION_ENGINE and a middleware, issue 18), read by SQL compiled once.

The idle timeout (SESSION_IDLE_MINUTES) used to save the session on every request (SESSION_SAVE_EVERY_REQUEST):
an UPDATE and a COMMIT on every page view, the costliest statements of a list page on a busy PostgreSQL. Now
a request renews the stored expiry only when the last renewal is more than RENEW_AFTER old, so a signed-in
user still stays signed in while active and is signed out after SESSION_IDLE_MINUTES (less at most
RENEW_AFTER) without a request. A session whose data changed is saved as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .keyed import read_one

RENEW_AFTER = timedelta(seconds=60)


class SessionStore(DatabaseStore):
    """The database store, remembering the stored expiry of the session it loaded."""

    stored_expiry: datetime | None = None

    def _get_session_from_db(self):
        """Django's read (the session with this key, unexpired; else no key), by SQL compiled once (common/keyed.py)."""
        found = read_one(self.model, router.db_for_read(self.model),
                         (("session_key", self.session_key), ("expire_date__gt", timezone.now())))
        if found is None:
            self._session_key = None
        self.stored_expiry = found.expire_date if found is not None else None
        return found

    def renewal_due(self) -> bool:
        """Whether this request should push the stored expiry forward (loads the session once if not yet)."""
        self._get_session()
        if self.stored_expiry is None:  # no stored session (or an expired one): nothing to renew
            return False
        renewed = self.stored_expiry - timedelta(seconds=self.get_session_cookie_age())
        return timezone.now() - renewed >= RENEW_AFTER


def session_renewal(get_response: Callable[[HttpRequest], HttpResponse]):
    """After SessionMiddleware: marks a stored session for saving when its renewal is due."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = getattr(request, "session", None)
        if (isinstance(session, SessionStore) and not session.modified and session.session_key
                and session.renewal_due()):
            session.modified = True
        return response

    return middleware
