from django import template

from yishiting.areas.services import NAME_SEPARATOR

register = template.Library()


@register.filter
def below(area, base) -> str:
    """An area's name path under `base` ('幸福苑小区/幸福苑3栋/1单元' under 幸福苑社区); its own name if it is base."""
    prefix = base.full_name + NAME_SEPARATOR
    return area.full_name[len(prefix):] if area.full_name.startswith(prefix) else area.name
