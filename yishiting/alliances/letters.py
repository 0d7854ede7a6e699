"""The result letter of a member unit's year-end rating: a PDF (WeasyPrint, CJK fonts embedded, offline)
addressed to the unit's superior party organisation, produced only for a rating the assembly adopted."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.common.documents import render_pdf
from yishiting.common.errors import Conflict, DomainError
from yishiting.common.events import event_append

from .choices import RatingStatus, VersionStatus
from .models import UnitRating


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"  # zh-only: a letter in Chinese


def letter_context(rating: UnitRating) -> dict:
    if rating.status != RatingStatus.ADOPTED or rating.vote is None:
        raise Conflict("rating_not_adopted", gettext("等次经大会评定后才能出具结果函。"))
    member = rating.member
    addressee = member.superior_name
    if not addressee:
        raise DomainError("superior_missing", gettext("该单位的上级党组织未登记，请先在成员信息中填写。"),
                          details={"field": "superior"})
    alliance = rating.alliance
    covenant = alliance.versions.filter(status=VersionStatus.ADOPTED).first()
    unit = member.organization.name
    return {"title": f"关于{unit}{rating.year}年度党建联盟评定结果的函",  # zh-only: the letter is Chinese
            "number": f"{alliance.name}〔{rating.year}〕{rating.pk}号", "addressee": addressee, "unit": unit,
            "alliance": alliance, "rating": rating, "vote": rating.vote, "covenant": covenant.title if covenant else "盟约",
            "adopted_on": _day(timezone.localtime(rating.vote.closed_at).date() if rating.vote.closed_at else None),
            "admitted_on": _day(member.admitted_on), "today": _day(timezone.localdate())}


def letter_pdf(*, actor, rating: UnitRating) -> bytes:
    """The letter as PDF bytes; each issue is an event on the rating (unit_rating.letter_issued)."""
    pdf = render_pdf(render_to_string("alliances/letter_pdf.html", letter_context(rating)))
    event_append(subject=rating, kind="unit_rating.letter_issued", actor=actor,
                 payload={"addressee": rating.member.superior_name})
    return pdf
