"""Trust-fund and disclosure pages, included by yishiting.web.urls into the `web` namespace (names start trust_)."""

from django.urls import path

from . import disclosures, views

urlpatterns = [
    path("", views.home, name="trust_home"),
    path("funds/<int:pk>/", views.fund, name="trust_fund"),
    path("funds/<int:pk>/services/", views.services, name="trust_services"),
    path("funds/<int:pk>/expenses/", views.expenses, name="trust_expenses"),
    path("funds/<int:pk>/desk/", views.desk, name="trust_desk"),
    path("funds/<int:pk>/desk/<slug:action>/", views.desk_action, name="trust_desk_action"),
    path("funds/<int:pk>/statements/<int:year>-<int:month>/", views.statement, name="trust_statement"),
    path("funds/<int:pk>/statements/<int:year>-<int:month>.pdf", views.statement_download, name="trust_statement_pdf"),
    path("entries/<int:pk>/", views.entry, name="trust_entry"),
    path("entries/<int:pk>/<slug:action>/", views.entry_action, name="trust_entry_action"),
    path("expenses/<int:pk>/", views.expense, name="trust_expense"),
    path("expenses/<int:pk>/vouchers/<int:voucher_pk>/", views.voucher, name="trust_voucher"),
    path("expenses/<int:pk>/<slug:action>/", views.expense_action, name="trust_expense_action"),
    path("reversals/<int:pk>/", views.reversal, name="trust_reversal"),
    path("reversals/<int:pk>/<slug:action>/", views.reversal_action, name="trust_reversal_action"),
    path("disclosures/new/", disclosures.disclosure_new, name="trust_disclosure_new"),
    path("disclosures/<int:pk>/", disclosures.disclosure, name="trust_disclosure"),
    path("disclosures/<int:pk>/<slug:action>/", disclosures.disclosure_action, name="trust_disclosure_action"),
]
