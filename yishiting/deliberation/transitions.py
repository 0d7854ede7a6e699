"""The topic status table: the whole loop. This issue moves a topic up to a resolution; publicity, handling,
evaluation and archive are the handling issue's, listed here so the table is whole."""

from .choices import MeetingStatus as M
from .choices import TopicStatus as S
from .choices import VoteStatus as V

MODEL = "Topic"

TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.ANALYSING, S.SCHEDULED, S.DROPPED},
    S.ANALYSING: {S.OPEN, S.SCHEDULED, S.DROPPED},
    S.SCHEDULED: {S.DELIBERATING, S.ANALYSING, S.DROPPED},
    S.DELIBERATING: {S.RESOLVED, S.ANALYSING, S.DROPPED},
    S.RESOLVED: {S.PUBLICISING},
    S.PUBLICISING: {S.HANDLING, S.ANALYSING},
    S.HANDLING: {S.EVALUATING},
    S.EVALUATING: {S.ARCHIVED, S.HANDLING},
    S.ARCHIVED: set(),
    S.DROPPED: set(),
    S.CLOSED: set(),
}

# Demands may still be merged into a topic until its meeting starts.
MERGEABLE = {S.OPEN, S.ANALYSING, S.SCHEDULED}

# A topic whose loop has ended (Open311 reports its demands as closed).
FINISHED = {S.ARCHIVED, S.DROPPED, S.CLOSED}

# The meeting's own status table (docs/states/meeting.md).
MEETING_TRANSITIONS: dict[str, set[str]] = {
    M.PLANNED: {M.IN_PROGRESS, M.CANCELLED},
    M.IN_PROGRESS: {M.CLOSED},
    M.CLOSED: set(),
    M.CANCELLED: set(),
}

# A vote is open until it is closed and counted (the result is kept on the vote).
VOTE_TRANSITIONS: dict[str, set[str]] = {V.OPEN: {V.CLOSED}, V.CLOSED: set()}

# Every table of this app, for docs/states/ (`yishiting states`).
TABLES = {"Topic": TRANSITIONS, "Meeting": MEETING_TRANSITIONS, "Vote": VOTE_TRANSITIONS}
