"""Topics (议题): proposing one, its status through the loop, analysis and attachments, and the residents'
opinions and stances gathered before the meeting (征求意见)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yishiting.areas.models import Area, Person
from yishiting.areas.selectors import person_for_user
from yishiting.common.dates import moment_text
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_free_text
from yishiting.common.reconcile import text_digest
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.demands.photos import clean_photo

from ..choices import OpinionChannel, Stance, TopicSource, TopicStatus
from ..models import Opinion, ProcessTemplate, Topic, TopicAttachment
from ..selectors.templates import default_template, template_choice  # noqa: F401  (default_template: re-exported)
from ..transitions import TRANSITIONS
from . import locality

MAX_TITLE = 200
MAX_OPINION = 1000
MAX_ATTACHMENT = 20 * 1024 * 1024
ATTACHMENT_SIDE = 3200  # an attached scan stays legible
# Opinions are taken while the topic is being prepared; the meeting's own record takes over after that.
OPINION_STATES = {TopicStatus.OPEN, TopicStatus.ANALYSING}
# What an attachment may be, told by its first bytes (never by its name).
SIGNATURES = [(b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
              (b"PK\x03\x04", "application/zip")]  # DOCX and XLSX are zip files


def _require_manage(actor, obj) -> None:
    if not has_perm(actor, "deliberation.manage", obj):
        raise PermissionDeniedError(_("只有本级或上级的社区两委、街道和区级干部可以办理议题。"))


def _clean_title(title: str) -> str:
    """The title as every page, list, SMS, notice and dossier shows it: a phone or ID number typed into it is
    masked once, here, for every reader (a title is the matter's public name; docs/masking.md)."""
    title = (title or "").strip()
    if not title:
        raise DomainError("required", _("请填写议题标题。"), details={"field": "title"})
    if len(title) > MAX_TITLE:
        raise DomainError("too_long", _("议题标题不能超过 %(MAX_TITLE)s 字。") % {"MAX_TITLE": MAX_TITLE}, details={"field": "title"})
    return mask_free_text(title)


def _check_scope(level_area: Area, scope_area: Area | None) -> None:
    if scope_area is not None and not scope_area.path.startswith(level_area.path):
        raise DomainError("invalid_scope", _("议题的涉及范围须在其层级区域之内。"), details={"field": "scope_area"})


@transaction.atomic
def topic_propose(*, actor, title: str, description: str, level_area: Area, scope_area: Area | None = None,
                  template: ProcessTemplate | None = None, proposer: Person | None = None,
                  proposal_signed: bool = False, opinions_close_at: datetime | None = None) -> Topic:
    """A topic proposed directly (中心户提议, a council member's written and signed proposal): status `open`,
    event topic.proposed. The template is the level area's (selectors.templates.template_for_area), and its
    locality rules apply (services.locality: who may propose, whether topics may be proposed at all). A proposal by someone else than the recorder must be marked as signed."""
    _require_manage(actor, level_area)
    _check_scope(level_area, scope_area)
    template = area_template(level_area, template)
    if proposer is not None and not proposal_signed and getattr(proposer, "user_id", None) != actor.pk:
        raise DomainError("proposal_unsigned", _("代他人登记的提议须有本人签名的书面提议，请确认后勾选“书面提议已签名”。"),
                          details={"field": "proposal_signed"})
    locality.require_direct_allowed(template)
    locality.require_proposer(template, level_area, proposer or person_for_user(actor))
    topic = Topic.objects.create(
        title=_clean_title(title), description=(description or "").strip(), source=TopicSource.PROPOSAL,
        level_area=level_area, path=level_area.path, scope_area=scope_area,
        scope_area_path=scope_area.path if scope_area else "", template=template, proposer=proposer,
        proposal_signed=proposal_signed, opinions_close_at=opinions_close_at, created_by=actor)
    event_append(subject=topic, kind="topic.proposed", actor=actor, new_subject=True, payload={
        "title": topic.title, "level": level_area.code, "scope": scope_area.code if scope_area else None,
        "template": template.code if template else None, "signed": proposal_signed})
    return topic


def topic_for_demand(*, actor, title: str, description: str, level_area: Area, proposer: Person | None,
                     template: ProcessTemplate | None = None) -> Topic:
    """A new topic formed by screening a demand (its caller holds the transaction): event topic.formed. Under
    the level area's template (an explicit `template` must be that one: staff do not choose), whose proposer rule
    applies to the demand's reporter."""
    template = area_template(level_area, template)
    locality.require_proposer(template, level_area, proposer)
    topic = Topic.objects.create(title=_clean_title(title), description=description, level_area=level_area,
                                 path=level_area.path, source=TopicSource.DEMANDS, proposer=proposer,
                                 template=template, created_by=actor)
    event_append(subject=topic, kind="topic.formed", actor=actor, new_subject=True,
                 payload={"title": topic.title, "level": level_area.code,
                          "template": topic.template.code if topic.template_id else None})
    return topic


def topic_demand_add(*, actor, topic: Topic, number: str) -> Topic:
    """A demand (by its number) joins the topic (its caller, screening, holds the transaction and sets
    demand.topic): event topic.demand_added, and the topic's stored demand count goes up by one (an UPDATE …
    SET n = n + 1, right under concurrent screenings)."""
    event_append(subject=topic, kind="topic.demand_added", actor=actor, payload={"demand": number})
    Topic.objects.filter(pk=topic.pk).update(demand_count=F("demand_count") + 1)
    topic.demand_count += 1
    return topic


def area_template(level_area: Area, template: ProcessTemplate | None = None) -> ProcessTemplate | None:
    """The template a topic at `level_area` runs under: the area's (inherited down the tree). Staff do not
    choose; a caller naming another one is told where the area's comes from (an admin changes a topic's
    template afterwards, with a reason: services.assignments.topic_template_change)."""
    choice = template_choice(level_area)
    if template is not None and template.pk != getattr(choice.template, "pk", None):
        where = (_("由%(area)s设置") % {"area": choice.source.name}) if choice.source is not None else _("全区默认")
        raise DomainError("template_by_area", _("%(area)s适用的议事规则模板是“%(name)s”（%(where)s），不能另选；"
                                                "如需更换，请系统管理员在议题上更换并说明理由。") % {
            "area": level_area.name, "name": choice.template.name if choice.template else "", "where": where},
            details={"field": "template"})
    return choice.template


def topic_transition(*, actor, topic: Topic, to: str, reason: str = "", kind: str | None = None,
                     payload: dict | None = None) -> Topic:
    """Move a topic along docs/states/topic.md (row locked; a concurrent move of the same topic gets 409).
    Dropping a topic needs a reason."""
    if to == TopicStatus.DROPPED and not reason.strip():
        raise DomainError("reason_required", _("不再推进的议题须说明理由。"), details={"field": "reason"})
    return transition(topic, to=to, actor=actor, table=TRANSITIONS, kind=kind or f"topic.{to}",
                      payload={**({"reason": reason.strip()} if reason.strip() else {}), **(payload or {})})


@transaction.atomic
def topic_analyse(*, actor, topic: Topic, analysis: str, draft_plan: str = "") -> Topic:
    """Record the 分析研判 (feasibility) and the draft plan; an `open` topic moves to `analysing`.
    Event topic.analysed (plus the status event when it moves)."""
    _require_manage(actor, topic)
    if not (analysis or "").strip():
        raise DomainError("required", _("请填写分析研判意见。"), details={"field": "analysis"})
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.status not in (TopicStatus.OPEN, TopicStatus.ANALYSING, TopicStatus.SCHEDULED):
        raise Conflict("invalid_state", _("议题已%(status)s，不能再修改分析研判。") % {"status": locked.get_status_display()})
    locked.analysis, locked.draft_plan = analysis.strip(), (draft_plan or "").strip()
    locked.save(update_fields=["analysis", "draft_plan"])
    event_append(subject=locked, kind="topic.analysed", actor=actor,
                 payload={"analysis": locked.analysis[:500], "draft_plan": locked.draft_plan[:500]})
    if locked.status == TopicStatus.OPEN:
        topic_transition(actor=actor, topic=locked, to=TopicStatus.ANALYSING)
    return locked


def _sniff(data: bytes) -> str:
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    raise DomainError("invalid_file", _("附件只能是 PDF、JPEG、PNG 图片或 Word/Excel 文件。"), details={"field": "file"})


def _clean_image(data: bytes) -> bytes:
    """A photo or scan, re-encoded as demand photos are (orientation applied, EXIF and its location dropped), kept
    legible at up to ATTACHMENT_SIDE px; the recorded SHA-256 is of this stored copy."""
    try:
        return clean_photo(data, max_side=ATTACHMENT_SIDE, max_bytes=MAX_ATTACHMENT).data
    except DomainError:
        raise DomainError("invalid_file", _("附件图片无法识别或像素过大，请换一张。"), details={"field": "file"}) from None


@transaction.atomic
def topic_attach(*, actor, topic: Topic, name: str, data: bytes) -> TopicAttachment:
    """Attach a file (checked by content, ≤ 20 MB; an image re-encoded without EXIF) to a topic's analysis; event
    topic.attached with the stored copy's SHA-256."""
    _require_manage(actor, topic)
    if not data:
        raise DomainError("required", _("附件为空。"), details={"field": "file"})
    if len(data) > MAX_ATTACHMENT:
        raise DomainError("too_large", _("附件不能超过 20 MB。"), details={"field": "file"}, status=413)
    content_type = _sniff(data)
    if content_type in {"image/jpeg", "image/png"}:
        data = _clean_image(data)
    digest = hashlib.sha256(data).hexdigest()
    name = (name or gettext_noop("附件")).strip().replace("/", "_")[:200]
    attachment = TopicAttachment.objects.create(topic=topic, name=name, content_type=content_type, size=len(data),
                                                sha256=digest, uploaded_by=actor,
                                                file=ContentFile(data, name=f"{digest[:16]}-{name}"[:100]))
    event_append(subject=topic, kind="topic.attached", actor=actor,  # what `verify` reconciles the row with
                 payload={"attachment": attachment.pk, "name": name, "sha256": digest, "size": len(data)})
    return attachment


# ---- opinions (征求意见) ----

def lives_in(person: Person, path: str) -> bool:
    """Does the person live (household) or belong (registered area) within `path`?"""
    own = person.household.path if person.household_id else (person.area.path if person.area_id else "")
    return bool(own) and own.startswith(path)


def _check_opinion_open(topic: Topic) -> None:
    if topic.status not in OPINION_STATES:
        raise Conflict("opinions_closed", _("议题已%(status)s，征求意见已结束。") % {"status": topic.get_status_display()})
    if topic.opinions_close_at and timezone.now() >= topic.opinions_close_at:
        raise Conflict("opinions_closed", _("征求意见已于 %(opinions_close_at)s 截止。") % {"opinions_close_at": moment_text(topic.opinions_close_at)})


def _clean_opinion(stance: str, text: str) -> str:
    if stance not in Stance.values:
        raise DomainError("invalid_choice", _("请选择支持、反对或其他意见。"), details={"field": "stance"})
    text = (text or "").strip()
    if len(text) > MAX_OPINION:
        raise DomainError("too_long", _("意见不能超过 %(MAX_OPINION)s 字。") % {"MAX_OPINION": MAX_OPINION}, details={"field": "text"})
    if stance == Stance.OTHER and not text:
        raise DomainError("required", _("选择“其他意见”时请写明您的意见。"), details={"field": "text"})
    return text


def _save_opinion(actor, topic: Topic, person: Person, stance: str, text: str, channel: str) -> Opinion:
    """Insert or change the person's one opinion under the topic's row lock (so a close cannot slip between)."""
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    _check_opinion_open(locked)
    text = _clean_opinion(stance, text)
    opinion = Opinion.objects.filter(topic=locked, person=person).first()
    changed = opinion is not None
    if opinion is None:
        try:
            with transaction.atomic():
                opinion = Opinion.objects.create(topic=locked, person=person, stance=stance, text=text,
                                                 channel=channel, entered_by=actor)
        except IntegrityError:  # the same person's other tab, a moment earlier: change that one instead
            opinion, changed = Opinion.objects.get(topic=locked, person=person), True
    if changed:
        opinion.stance, opinion.text, opinion.channel, opinion.entered_by = stance, text, channel, actor
        opinion.save(update_fields=["stance", "text", "channel", "entered_by", "updated_at"])
    event_append(subject=locked, kind="opinion.changed" if changed else "opinion.given", actor=actor,
                 payload={"opinion": opinion.pk, "stance": stance, "channel": channel,
                          "person": person.pk, "text_sha256": text_digest(text)})  # what `verify` reconciles
    return opinion


@transaction.atomic
def opinion_give(*, actor, topic: Topic, stance: str, text: str = "") -> Opinion:
    """A resident in the topic's scope gives (or changes) their one opinion and stance online."""
    person = person_for_user(actor)
    if person is None or not has_perm(actor, "deliberation.opine", topic) or not lives_in(person, topic.opinion_path):
        raise PermissionDeniedError(_("只有议题涉及范围内的居民可以发表意见。"))
    return _save_opinion(actor, topic, person, stance, text, OpinionChannel.ONLINE)


@transaction.atomic
def opinion_enter(*, actor, topic: Topic, person: Person, stance: str, text: str = "") -> Opinion:
    """A worker records a resident's opinion taken door to door (入户征求); the resident must live in scope."""
    if not has_perm(actor, "deliberation.enter_opinion", person):  # the worker covers where the resident lives
        raise PermissionDeniedError(_("只有该居民所在辖区的网格员、楼栋长和社区工作人员可以代录入户意见。"))
    if not lives_in(person, topic.opinion_path):
        raise DomainError("out_of_scope", _("该居民不在议题涉及范围内。"), details={"field": "person"})
    return _save_opinion(actor, topic, person, stance, text, OpinionChannel.DOOR)
