"""The resident's side of demands: submit from a phone (with a live category suggestion and "已有相似诉求"),
the success page, "我的诉求", one demand with its timeline, its photos, "我的消息", and the public list of a
community's topics. Anything outside the viewer's scope is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, AreaLevel
from yishiting.areas.selectors import (
    areas_visible_to,
    community_depth,
    community_within_reach,
    person_for_user,
)
from yishiting.common.errors import Conflict, DomainError
from yishiting.common.rules import active_roles, has_perm
from yishiting.deliberation.selectors import topics_of_community
from yishiting.demands.choices import ReporterKind
from yishiting.demands.intake import similar_demands, suggest_category
from yishiting.demands.models import Demand, DemandPhoto
from yishiting.demands.photos import thumbnail_ensure
from yishiting.demands.selectors import demands_visible_to, my_demands
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.rules import may_view_topic
from yishiting.handling.selectors.evaluation import may_rate_task
from yishiting.handling.selectors.matters import matter_path, matter_stages, matter_timeline, with_matter
from yishiting.notifications.services import notifications_for, notifications_mark_read
from yishiting.oversight.selectors.hotspots import plan_transform, plans_for_places

from ..forms.demands import DemandSubmitForm, new_token, read_photos
from ..guard import draft_of, keeps_draft
from .common import image_response, paginate, parse_pk, permission_required

MIN_SUGGEST_CHARS = 4
MAX_AREA_OPTIONS = 300
BUILDING_LEVEL_CODE = "building"


def submit_areas(user, extra_ids: list[int]) -> QuerySet[Area]:
    """Places a person may pick on the submit page: their scope down to buildings (plus a prefilled unit).

    A wide scope (a street official) is cut to communities, so the drop-down stays usable on a phone."""
    scope = areas_visible_to(user, "demands.submit").order_by("path")
    building = AreaLevel.objects.filter(code=BUILDING_LEVEL_CODE).values_list("depth", flat=True).first()
    depth = building or community_depth() + 2
    extra = Q(pk__in=extra_ids)
    choices = scope.filter(Q(level__depth__lte=depth) | extra)
    if choices.count() > MAX_AREA_OPTIONS:
        choices = scope.filter(Q(level__depth__lte=community_depth()) | extra)
    roles = active_roles(user)
    if roles and all(r.role == Role.REGISTRANT for r in roles):  # no household yet: a community or a place in it
        choices = choices.filter(level__depth__gte=community_depth())
    return choices


def _home_area_id(user) -> int | None:
    person = person_for_user(user)
    if person is None:
        return None
    return person.household.unit_id if person.household_id else person.area_id


def _suggestion(user, text: str, area: Area | None) -> dict:
    """The suggested category with its confidence, and similar demands the viewer may see."""
    text = (text or "").strip()[:2000]
    if len(text) < MIN_SUGGEST_CHARS:
        return {}
    category, confidence, _ = suggest_category(text)
    similar = similar_demands(text, area, visible=demands_visible_to(user)) if area is not None else []
    return {"suggested": category, "confidence": round(float(confidence) * 100) if confidence else None,
            "similar": similar}


def _plan_context(areas: QuerySet[Area]) -> dict:
    """The plans a tap on the form can be read on (oversight hot spots): for each place offered, the plan of the
    place or its nearest ancestor. Bare plans only: no demand is drawn on them here."""
    by_place = plans_for_places(areas)
    plans = {plan.pk: plan for plan in by_place.values()}
    return {"plans": [{"plan": plan, "coefficients": ",".join(f"{v:.12g}" for v in plan_transform(plan).coefficients())}
                      for plan in plans.values()],
            "plan_places": {str(pk): plan.pk for pk, plan in by_place.items()}}


def _submission(form: DemandSubmitForm) -> Submission:
    data = form.cleaned_data
    return Submission(
        text=data["text"], area=data["area"], category=data["category"], urgency=data["urgency"],
        address=data["address"], latitude=data["latitude"], longitude=data["longitude"],
        reporter_kind=ReporterKind.ANONYMOUS if data["anonymous"] else ReporterKind.SELF,
        photos=read_photos(data["photos"]),
    )


@keeps_draft
@never_cache
@permission_required("demands.submit")
def demand_new(request: HttpRequest) -> HttpResponse:
    draft = draft_of(request)  # what this person typed before their session ran out, if anything
    wanted = parse_pk(request.POST.get("area") if request.method == "POST" else
                      (draft.get("area") if draft else request.GET.get("area")))
    home = _home_area_id(request.user)
    areas = submit_areas(request.user, [pk for pk in (wanted, home) if pk])
    if request.method != "POST":
        initial = next((pk for pk in (wanted, home) if pk and areas.filter(pk=pk).exists()), None)
        form = DemandSubmitForm(initial={"area": initial, "token": new_token()}, areas=areas)
        if draft:
            draft.fill(request, form)
        return render(request, "web/pages/demands/new.html", {"form": form, **_plan_context(areas),
                                                              "photos_lost": bool(draft and draft.had_files)})
    form = DemandSubmitForm(request.POST, request.FILES, areas=areas)
    if form.is_valid() and "preview" not in request.POST:
        token = form.cleaned_data["token"]
        try:
            demand = demand_submit(actor=request.user, submission=_submission(form),
                                   idempotency_key=f"web:{token}" if token else None)
        except Conflict:  # this form page was sent before with other content: from now on it is a new one
            form.data = form.data.copy()
            form.data["token"] = new_token()
            form.add_error(None, gettext("这张表单已经提交过一次。如要再反映一件事，请检查内容后重新提交。"))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("web:demand_done", pk=demand.pk)
    suggestion = _suggestion(request.user, request.POST.get("text", ""), form.cleaned_data.get("area"))
    return render(request, "web/pages/demands/new.html", {
        "form": form, "suggestion": suggestion, "photos_lost": bool(request.FILES), **_plan_context(areas)})


@require_POST
@permission_required("demands.submit")
def demand_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: as a person types, the likely category and "已有相似诉求" (debounced by the page)."""
    area = areas_visible_to(request.user, "demands.submit").filter(pk=parse_pk(request.POST.get("area"))).first()
    context = _suggestion(request.user, request.POST.get("text", ""), area)
    return render(request, "web/partials/demands/suggestion.html", {"suggestion": context})


def _own_or_visible(user) -> QuerySet[Demand]:
    return with_matter(demands_visible_to(user)).select_related(
        "task__handler", "task__organization", "rejection_rule", "level_area__level", "screened_by")


@login_required
def demand_done(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(_own_or_visible(request.user), pk=pk)
    return render(request, "web/pages/demands/done.html", {
        "demand": demand, "anonymous": demand.reporter_kind == ReporterKind.ANONYMOUS})


@login_required
def demand_mine(request: HttpRequest) -> HttpResponse:
    page = paginate(request, with_matter(my_demands(request.user)))
    stages = matter_stages(list(page))
    for demand in page:
        demand.stage = stages[demand.pk]
    return render(request, "web/pages/demands/mine.html", {"page": page})


@login_required
def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand = get_object_or_404(_own_or_visible(request.user), pk=pk)
    may_screen = demand.is_open and has_perm(request.user, "demands.screen", demand.screening_area)
    staff_view = has_perm(request.user, "demands.screen") or has_perm(request.user, "demands.enter_on_behalf")
    return render(request, "web/pages/demands/detail.html", {
        "demand": demand, "photos": list(demand.photos.all()),
        "timeline": matter_timeline(demand, caller=request.user), "steps": matter_path(request.user, demand),
        "stage": matter_stages([demand])[demand.pk], "topic_visible": may_view_topic(request.user, demand.topic_id),
        "may_screen": may_screen, "staff_view": staff_view, "today": timezone.localdate(),
        "may_whistle": staff_view and has_perm(request.user, "whistles.blow", demand),  # 吹哨 (issue 20)
        "anonymous": demand.reporter_kind == ReporterKind.ANONYMOUS,
        "primary_visible": demand.merged_into_id and _own_or_visible(request.user).filter(
            pk=demand.merged_into_id).exists(),
        "may_rate_task": may_rate_task(person_for_user(request.user), demand.task),
        **_cluster_note(request.user, demand),
    })


def _cluster_note(user, demand) -> dict:
    """The 类案 this demand went into (or is linked to), and whether the reader may open its topic."""
    from yishiting.oversight.selectors import cluster_topic_of

    cluster = cluster_topic_of(demand)
    return {"cluster_topic": cluster,
            "cluster_topic_visible": cluster is not None and may_view_topic(user, cluster.topic_id)}


@login_required
def demand_photo(request: HttpRequest, pk: int, photo_pk: int, thumb: bool = False) -> FileResponse:
    """Photos are personal data: served only to those who may see the demand, never from a public folder.
    Pages show the thumbnail (…/thumb/, made on first view for photos stored before thumbnails existed); the
    stored copy opens on a tap."""
    demand = get_object_or_404(demands_visible_to(request.user), pk=pk)
    photo = get_object_or_404(DemandPhoto, pk=photo_pk, demand=demand)
    if thumb and thumbnail_ensure(photo, "image"):
        return image_response(photo.thumbnail, "image/jpeg")
    return image_response(photo.image, photo.content_type)


@never_cache
@login_required
def my_messages(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        raise Http404
    page = paginate(request, notifications_for(person))
    unread = {n.pk for n in page if n.read_at is None}
    response = render(request, "web/pages/demands/messages.html", {
        "page": page, "unread": unread, "can_see_failures": has_perm(request.user, "areas.browse") and has_perm(request.user, "people.view")})
    notifications_mark_read(actor=request.user, person=person, ids=list(unread))
    return response


@login_required
def community_topics(request: HttpRequest, pk: int) -> HttpResponse:
    """The community's noticeboard of topics and where each stands, for everyone who lives or works there.

    Masked: titles, levels and status only, never who proposed them."""
    community = community_within_reach(request.user, pk)
    if community is None:
        raise Http404
    page = paginate(request, topics_of_community(community))
    return render(request, "web/pages/demands/topics_public.html", {"community": community, "page": page})
