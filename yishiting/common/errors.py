"""DomainError: what a service raises when an invariant would break.

Each error has a stable machine `code` (API clients switch on it), a Chinese `message` for people and optional
`details`. The API turns it into {"code", "message", "details"} with `status`; web views show the message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


class DomainError(Exception):
    status: int = 400

    def __init__(self, code: str, message: str, *, details: Any = None, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "", *, details: Any = None) -> None:
        super().__init__("not_found", message or gettext("找不到该记录，或您无权查看。"), details=details)


class PermissionDeniedError(DomainError):
    status = 403

    def __init__(self, message: str = "", *, details: Any = None) -> None:
        super().__init__("permission_denied", message or gettext("您没有执行此操作的权限。"), details=details)


class Conflict(DomainError):
    status = 409

    def __init__(self, code: str, message: str, *, details: Any = None) -> None:
        super().__init__(code, message, details=details)


# The database itself refuses writes to an archived matter (handling migration 0003's triggers); these markers
# open the trigger's message so every caller can show one clear refusal instead of a generic integrity error.
ARCHIVED_MARKERS = ("archived_sealed", "archived_immutable")


def archived_refusal(exc: Exception) -> Conflict | None:
    """The Conflict to show when `exc` is the database refusing a change to an archived (一事一档) matter."""
    if any(marker in str(exc) for marker in ARCHIVED_MARKERS):
        return Conflict("archived", gettext("该事项已归档（一事一档），不能再改动。"))
    return None
