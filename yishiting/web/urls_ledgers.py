"""Routes of the points, 积分超市 and 时间银行 pages (included by web/urls.py into the `web` namespace)."""

from django.urls import path

from .views import ledgers

urlpatterns = [
    path("points/", ledgers.points_home, name="points_home"),
    path("points/market/", ledgers.market, name="points_market"),
    path("points/market/<int:pk>/redeem/", ledgers.redeem, name="points_redeem"),
    path("points/redemptions/<int:pk>/cancel/", ledgers.redemption_cancel, name="points_redemption_cancel"),
    path("points/timebank/", ledgers.timebank, name="points_timebank"),
    path("points/staff/", ledgers.staff, name="points_staff"),
    path("points/staff/items/<int:pk>/restock/", ledgers.item_restock, name="points_item_restock"),
    path("points/staff/<slug:action>/", ledgers.staff_action, name="points_staff_action"),
]
