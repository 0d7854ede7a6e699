"""Reads of the archive (备): the dossiers a user may see, one search for the API and the page, and the proof
that each stored dossier is still what was sealed (`yishiting verify`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from yishiting.common.models import Event
from yishiting.common.rules import scope_for

from ..dossier import content_hash
from ..models import Dossier
from ..rules import HANDLING_VIEW


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """Dossiers whose place is within the user's view scope (residents: their community's), newest first.
    The list never loads `content` (it can be large); the detail reads it."""
    scope = scope_for(user, HANDLING_VIEW.name)
    return (Dossier.objects.filter(scope.q("path")).select_related("area", "archived_by")
            .defer("content", "search_text").order_by("-archived_at", "-pk"))


@dataclass(frozen=True)
class DossierFilter:
    text: str = ""
    area_path: str = ""
    category: str = ""
    year: int | None = None


def dossier_search(queryset: QuerySet[Dossier], f: DossierFilter) -> QuerySet[Dossier]:
    """Words (anywhere in the number, title or record), an area's subtree, a category, a year."""
    if f.text.strip():
        for word in f.text.split()[:5]:
            queryset = queryset.filter(Q(number__icontains=word) | Q(search_text__icontains=word))
    if f.area_path:
        queryset = queryset.filter(path__startswith=f.area_path)
    if f.category:
        queryset = queryset.filter(category=f.category)
    if f.year:
        queryset = queryset.filter(year=f.year)
    return queryset


def dossier_facets(queryset: QuerySet[Dossier]) -> tuple[list[str], list[int]]:
    """The categories and years present, for the filter menus."""
    categories = sorted(set(queryset.exclude(category="").values_list("category", flat=True)))
    years = sorted(set(queryset.values_list("year", flat=True)), reverse=True)
    return categories, years


def _subject(dossier: Dossier) -> tuple[str, str]:
    if dossier.mediation_id:  # a mediation case (mediation.services.closing.case_archive)
        return "mediation.mediationcase", str(dossier.mediation_id)
    return ("deliberation.topic", str(dossier.topic_id)) if dossier.topic_id else ("handling.task", str(dossier.task_id))


def _dossier_problems(dossier: Dossier) -> list[str]:
    problems = []
    if content_hash(dossier.content) != dossier.content_sha256:
        problems.append(_("档案内容与归档时的哈希不符（内容被修改）"))
    if dossier.content.get("number") != dossier.number or dossier.content.get("chain_head") != dossier.chain_head:
        problems.append(_("档案号或事件链哈希与档案内容不符"))
    subject_type, subject_id = _subject(dossier)
    if not Event.objects.filter(subject_type=subject_type, subject_id=subject_id, hash=dossier.chain_head).exists():
        problems.append(_("归档时的事件链哈希已不在该事项的事件链中（事件被修改或删除）"))
    return problems


def verify_dossiers(batch: int = 200) -> Iterator[tuple[Dossier, list[str]]]:
    """Yield (dossier, problems) for each dossier that does not verify: its content hash is recomputed and its
    chain head must still be an event of the matter's chain (which `verify_chains` proves in turn)."""
    for dossier in Dossier.objects.order_by("pk").iterator(chunk_size=batch):
        if problems := _dossier_problems(dossier):
            yield dossier, problems


def archive_preview(topic) -> list[str]:
    """What archiving a topic will seal, counted for the confirm page: "诉求 2 件"… (a few queries)."""
    from ..dossier import matter_of_topic

    matter = matter_of_topic(topic)
    count = lambda subject: len(matter.subjects.get(subject, ()))  # noqa: E731
    rows = [(len(matter.demands), ngettext_lazy("诉求 %(n)s 件", "诉求 %(n)s 件", "n")),
            (len(matter.meetings), ngettext_lazy("会议 %(n)s 次", "会议 %(n)s 次", "n")),
            (count("deliberation.vote"), ngettext_lazy("表决 %(n)s 次", "表决 %(n)s 次", "n")),
            (count("handling.notice"), ngettext_lazy("公示 %(n)s 次", "公示 %(n)s 次", "n")),
            (count("handling.objection"), ngettext_lazy("异议 %(n)s 条", "异议 %(n)s 条", "n")),
            (count("handling.legalreview"), ngettext_lazy("合法性审核 %(n)s 次", "合法性审核 %(n)s 次", "n")),
            (count("handling.task"), ngettext_lazy("办理任务 %(n)s 项", "办理任务 %(n)s 项", "n")),
            (count("handling.evaluationround"), ngettext_lazy("评价 %(n)s 轮", "评价 %(n)s 轮", "n"))]
    return [str(phrase % {"n": n}) for n, phrase in rows if n]
