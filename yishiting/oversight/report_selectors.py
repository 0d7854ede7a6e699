"""Reading the kept monthly reports: a viewer sees those of the areas in their subtree. (Named apart from
`selectors.py`, which holds the roll-up selectors.)"""

from __future__ import annotations

from django.db.models import QuerySet

from yishiting.areas.models import Area
from yishiting.common.rules import scope_for

from .models import MonthlyReport
from .services import report_areas

PERM = "oversight.view_overview"


def reports_visible_to(user) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(scope_for(user, PERM).q("path")).select_related("area", "generated_by")


def report_areas_for(user) -> QuerySet[Area]:
    """The streets and districts in the viewer's subtree: the areas a monthly report is made for."""
    return report_areas().filter(scope_for(user, PERM).q("path"))
