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
def words(items) -> str:
    """A list in a sentence, with the language's separator (甲、乙 / A, B): common.text.list_words."""
    from yishiting.common.text import list_words

    return list_words(items or [])


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


@register.simple_tag(takes_context=True)
def free_text(context, text, author_user_id=None, obj=None) -> str:
    """Free text others typed, as this viewer may read it: phone and ID numbers masked unless the viewer wrote
    it or may unmask people (docs/masking.md). Use `{% free_text x.text author_user_id=… obj=x as shown %}`
    then `{{ shown|linebreaksbr }}` where line breaks matter."""
    from yishiting.common.masking import free_text_for

    request = context.get("request")
    return free_text_for(getattr(request, "user", None), text, author_user_id=author_user_id, obj=obj)


@register.filter
def public_text(text: str | None) -> str:
    """Free text in a public record (a dossier, a poster): phone and ID numbers always masked."""
    from yishiting.common.masking import mask_free_text

    return mask_free_text(text)


@register.filter
def day(value) -> str:
    """12月8日 (the year only when not this year): the one date format of the site (common/dates.py)."""
    from yishiting.common.dates import page_day

    return page_day(value)


@register.filter
def moment(value) -> str:
    """12月8日 09:00 (the year only when not this year)."""
    from yishiting.common.dates import page_moment

    return page_moment(value)


@register.filter
def full_day(value) -> str:
    """2026年12月8日, for notices, posters and dossiers."""
    from yishiting.common.dates import full_day as full

    return full(value)


@register.filter
def full_moment(value) -> str:
    """2026年12月8日 09:00, for minutes and dossiers."""
    from yishiting.common.dates import full_moment as full

    return full(value)


@register.filter
def speaker(step) -> str:
    """A meeting step's speaker as minutes print them: officials in full, residents masked (docs/masking.md)."""
    from yishiting.deliberation.selectors.meetings import speaker_name

    return speaker_name(step)


@register.filter
def ids(form, prefix: str):
    """The same form with its element ids under `prefix` ("report-%s"; a number n gives "answer-n-%s"): for a
    form shown more than once on a page, or beside another with the same field names (ids must be unique)."""
    import copy

    if form is None:
        return form
    if not isinstance(prefix, str):  # a row's pk: the form's own name before it ("answer-7-%s")
        prefix = f"{type(form).__name__.lower().removesuffix('form')}-{prefix}"
    clone = copy.copy(form)
    clone.auto_id = f"{prefix}-%s"
    clone._bound_fields_cache = {}
    return clone
