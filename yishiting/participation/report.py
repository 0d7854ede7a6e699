"""A unit's quarterly report of its members' service (the record seed 003 says is checked before a member is
promoted): each member's services in the quarter with hours and ratings, and the community's 考核建议 of the unit
and of each member. Rendered to PDF (common.documents: WeasyPrint, CJK fonts embedded, no network)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from yishiting.common.documents import render_pdf

from . import selectors
from .models import Assessment, MemberRegistration, ServiceRecord, UnitRegistration
from .services import quarter_bounds


@dataclass
class MemberRow:
    member: MemberRegistration
    records: list[ServiceRecord] = field(default_factory=list)
    assessment: Assessment | None = None

    @property
    def hours(self) -> Decimal:
        return sum((r.hours for r in self.records), Decimal(0))

    @property
    def stars(self) -> str:
        rated = [r.rating for r in self.records if r.rating]
        return f"{sum(rated) / len(rated):.1f}" if rated else "—"


def unit_quarter(registration: UnitRegistration, year: int, quarter: int) -> dict:
    """Everything the report shows, in four queries whatever the number of members."""
    first, last = quarter_bounds(year, quarter)
    members = list(selectors.unit_members(registration))
    rows = {m.pk: MemberRow(m) for m in members}
    for record in selectors.records_between(members, first, last):
        rows[record.member_id].records.append(record)
    found = selectors.assessments_for(year, quarter, units=[registration], members=members)
    for row in rows.values():
        row.assessment = found.get(("member", row.member.pk))
    return {"unit": registration, "year": year, "quarter": quarter, "first": first, "last": last,
            "rows": list(rows.values()), "unit_assessment": found.get(("unit", registration.pk)),
            "total_hours": sum((r.hours for r in rows.values()), Decimal(0)),
            "total_services": sum(len(r.records) for r in rows.values()), "made_at": timezone.localtime()}


def unit_report_pdf(registration: UnitRegistration, year: int, quarter: int) -> bytes:
    return render_pdf(render_to_string("participation/unit_report_pdf.html", unit_quarter(registration, year, quarter)))
