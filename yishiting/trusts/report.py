"""The monthly statement of a trust fund as a PDF (common.documents: WeasyPrint, CJK fonts embedded, no network):
the opening balance, every line of the month, the month's income, remuneration and expenses, the closing balance.
A printable record of the estate, in its language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from yishiting.common.documents import render_pdf

from .models import TrustFund
from .selectors import statement


def statement_pdf(fund: TrustFund, year: int, month: int) -> bytes:
    return render_pdf(render_to_string("trusts/statement_pdf.html",
                                       {"s": statement(fund, year, month), "f": fund, "made_at": timezone.localtime()}))
