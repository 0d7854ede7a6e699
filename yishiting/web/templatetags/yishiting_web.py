from django import template

from yishiting.areas.services import NAME_SEPARATOR
from yishiting.web.forms import demands as demand_forms

register = template.Library()


@register.filter
def below(area, base) -> str:
    """An area's name path under `base` ('幸福苑小区/幸福苑3栋/1单元' under 幸福苑社区); its own name if it is base."""
    prefix = base.full_name + NAME_SEPARATOR
    return area.full_name[len(prefix):] if area.full_name.startswith(prefix) else area.name


@register.filter
def area_label(area) -> str:
    """An area named from its community down ('幸福苑社区/幸福苑小区/幸福苑3栋'), as pickers show it."""
    return demand_forms.area_label(area)


@register.filter
def person_label(person) -> str:
    """张* 138****0001 · 幸福苑3栋1单元101 (masked)."""
    return demand_forms.person_label(person)


@register.filter
def masked(name: str | None) -> str:
    """A person's name as every page shows it: 张*."""
    from yishiting.common.masking import mask_name

    return mask_name(name)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (show-of-hands counts by option)."""
    return (mapping or {}).get(key)


@register.simple_tag(takes_context=True)
def form_guard(context, owner: bool = True) -> str:
    """Hidden fields of a form that creates something: its idempotency key and (for a form that keeps drafts)
    who rendered it, signed (web.guard). partials/form_fields.html draws the key only: it may serve a GET form."""
    from yishiting.web.guard import guard_fields

    return guard_fields(context.get("request"), owner=owner)


@register.simple_tag(takes_context=True)
def autosave_key(context, form_name: str) -> str:
    """The browser-side draft's name for this form and this account (a keyed hash, not the account's id)."""
    from django.utils.crypto import salted_hmac

    user = getattr(context.get("request"), "user", None)
    owner = str(user.pk) if user is not None and user.is_authenticated else "anonymous"
    return f"{form_name}.{salted_hmac('yishiting.web.autosave', owner).hexdigest()[:16]}"
