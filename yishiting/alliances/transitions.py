"""The state tables of the alliance (services change states only through common.transitions.transition)."""

from .choices import MemberStatus as M
from .choices import TaskStatus as T
from .choices import VersionStatus as V

MEMBER = {
    M.APPLIED: {M.REVIEWED, M.REJECTED, M.WITHDRAWN},
    M.REVIEWED: {M.ADMITTED, M.REJECTED, M.WITHDRAWN},
    M.ADMITTED: {M.WITHDRAWN, M.REMOVED},
}
VERSION = {
    V.DRAFT: {V.CONSULTING},
    V.CONSULTING: {V.ADOPTED, V.DRAFT},
    V.ADOPTED: {V.SUPERSEDED},
}
TASK = {
    T.COLLECTED: {T.SORTED, T.DROPPED},
    T.SORTED: {T.ASSIGNED, T.DROPPED},
    T.ASSIGNED: {T.DONE},
}
