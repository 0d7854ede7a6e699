"""Writes of 微心愿. Each service is one transaction; status changes go through common.transitions
(WISH_TRANSITIONS) and append an event. Fulfilment appends `wishes.wish_fulfilled` (the participation contract,
docs/wishes.md): earners are the donor when the donor is a person, nobody when a unit gave."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import PATH_STEP, Area, Organization, Person
from yishiting.areas.selectors import community_depth, person_for_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.masking import mask_free_text
from yishiting.common.rules import has_perm
from yishiting.common.transitions import transition
from yishiting.notifications.services import notify

from .choices import DonorKind, PhotoKind, WishCategory, WishStatus
from .models import Wish, WishPhoto
from .rules import is_claimant, is_party_member, is_wisher, may_claim, represented_organizations
from .selectors import claim_days, overdue_claims
from .transitions import WISH_TRANSITIONS

W = WishStatus
TEXT_MAX, PUBLIC_MAX, REASON_MAX = 300, 200, 200


def _link(wish: Wish) -> str:
    return f"/wishes/{wish.pk}/"


def _text(text: str, limit: int, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("text_required", gettext("请填写内容。"), details={"field": field})
    if len(text) > limit:
        raise DomainError("text_too_long", gettext("内容不能超过 %(limit)s 字。") % {"limit": limit},
                          details={"field": field})
    return text


def _photo(wish: Wish, raw: bytes, kind: str) -> WishPhoto:
    from yishiting.demands.photos import clean_photos, thumbnail_file

    photo = clean_photos([raw])[0]
    return WishPhoto.objects.create(
        wish=wish, kind=kind, content_type=photo.content_type, sha256=photo.sha256,
        image=ContentFile(photo.data, name=f"{photo.sha256[:16]}.{photo.extension}"), thumbnail=thumbnail_file(photo))


def _community_of_path(path: str) -> Area | None:
    return Area.objects.filter(path=path[: community_depth() * PATH_STEP]).first() if path else None


@transaction.atomic
def wish_post(*, actor, category: str, text: str, photo: bytes | None = None, community: Area | None = None,
              beneficiary_note: str = "", beneficiary: Person | None = None) -> Wish:
    """A new wish, 待审核. A resident posts their own (in their community); staff post on behalf of an elderly
    person or a child in a community of their subtree (`community`), noting who it is for (staff only) — or for
    a resident picked by name (`beneficiary`, an elder without a phone): the wish is that resident's (it shows
    on their own page), posted by the staff member; the event names both."""
    person = person_for_user(actor)
    if person is None:
        raise PermissionDeniedError(gettext("请先登记住户或所在社区后再发布心愿。"))
    if category not in WishCategory.values:
        raise DomainError("invalid_choice", gettext("请选择心愿类别。"), details={"field": "category"})
    if beneficiary is not None and beneficiary.pk == person.pk:
        beneficiary = None  # staff picking themselves post their own wish
    if beneficiary is not None:
        community = _community_of_path(beneficiary.path)
        if community is None or not has_perm(actor, "wishes.post_for", beneficiary):
            raise PermissionDeniedError(gettext("只能为本辖区登记的居民代发心愿。"))
    on_behalf = community is not None
    if on_behalf:
        if beneficiary is None and (community.depth != community_depth()
                                    or not has_perm(actor, "wishes.post_for", community)):
            raise PermissionDeniedError(gettext("只能为辖区内的社区代发心愿。"))
        note = _text(beneficiary_note, 100, "beneficiary_note") if beneficiary is None else \
            (beneficiary_note or "").strip()[:100]
    else:
        community = _community_of_path(person.path)
        if community is None or not has_perm(actor, "wishes.post", community):
            raise PermissionDeniedError(gettext("请先登记住户或所在社区后再发布心愿。"))
        note = ""
    # The wisher's own place (their unit) when they have one: the grid worker of their estate follows it too.
    wisher = beneficiary if on_behalf else person
    path = wisher.path if wisher is not None and wisher.path.startswith(community.path) else community.path
    wish = Wish.objects.create(
        number=uuid.uuid4().hex[:20], community=community, path=path, wisher=wisher,
        posted_by=person, on_behalf=on_behalf, beneficiary_note=note, category=category,
        original_text=_text(text, TEXT_MAX))
    wish.number = f"XY{timezone.localdate():%Y}-{wish.pk:06d}"
    wish.save(update_fields=["number"])
    if photo:
        _photo(wish, photo, PhotoKind.POSTED)
    payload = {"community": community.pk, "category": category, "on_behalf": on_behalf}
    if beneficiary is not None:
        payload.update({"for_person": beneficiary.pk, "by_person": person.pk})
    event_append(subject=wish, kind="wish.posted", actor=actor, new_subject=True, payload=payload)
    if beneficiary is not None:
        notify(person=beneficiary, link=_link(wish), subject=wish, sms=False,
               text=gettext("社区工作人员已为您代发微心愿，审核后将在心愿墙上公开。"))
    return wish


def _reviewer(actor, wish: Wish):
    if not has_perm(actor, "wishes.review", wish):
        raise PermissionDeniedError(gettext("只有社区工作人员可以审核心愿。"))
    return person_for_user(actor)


@transaction.atomic
def wish_approve(*, actor, wish: Wish, public_text: str, no_money: bool, no_personal_data: bool) -> Wish:
    """待审核 → 待认领: staff tick the checklist (no money asked; no name, phone, address or other personal
    data in the public text) and settle the public text, possibly edited; the original stays as posted."""
    reviewer = _reviewer(actor, wish)
    if not (no_money and no_personal_data):
        raise DomainError("checklist", gettext("请逐项核对：不涉及现金，公开内容不含姓名、电话、住址等个人信息。"),
                          details={"field": "no_money" if not no_money else "no_personal_data"})
    names = [p.name for p in (wish.wisher, wish.posted_by) if p is not None]
    public = mask_free_text(_text(public_text, PUBLIC_MAX, "public_text"), names=names)
    done = transition(wish, to=W.OPEN, actor=actor, table=WISH_TRANSITIONS, expected=W.PENDING,
                      kind="wish.approved", payload={"edited": public != wish.original_text.strip()},
                      changes={"public_text": public, "reviewed_by": reviewer, "reviewed_at": timezone.now()})
    notify(person=done.posted_by, link=_link(done), subject=done, sms=False,
           text=gettext("您的微心愿已通过审核，已在心愿墙上公开。"))
    return done


@transaction.atomic
def wish_reject(*, actor, wish: Wish, reason: str) -> Wish:
    """待审核 → 未通过, with the reason the poster is told."""
    reviewer = _reviewer(actor, wish)
    reason = _text(reason, REASON_MAX, "reason")
    done = transition(wish, to=W.REJECTED, actor=actor, table=WISH_TRANSITIONS, expected=W.PENDING,
                      kind="wish.rejected", payload={"reason": reason},
                      changes={"reject_reason": reason, "reviewed_by": reviewer, "reviewed_at": timezone.now()})
    notify(person=done.posted_by, link=_link(done), subject=done, sms=False,
           text=gettext("您的微心愿未通过审核：%(reason)s") % {"reason": reason})
    return done


@transaction.atomic
def wish_claim(*, actor, wish: Wish, organization: Organization | None = None) -> Wish:
    """待认领 → 已认领: one donor — a unit (through its 单位代表), a party member or a resident. Two donors at
    once: the row lock lets one in, the other is told it is taken (409 already_claimed). The donor has
    WISH_CLAIM_DAYS to fulfil it."""
    person = person_for_user(actor)
    if person is None or not may_claim(actor, wish):
        if wish.status != W.OPEN:
            raise _taken()
        raise PermissionDeniedError(gettext("您不能认领这个心愿。"))
    if organization is not None and organization.pk not in {o.pk for o in represented_organizations(actor)}:
        raise PermissionDeniedError(gettext("您不是该单位的代表，不能以单位名义认领。"))
    kind = DonorKind.UNIT if organization else DonorKind.PARTY_MEMBER if is_party_member(actor) else DonorKind.RESIDENT
    try:
        done = transition(wish, to=W.CLAIMED, actor=actor, table=WISH_TRANSITIONS, expected=W.OPEN,
                          kind="wish.claimed", payload={"donor_kind": kind, "organization": getattr(organization, "pk", None)},
                          changes={"donor_kind": kind, "donor_person": person, "donor_organization": organization,
                                   "claimed_at": timezone.now(),
                                   "claim_due_on": timezone.localdate() + timedelta(days=claim_days())})
    except DomainError as exc:
        if exc.code == "stale_state":
            raise _taken() from None
        raise
    notify(person=done.posted_by, link=_link(done), subject=done, sms=False,
           text=gettext("您的微心愿已有人认领，请留意社区的联系。"))
    return done


def _taken() -> Conflict:
    return Conflict("already_claimed", gettext("这个心愿已被他人认领。"))


@transaction.atomic
def wish_release(*, actor, wish: Wish, reason: str = "") -> Wish:
    """已认领 → 待认领: the claimant gives it back, or staff free it; it is open to other donors again."""
    if not (is_claimant(actor, wish) or has_perm(actor, "wishes.manage", wish)):
        raise PermissionDeniedError(gettext("只有认领人或社区工作人员可以取消认领。"))
    return _release(wish, actor=actor, reason=reason or "released")


def _release(wish: Wish, *, actor, reason: str) -> Wish:
    return transition(wish, to=W.OPEN, actor=actor, table=WISH_TRANSITIONS, expected=W.CLAIMED,
                      kind="wish.released", payload={"reason": reason},
                      changes={"donor_kind": "", "donor_person": None, "donor_organization": None,
                               "claimed_at": None, "claim_due_on": None})


@transaction.atomic
def wish_fulfil(*, actor, wish: Wish, photo: bytes, note: str = "") -> Wish:
    """已认领 → 已实现, with a photo of the handover; appends `wishes.wish_fulfilled` whose earners are the
    donor person (none for a unit). The wisher (or the staff who posted it) is asked for their thanks."""
    if not (is_claimant(actor, wish) or has_perm(actor, "wishes.manage", wish)):
        raise PermissionDeniedError(gettext("只有认领人或社区工作人员可以登记心愿实现。"))
    if not photo:
        raise DomainError("photo_required", gettext("请上传心愿实现的照片。"), details={"field": "photo"})
    earners = [] if wish.donor_organization_id else [{"person": wish.donor_person_id}]
    done = transition(wish, to=W.FULFILLED, actor=actor, table=WISH_TRANSITIONS, expected=W.CLAIMED,
                      kind="wishes.wish_fulfilled", payload={"area": wish.community_id, "earners": earners},
                      changes={"fulfilled_at": timezone.now(), "fulfil_note": (note or "").strip()[:200]})
    _photo(done, photo, PhotoKind.FULFILLED)
    notify(person=done.posted_by, link=_link(done), subject=done,
           text=gettext("您的微心愿已实现，欢迎写下感谢的话。"))
    return done


@transaction.atomic
def wish_thank(*, actor, wish: Wish, text: str) -> Wish:
    """The wisher's thanks on a fulfilled wish (staff write it for someone they posted for). Once."""
    if not is_wisher(actor, wish):
        raise PermissionDeniedError(gettext("只有心愿人可以致谢。"))
    locked = Wish.objects.select_for_update().get(pk=wish.pk)
    if locked.status != W.FULFILLED or locked.thanks:
        raise Conflict("not_thankable", gettext("只能对已实现的心愿致谢一次。"))
    locked.thanks = _text(text, 200)
    locked.save(update_fields=["thanks"])
    event_append(subject=locked, kind="wish.thanked", actor=actor, payload={})
    if locked.donor_person_id:
        notify(person=locked.donor_person, link=_link(locked), subject=locked, sms=False,
               text=gettext("心愿人向您致谢：%(text)s") % {"text": locked.thanks})
    return locked


@transaction.atomic
def wish_withdraw(*, actor, wish: Wish) -> Wish:
    """待审核 / 待认领 / 已认领 → 已撤回: the wisher no longer needs it, or staff take it down."""
    if not (is_wisher(actor, wish) or has_perm(actor, "wishes.manage", wish)):
        raise PermissionDeniedError(gettext("只有心愿人或社区工作人员可以撤回心愿。"))
    return transition(wish, to=W.WITHDRAWN, actor=actor, table=WISH_TRANSITIONS, expected=wish.status,
                      kind="wish.withdrawn")


def wishes_tick(today: date) -> tuple[str, set[str]]:
    """Release every claim whose fulfilment deadline has passed (idempotent: a released wish is 待认领)."""
    released = 0
    for wish in overdue_claims(today).select_related("donor_person"):
        with transaction.atomic():
            donor = wish.donor_person
            try:
                _release(wish, actor=None, reason="deadline")
            except DomainError:
                continue
            notify(person=donor, link=_link(wish), subject=wish, sms=False,
                   text=gettext("您认领的微心愿未在期限内实现，已重新开放认领。"))
            released += 1
    return f"逾期未实现的微心愿认领已释放 {released} 个。", set()  # zh-only: the command prints Chinese
