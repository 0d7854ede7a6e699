"""The demo district's templates per area (issue 20): its streets and communities run different localities'
templates, the way a district lets each street keep its own practice. The residents' own community (幸福社区)
keeps the district's default (垦利“345”), so the README's walk-through is unchanged."""

from __future__ import annotations

from yishiting.areas.models import Area
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.services.assignments import template_assign

from .cast import Cast

# (which street among the others, template, reason); the first community of the second one runs Yangzhou's.
STREETS = [(0, "nanchang-round-table", "街道推行幸福圆桌会"), (1, "cenxi-linli", "街道推行邻里议事会"),
           (2, "altay-qiaxiu", "街道推行恰秀民意直通车")]


def demo_templates_assign(cast: Cast) -> int:
    """Set the templates after the history is written (topics already formed keep theirs); returns how many."""
    admin, templates = cast.user("admin"), {t.code: t for t in ProcessTemplate.objects.filter(is_active=True)}
    streets = list(Area.objects.filter(parent=cast.street.parent_id).exclude(pk=cast.street.pk).order_by("path"))
    done = 0
    for index, code, reason in STREETS:
        if index < len(streets) and code in templates:
            template_assign(actor=admin, area=streets[index], template=templates[code], reason=reason)
            done += 1
    if len(streets) > 1 and "yangzhou-5yi" in templates:
        first = Area.objects.filter(parent=streets[1]).order_by("path").first()
        if first is not None:  # a community that keeps its own practice inside a 邻里议事会 street
            template_assign(actor=admin, area=first, template=templates["yangzhou-5yi"], reason="社区沿用五议工作法")
            done += 1
    neighbour = Area.objects.filter(parent=cast.street).exclude(pk=cast.community.pk).order_by("path").first()
    if neighbour is not None and "shuangyashan-5fang" in templates:  # next door to the residents' community
        template_assign(actor=admin, area=neighbour, template=templates["shuangyashan-5fang"], reason="五方共议试点")
        done += 1
    return done
