"""Participation's writes (see orders.py for the service menu, dual.py for 双报到)."""

from .dual import (
    assessment_write,
    member_register,
    quarter_bounds,
    quarter_of,
    service_record_add,
    service_record_rate,
    unit_register,
)
from .orders import (
    Report,
    community_for,
    menu_for,
    menu_item_save,
    menu_save,
    order_accept,
    order_cancel,
    order_dispatch,
    order_escalate,
    order_place,
    order_rate,
    order_report,
    orders_escalate_due,
    participation_tick,
    provider_ensure,
)

__all__ = [
    "Report", "assessment_write", "community_for", "member_register", "menu_for", "menu_item_save", "menu_save", "order_accept",
    "order_cancel", "order_dispatch", "order_escalate", "order_place", "order_rate", "order_report",
    "orders_escalate_due", "participation_tick", "provider_ensure", "quarter_bounds", "quarter_of",
    "service_record_add", "service_record_rate", "unit_register",
]
