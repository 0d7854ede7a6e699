"""Status table of a 整改事项 (docs/states/rectificationitem.md).

The responsible unit acknowledges (签收) an issued item, reports progress with photos and submits it as done; the
issuer accepts it (销号) or returns it (退回) with a reason, and the unit submits again. The issuer may withdraw
(撤销) an item not yet submitted. Each change holds the row lock, so of two handlers submitting the same item at
once exactly one wins."""

from .choices import ItemStatus as S

ITEM_TRANSITIONS: dict[str, set[str]] = {
    S.ISSUED: {S.ACKNOWLEDGED, S.CANCELLED},
    S.ACKNOWLEDGED: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.ACCEPTED, S.RETURNED},
    S.RETURNED: {S.SUBMITTED, S.CANCELLED},
    S.ACCEPTED: set(),
    S.CANCELLED: set(),
}

# Still to be done by the unit: what warnings and the rating's rectification part look at.
OPEN_ITEM = {S.ISSUED, S.ACKNOWLEDGED, S.SUBMITTED, S.RETURNED}
# Where the unit works on it (progress reports allowed).
WORKING = {S.ACKNOWLEDGED, S.RETURNED}

TABLES = {"RectificationItem": ITEM_TRANSITIONS}  # docs/states/rectificationitem.md (`yishiting states`)
