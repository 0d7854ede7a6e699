"""Status table of a service-menu order (docs/states/serviceorder.md).

居民点单 (待派单) → 社区派单 to one or more providers (待接单) → 党员接单: the first provider to accept takes it
(服务中 — the accept is the row lock, so of two providers tapping at once exactly one wins) → the provider reports
with a photo (待确认) → the resident confirms and rates (已评价), and the service shows on the 晒单 showcase.
An order nobody accepted within the menu's hours goes back to the community (超时转社区, by `yishiting tick`),
whose staff dispatch it again. The resident or the staff may cancel it until a provider has accepted."""

from .choices import OrderStatus as S

ORDER_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.DISPATCHED, S.CANCELLED},
    S.DISPATCHED: {S.ACCEPTED, S.ESCALATED, S.DISPATCHED, S.CANCELLED},  # dispatching again widens the offer
    S.ESCALATED: {S.DISPATCHED, S.CANCELLED},
    S.ACCEPTED: {S.REPORTED},
    S.REPORTED: {S.RATED},
    S.RATED: set(),
    S.CANCELLED: set(),
}

OPEN = {S.SUBMITTED, S.DISPATCHED, S.ESCALATED, S.ACCEPTED, S.REPORTED}
WAITING_FOR_STAFF = {S.SUBMITTED, S.ESCALATED}

MODEL, TRANSITIONS = "ServiceOrder", ORDER_TRANSITIONS  # docs/states/serviceorder.md (`yishiting states`)
