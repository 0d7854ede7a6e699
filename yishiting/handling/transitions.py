"""Status tables of the handling app (docs/states/notice.md, task.md, legalreview.md, extension.md).

The topic's own table (deliberation/transitions.py) already runs through 公示中 → 办理中 → 评价中 → 已归档;
these are the tables of the records that move it."""

from .choices import ExtensionStatus as E
from .choices import NoticeStatus as N
from .choices import ReviewStatus as R
from .choices import RoundStatus
from .choices import TaskStatus as T

NOTICE_TRANSITIONS: dict[str, set[str]] = {
    N.DRAFT: {N.PUBLISHED},
    N.PUBLISHED: {N.COMPLETED, N.WITHDRAWN},
    N.COMPLETED: set(),
    N.WITHDRAWN: set(),
}

# 签收 first, as a 12345 unit works: an assigned task is either accepted (签收, assigned → in_progress) or
# returned (退回) — never both, so a concurrent accept and return cannot both win; reports, extensions and 销号
# come after acceptance, and an accepted task is no longer returned (it asks for an extension or is cancelled).
TASK_TRANSITIONS: dict[str, set[str]] = {
    T.ASSIGNED: {T.IN_PROGRESS, T.RETURNED, T.CANCELLED},
    T.IN_PROGRESS: {T.VERIFYING, T.CANCELLED},
    T.RETURNED: {T.ASSIGNED, T.CANCELLED},          # reassigned (to a new handler) or withdrawn
    T.VERIFYING: {T.CLOSED, T.IN_PROGRESS},          # verified, or sent back for more work
    T.CLOSED: {T.IN_PROGRESS},                       # 重办: a matter reopened for dissatisfaction
    T.CANCELLED: set(),
}

# Tasks still being worked: what warnings and the topic's progress look at.
OPEN_TASK = {T.ASSIGNED, T.IN_PROGRESS, T.RETURNED, T.VERIFYING}

LEGAL_REVIEW_TRANSITIONS: dict[str, set[str]] = {R.PENDING: {R.APPROVED, R.REJECTED}, R.APPROVED: set(),
                                                 R.REJECTED: set()}

EXTENSION_TRANSITIONS: dict[str, set[str]] = {E.PENDING: {E.APPROVED, E.REFUSED}, E.APPROVED: set(),
                                              E.REFUSED: set()}

# An evaluation round is open for ratings until it is closed and counted (the result is kept on the round).
ROUND_TRANSITIONS: dict[str, set[str]] = {RoundStatus.OPEN: {RoundStatus.CLOSED}, RoundStatus.CLOSED: set()}

TABLES = {"Notice": NOTICE_TRANSITIONS, "Task": TASK_TRANSITIONS, "LegalReview": LEGAL_REVIEW_TRANSITIONS,
          "Extension": EXTENSION_TRANSITIONS, "EvaluationRound": ROUND_TRANSITIONS}
