"""Status table of a 微心愿 (docs/states/wish.md).

A posted wish waits for the community's review (待审核); staff approve it with the checklist (no money, no
personal data in public) and the public text they settle on (待认领), or reject it with a reason (未通过). One donor
claims it (已认领 — the row lock, so of two donors at once exactly one wins); a claim not fulfilled by its deadline
is released back to 待认领 (`yishiting tick`), and the claimant may release it themselves. Fulfilment with a
photo closes it (已实现; the wisher's thanks are added afterwards). The wisher or staff may withdraw a wish
nobody has fulfilled."""

from .choices import WishStatus as W

WISH_TRANSITIONS: dict[str, set[str]] = {
    W.PENDING: {W.OPEN, W.REJECTED, W.WITHDRAWN},
    W.OPEN: {W.CLAIMED, W.WITHDRAWN},
    W.CLAIMED: {W.FULFILLED, W.OPEN, W.WITHDRAWN},
    W.FULFILLED: set(),
    W.REJECTED: set(),
    W.WITHDRAWN: set(),
}

# What the public wall shows: approved wishes still open, being fulfilled, or fulfilled.
ON_WALL = {W.OPEN, W.CLAIMED, W.FULFILLED}

MODEL, TRANSITIONS = "Wish", WISH_TRANSITIONS  # docs/states/wish.md (`yishiting states`)
