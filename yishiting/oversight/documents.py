"""The printable 整改清单 (PDF by WeasyPrint, fonts embedded, nothing fetched) and its 台账 (XLSX): Chinese, like
every printed record, whatever language the page was read in."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from yishiting.common.documents import render_pdf
from yishiting.common.xlsx import Column, local_date, xlsx_of

from .models import RectificationList

ITEM_COLUMNS = [  # zh-only: the printed 台账
    Column("序号", 6, lambda i: i.seq),  # zh-only: the printed 台账
    Column("整改事项", 48, lambda i: i.description),  # zh-only: the printed 台账
    Column("责任单位", 24, lambda i: i.responsible_name),  # zh-only: the printed 台账
    Column("期限（工作日）", 10, lambda i: i.deadline_days),  # zh-only: the printed 台账
    Column("整改期限", 12, lambda i: i.deadline),  # zh-only: the printed 台账
    Column("状态", 10, lambda i: str(i.get_status_display())),  # zh-only: the printed 台账
    Column("退回次数", 8, lambda i: i.returns),  # zh-only: the printed 台账
    Column("销号日期", 12, lambda i: local_date(i.accepted_at)),  # zh-only: the printed 台账
]


def rectification_xlsx(rect: RectificationList) -> bytes:
    with override("zh-hans"):
        return xlsx_of(list(rect.items.select_related("organization", "area").order_by("seq")), ITEM_COLUMNS,
                       title=f"整改清单 {rect.number}")  # zh-only: the printed 台账


def rectification_pdf(rect: RectificationList) -> bytes:
    with override("zh-hans"):
        items = list(rect.items.select_related("organization", "area").order_by("seq"))
        html = render_to_string("oversight/rectification_pdf.html", {
            "rect": rect, "items": items, "issued_on": timezone.localtime(rect.issued_at).date(),
            "printed_on": timezone.localdate()})
    return render_pdf(html)
