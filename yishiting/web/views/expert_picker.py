"""The expert pool as a source for pickers: `/pick/expert/?name=<field>&field=<code>&level=<1-3>&area=<pk>` (a
radio list for a form — mediation's mediators, a case's experts) and the pool rows of the meeting invitee
picker (filtered by field and level, the matter's own community first, then its street, then the district).
Each row's value is the expert's person id, like every people picker; names are masked."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext

from yishiting.areas.models import Area
from yishiting.areas.pickers import Page, PersonRow
from yishiting.common.masking import mask_name
from yishiting.deliberation.choices import Party
from yishiting.legal.models import Expert
from yishiting.legal.selectors import pool_pick

from ..forms.meetings import Candidate
from .common import parse_pk


def expert_filters(data) -> tuple[str, int | None]:
    """(field code, level) from a request's GET or POST: `expert_field`/`expert_level` (the meeting plan) or
    `field`/`level` (/pick/expert/)."""
    code = str(data.get("expert_field") or data.get("field") or "")[:32]
    level = parse_pk(data.get("expert_level") or data.get("level"))
    return (code if code.replace("_", "").isalnum() else ""), (level if level in (1, 2, 3) else None)


def expert_row(expert: Expert) -> PersonRow:
    fields = "、".join(f.name for f in expert.fields.all())
    role = gettext("%(level)s专家") % {"level": expert.get_level_display()}
    if expert.is_lawyer:
        role += gettext("（云律团）")
    person = expert.person
    return PersonRow(person=person, name=mask_name(person.name), revealed=False, role=None,
                     role_label=f"{role} · {fields}", organization=expert.organization.name if expert.organization_id else expert.title,
                     place=expert.area.name, phone4=person.mobile[-4:] if person.mobile else "")


def experts_page(request: HttpRequest, area: Area | None, data=None) -> Page:
    data = request.GET if data is None else data
    code, level = expert_filters(data)
    term = next((v for k, v in data.items() if k.endswith("_q")), "")
    experts, more = pool_pick(area=area, field_code=code, level=level, term=term)
    return Page(rows=[expert_row(e) for e in experts], more=more, term=term or code or str(level or ""))


def expert_candidates(request: HttpRequest, area: Area, data) -> Page:
    """The meeting plan's invitee picker in pool mode: pool experts as rows to tick, each with the party their
    place in the pool suggests (a lawyer: 法律顾问; anyone else: 专业人士)."""
    code, level = expert_filters(data)
    term = str(data.get("invitee_q", ""))[:50]
    experts, more = pool_pick(area=area, field_code=code, level=level, term=term)
    rows = [Candidate(e.person, expert_row(e).label, Party.LEGAL_ADVISER if e.is_lawyer else Party.PROFESSIONAL,
                      False, True) for e in experts]
    return Page(rows=rows, more=more, term=term or code or str(level or ""))
