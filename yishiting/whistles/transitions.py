"""Status tables of a whistle and of each unit's response (docs/states/whistle.md, whistle_response.md).

A whistle is blown open (应哨中) naming its units, each with a response waiting for its 报到 (待报到). A unit's
handler or representative reports (已报到, with the time) and records what the unit did (已应哨; both at once
is allowed). When every unit has answered the whistle is 已全部应哨; it closes (已办结) by itself once the
matter it was blown on is handled (its task closed, its topic past handling), or staff close it earlier or
later with a summary. A unit added to an answered whistle (增加应哨单位, with its own deadline)
opens it again until that unit answers too. A unit that never answered is then 未应哨 (counted against it). The blower or staff may
withdraw a whistle still open (已撤回). Two representatives of one unit answering at once: the row lock lets
one in, the other is told it is answered.
"""

from .choices import ResponseStatus as R
from .choices import WhistleStatus as W

WHISTLE_TRANSITIONS: dict[str, set[str]] = {
    W.OPEN: {W.ANSWERED, W.CLOSED, W.CANCELLED},
    W.ANSWERED: {W.OPEN, W.CLOSED, W.CANCELLED},
    W.CLOSED: set(),
    W.CANCELLED: set(),
}
RESPONSE_TRANSITIONS: dict[str, set[str]] = {
    R.PENDING: {R.ARRIVED, R.RESPONDED, R.MISSED, R.CANCELLED},
    R.ARRIVED: {R.RESPONDED, R.MISSED, R.CANCELLED},
    R.RESPONDED: set(),
    R.MISSED: set(),
    R.CANCELLED: set(),
}
OPEN_WHISTLE = {W.OPEN, W.ANSWERED}
WAITING = {R.PENDING, R.ARRIVED}  # a unit that has not yet recorded what it did

TABLES = {"Whistle": WHISTLE_TRANSITIONS, "WhistleResponse": RESPONSE_TRANSITIONS}  # docs/states (`yishiting states`)
