"""Status table of a 积分超市 redemption (docs/states/redemption.md).

A redemption waits for pickup (待领取) with its code; staff hand it over (已领取). Not picked up by its expiry
(`yishiting tick`) it expires (已过期), or the resident (or staff) cancels it (已取消): both return the points
and the stock, as new ledger entries."""

from .choices import RedemptionStatus as R

REDEMPTION_TRANSITIONS: dict[str, set[str]] = {
    R.PENDING: {R.HANDED_OVER, R.EXPIRED, R.CANCELLED},
    R.HANDED_OVER: set(),
    R.EXPIRED: set(),
    R.CANCELLED: set(),
}

MODEL, TRANSITIONS = "Redemption", REDEMPTION_TRANSITIONS  # docs/states/redemption.md (`yishiting states`)
