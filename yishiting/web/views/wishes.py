"""微心愿 pages: the resident's page (my wishes, wishes to claim, my claims), posting (staff also on behalf of an
elderly person or a child), one wish with the buttons each persona may press (review with the checklist, claim,
release, fulfil with a photo, thank, withdraw), the review queue, and the public wall (no login, masked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.areas.selectors import community_depth, person_for_user
from yishiting.common.dates import page_day
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.wishes import selectors
from yishiting.wishes import services as wishes
from yishiting.wishes.choices import WishStatus
from yishiting.wishes.models import WishPhoto
from yishiting.wishes.rules import is_claimant, is_wisher, may_claim, represented_organizations

from ..forms.demands import read_photos
from ..forms.wishes import (
    ApproveForm,
    ClaimForm,
    FulfilForm,
    ReasonForm,
    ThanksForm,
    WishForm,
    communities_for_post,
)
from ..guard import idempotent
from .common import image_response, paginate, query_pk

PAGES = "web/pages/wishes/"


@login_required
def wishes_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (has_perm(user, "wishes.view") or has_perm(user, "wishes.post")):
        raise PermissionDenied("wishes.view")
    person = person_for_user(user)
    return render(request, PAGES + "home.html", {
        "mine": selectors.wishes_of(person)[:20], "claims": selectors.claims_of(person)[:20],
        "open": paginate(request, selectors.open_wishes_for(user)),
        "may_post": has_perm(user, "wishes.post") or has_perm(user, "wishes.post_for"),
        "may_review": has_perm(user, "wishes.review")})


@login_required
@idempotent
def wish_new(request: HttpRequest) -> HttpResponse:
    if not (has_perm(request.user, "wishes.post") or has_perm(request.user, "wishes.post_for")):
        raise PermissionDenied("wishes.post")
    form = WishForm(request.POST or None, request.FILES or None, communities=communities_for_post(request.user))
    if "wisher" in form.fields:  # staff: the resident it is for, found with the people picker
        form.fields["wisher"].configure(selectors.wisher_pool(request.user))
        form.fields["wisher"].answer_posted_search(request.POST or None, "wisher", request.user, request=request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        photos = read_photos(d["photo"])
        try:
            wish = wishes.wish_post(actor=request.user, category=d["category"], text=d["text"],
                                    photo=photos[0] if photos else None, community=d.get("community"),
                                    beneficiary_note=d.get("beneficiary_note", ""), beneficiary=d.get("wisher"))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("心愿已提交，社区审核后将在心愿墙上公开。"))
            return redirect("web:wish_detail", pk=wish.pk)
    return render(request, PAGES + "new.html", {"form": form}, status=400 if form.errors else 200)


def _wish(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.wishes_visible_to(request.user), pk=pk)


def _insider(user, wish) -> bool:
    """Who reads the original text, the beneficiary note and the photos: the wisher, the claimant, the staff."""
    return is_wisher(user, wish) or is_claimant(user, wish) or has_perm(user, "wishes.manage", wish)


@login_required
def wish_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    w, user, forms = _wish(request, pk), request.user, forms or {}
    insider, manage = _insider(user, w), has_perm(user, "wishes.manage", w)
    pending, claimed = w.status == WishStatus.PENDING, w.status == WishStatus.CLAIMED
    return render(request, PAGES + "detail.html", {
        "w": w, "insider": insider, "photos": list(w.photos.all()) if insider else [],
        "may_review": pending and has_perm(user, "wishes.review", w), "may_claim": may_claim(user, w),
        "may_release": claimed and (is_claimant(user, w) or manage),
        "may_fulfil": claimed and (is_claimant(user, w) or manage),
        "may_thank": w.status == WishStatus.FULFILLED and not w.thanks and is_wisher(user, w),
        "may_withdraw": w.status in (WishStatus.PENDING, WishStatus.OPEN, WishStatus.CLAIMED)
        and (is_wisher(user, w) or manage),
        "approve_form": forms.get("approve") or ApproveForm(initial={"public_text": w.original_text[:200]}),
        "reject_form": forms.get("reject") or ReasonForm(),
        "claim_form": forms.get("claim") or ClaimForm(organizations=represented_organizations(user)),
        "fulfil_form": forms.get("fulfil") or FulfilForm(), "thanks_form": forms.get("thank") or ThanksForm()},
        status=status)


ACTIONS = {"approve", "reject", "claim", "release", "fulfil", "thank", "withdraw"}


def _form(request: HttpRequest, action: str):
    if action == "approve":
        return ApproveForm(request.POST)
    if action == "reject":
        return ReasonForm(request.POST)
    if action == "claim":
        return ClaimForm(request.POST, organizations=represented_organizations(request.user))
    if action == "fulfil":
        return FulfilForm(request.POST, request.FILES)
    return ThanksForm(request.POST) if action == "thank" else None


@require_POST
@login_required
@idempotent
def wish_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    w, form = _wish(request, pk), _form(request, action)
    if form is not None and not form.is_valid():
        return wish_detail(request, pk, {action: form}, status=400)
    try:
        done = _act(request, w, action, getattr(form, "cleaned_data", {}))
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.code) from None
        if form is not None and exc.details.get("field"):
            form.add_domain_error(exc)
            return wish_detail(request, pk, {action: form}, status=400)
        messages.error(request, exc.message)
        return redirect("web:wish_detail", pk=w.pk)
    messages.success(request, done)
    return redirect("web:wish_detail", pk=w.pk)


def _act(request: HttpRequest, w, action: str, d: dict) -> str:
    user = request.user
    if action == "approve":
        wishes.wish_approve(actor=user, wish=w, public_text=d["public_text"], no_money=d["no_money"],
                            no_personal_data=d["no_personal_data"])
        return _("已通过审核，心愿已在心愿墙上公开。")
    if action == "reject":
        wishes.wish_reject(actor=user, wish=w, reason=d["reason"])
        return _("已退回，发布人会收到原因。")
    if action == "claim":
        org_pk = d.get("organization")
        org = next((o for o in represented_organizations(user) if o.pk == org_pk), None) if org_pk else None
        done = wishes.wish_claim(actor=user, wish=w, organization=org)
        return _("认领成功，请在 %(date)s 前帮助实现。") % {"date": page_day(done.claim_due_on)}
    if action == "release":
        wishes.wish_release(actor=user, wish=w)
        return _("已取消认领，心愿重新开放认领。")
    if action == "fulfil":
        wishes.wish_fulfil(actor=user, wish=w, photo=(read_photos(d["photo"]) or [b""])[0], note=d["note"])
        return _("已登记心愿实现，谢谢您！")
    if action == "thank":
        wishes.wish_thank(actor=user, wish=w, text=d["text"])
        return _("感谢已送达认领人。")
    wishes.wish_withdraw(actor=user, wish=w)
    return _("心愿已撤回。")


@login_required
def wish_photo(request: HttpRequest, pk: int, photo_pk: int, thumb: bool = False) -> HttpResponse:
    """Photos may show the wisher or their home: the wisher, the claimant and the staff only."""
    w = _wish(request, pk)
    if not _insider(request.user, w):
        raise Http404
    photo = get_object_or_404(WishPhoto, pk=photo_pk, wish=w)
    if thumb and photo.thumbnail:
        return image_response(photo.thumbnail, "image/jpeg")
    return image_response(photo.image, photo.content_type)


@login_required
def wish_review(request: HttpRequest) -> HttpResponse:
    if not has_perm(request.user, "wishes.review"):
        raise PermissionDenied("wishes.review")
    return render(request, PAGES + "review.html", {"queue": paginate(request, selectors.review_queue(request.user))})


def wish_wall(request: HttpRequest) -> HttpResponse:
    """心愿墙, no login: what staff approved, the community's name, the donor's kind — never a name."""
    community = None
    if (pk := query_pk(request, "community")) is not None:
        community = get_object_or_404(Area, pk=pk, level__depth=community_depth())
    return render(request, PAGES + "wall.html", {"community": community,
                                                 "wall": paginate(request, selectors.wall(community))})
