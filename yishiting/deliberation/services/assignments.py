"""Which template an area runs (模板按区域适用): set or cleared by an admin, and a topic's template changed by an
admin with a reason. Every change is an event on the template's (or the topic's) chain."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from yishiting.areas.models import Area
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm

from ..models import ProcessTemplate, TemplateAssignment, Topic
from ..transitions import MERGEABLE

MAX_REASON = 200


def _require_admin(actor, obj=None) -> None:
    if not (getattr(actor, "is_superuser", False) or has_perm(actor, "deliberation.templates", obj)):
        raise PermissionDeniedError(_("只有系统管理员可以设置区域适用的议事规则模板。"))


def _clean_reason(reason: str, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError("reason_required", _("请说明理由。"), details={"field": "reason"})
    if len(reason) > MAX_REASON:
        raise DomainError("too_long", _("理由不能超过 %(n)s 字。") % {"n": MAX_REASON}, details={"field": "reason"})
    return reason


@transaction.atomic
def template_assign(*, actor, area: Area, template: ProcessTemplate, reason: str = "") -> TemplateAssignment:
    """The area (and its subtree, where no nearer area has its own) runs `template` from now on; topics already
    open keep theirs. Event template.assigned on the template (template.unassigned on the one it replaces).
    Idempotent: assigning the template an area already has changes nothing."""
    _require_admin(actor, area)
    if not template.is_active:
        raise DomainError("invalid_template", _("该议事规则模板已停用。"), details={"field": "template"})
    reason = _clean_reason(reason, required=False)
    Area.objects.select_for_update().filter(pk=area.pk).first()  # two admins at once: one after the other
    current = TemplateAssignment.objects.select_related("template").filter(area=area).first()
    if current is not None and current.template_id == template.pk:
        return current
    if current is not None:
        event_append(subject=current.template, kind="template.unassigned", actor=actor,
                     payload={"area": area.code, "area_name": area.name, "replaced_by": template.code})
        current.template, current.reason, current.assigned_by = template, reason, actor
        current.save(update_fields=["template", "reason", "assigned_by", "assigned_at"])
    else:
        current = TemplateAssignment.objects.create(area=area, template=template, reason=reason, assigned_by=actor)
    event_append(subject=template, kind="template.assigned", actor=actor,
                 payload={"area": area.code, "area_name": area.name, "reason": reason})
    return current


@transaction.atomic
def template_unassign(*, actor, area: Area, reason: str = "") -> None:
    """The area goes back to inheriting from above. Event template.unassigned; clearing nothing is a no-op."""
    _require_admin(actor, area)
    current = TemplateAssignment.objects.select_for_update().select_related("template").filter(area=area).first()
    if current is None:
        return
    event_append(subject=current.template, kind="template.unassigned", actor=actor,
                 payload={"area": area.code, "area_name": area.name, "reason": _clean_reason(reason, False)})
    current.delete()


@transaction.atomic
def topic_template_change(*, actor, topic: Topic, template: ProcessTemplate, reason: str) -> Topic:
    """An admin moves a topic that is still being prepared onto another template (the area's one did not fit
    this matter); staff cannot choose. Event topic.template_changed with the reason."""
    _require_admin(actor, topic)
    reason = _clean_reason(reason, required=True)
    if not template.is_active:
        raise DomainError("invalid_template", _("该议事规则模板已停用。"), details={"field": "template"})
    locked = Topic.objects.select_for_update(of=("self",)).select_related("template").get(pk=topic.pk)
    if locked.status not in MERGEABLE:
        raise Conflict("invalid_state", _("议题已%(status)s，不能再更换议事规则模板。") % {
            "status": locked.get_status_display()})
    if locked.template_id == template.pk:
        return locked
    before = locked.template.code if locked.template_id else None
    locked.template = template
    locked.save(update_fields=["template"])
    event_append(subject=locked, kind="topic.template_changed", actor=actor,
                 payload={"previous": before, "template": template.code, "name": template.name, "reason": reason})
    return locked
