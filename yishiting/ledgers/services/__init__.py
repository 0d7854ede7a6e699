"""Every write of the ledgers (architecture rule 1): one function per act, each @transaction.atomic."""

from .credits import credit_event
from .manual import (
    family_of,
    home_community,
    hours_transfer,
    hours_withdraw,
    may_award,
    may_award_somewhere,
    person_by_mobile,
    person_checked,
    points_award,
    points_correct,
)
from .market import (
    expire_due,
    item_restock,
    redemption_by_code,
    redemption_cancel,
    redemption_create,
    redemption_hand_over,
)

__all__ = ["credit_event", "expire_due", "family_of", "home_community", "hours_transfer", "hours_withdraw",
           "item_restock", "may_award", "may_award_somewhere", "person_by_mobile", "person_checked", "points_award", "points_correct", "redemption_by_code", "redemption_cancel",
           "redemption_create", "redemption_hand_over"]
