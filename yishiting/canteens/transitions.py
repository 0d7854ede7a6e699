"""Status tables of the 幸福食堂 (docs/states/mealorder.md, docs/states/eligibilityregistration.md).

An order waits for the canteen (待接单); the diner may cancel it until then, the canteen may decline it
(未接单). Once accepted, an eat-in or pick-up meal is handed over (已取餐); a delivery is given to a volunteer
courier (配送中, who may be replaced while it is on the way), the courier marks it delivered (已送达) and the diner —
or staff for them — confirms (已确认收餐), which is what earns the courier recognition (canteens.delivery_confirmed).
A registration of a status the person record cannot show (留守儿童, 低保, 残疾) waits for community staff to
verify it; a verified one may be revoked later (the child's parents came home)."""

from .choices import OrderStatus as O
from .choices import RegistrationStatus as R

ORDER_TRANSITIONS: dict[str, set[str]] = {
    O.PLACED: {O.ACCEPTED, O.CANCELLED, O.REJECTED},
    O.ACCEPTED: {O.ASSIGNED, O.SERVED},
    O.ASSIGNED: {O.ASSIGNED, O.DELIVERED},
    O.DELIVERED: {O.CONFIRMED},
    O.SERVED: set(),
    O.CONFIRMED: set(),
    O.CANCELLED: set(),
    O.REJECTED: set(),
}

REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    R.PENDING: {R.VERIFIED, R.REJECTED},
    R.VERIFIED: {R.REVOKED},
    R.REJECTED: set(),
    R.REVOKED: set(),
}

# Orders that take a portion and count in the subsidy ledger (a cancelled or declined one gave nothing up).
COUNTED = [O.PLACED, O.ACCEPTED, O.ASSIGNED, O.DELIVERED, O.SERVED, O.CONFIRMED]
OPEN = [O.PLACED, O.ACCEPTED, O.ASSIGNED, O.DELIVERED]

TABLES = {"MealOrder": ORDER_TRANSITIONS, "EligibilityRegistration": REGISTRATION_TRANSITIONS}
