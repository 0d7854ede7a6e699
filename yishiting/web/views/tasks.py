"""Task (办) and supervision (督) pages: a handler's "我的任务" on the phone (report with photos from the camera,
return, ask for more time, ask for 销号), the staff list with warning colours and its 任务台账 export (XLSX),
assigning from a topic in handling, one task with its timeline (approve an extension, verify), a topic's
supervision page and its public progress bulletin. Anything outside the viewer's scope is a 404; every write is one service call."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yishiting.areas.selectors import areas_visible_to, community_depth, person_for_user
from yishiting.common.dbrouter import heavy_read
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.demands.photos import thumbnail_ensure
from yishiting.handling.exports import ledger_filename, task_ledger_xlsx
from yishiting.handling.models import Task
from yishiting.handling.rules import may_view_progress, may_view_task_files, may_view_topic
from yishiting.handling.selectors import tasks as selectors
from yishiting.handling.services import supervision
from yishiting.handling.services import tasks as services

from ..forms import tasks as forms
from ..forms.rows import build_rows, row_action
from ..guard import idempotent
from .common import image_response, paginate, paginate_capped, permission_required
from .pickers import handler_pool, member_pool, near_topic, organization_pool, supervisor_pool

PAGES = "web/pages/handling/tasks/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- lists ----

@permission_required("handling.work")
def task_mine(request: HttpRequest) -> HttpResponse:
    tasks = selectors.my_tasks(request.user)
    return render(request, PAGES + "mine.html", {"page": paginate_capped(request, tasks)})


def _filtered(request: HttpRequest) -> tuple[forms.TaskFilterForm, QuerySet[Task]]:
    """The staff list's form and tasks: one filter for the page and its 任务台账 export."""
    if not (has_perm(request.user, "handling.tasks") or has_perm(request.user, "handling.supervise")):
        raise PermissionDenied("handling.tasks")
    areas = areas_visible_to(request.user, "handling.view").filter(level__depth__lte=community_depth())
    form = forms.TaskFilterForm(request.GET or None, areas=areas.order_by("path"))
    data = form.cleaned_data if form.is_valid() else {}
    f = selectors.TaskFilter(status=data.get("status", ""), warning=data.get("warning", ""),
                             overdue=data.get("overdue", False), extended=data.get("extended", False),
                             text=data.get("q", ""), area_path=data["area"].path if data.get("area") else "",
                             start=data.get("start"), end=data.get("end"))
    return form, selectors.task_search(selectors.tasks_visible_to(request.user), f)


@permission_required("handling.view")
def task_list(request: HttpRequest) -> HttpResponse:
    form, tasks = _filtered(request)
    return render(request, PAGES + "list.html", {"form": form, "page": paginate_capped(request, tasks)})


@never_cache
@permission_required("handling.view")
@heavy_read
def task_export(request: HttpRequest) -> HttpResponse:
    """任务台账 (XLSX): every task of the list's current filter, not only the page shown."""
    form, tasks = _filtered(request)
    try:
        if form.errors:  # never "everything" in place of a filter the user got wrong
            raise DomainError("invalid_filter", _("筛选条件有误，请改正后再导出。"))
        content = task_ledger_xlsx(tasks)
    except DomainError as exc:
        messages.error(request, exc.message)
        return render(request, PAGES + "list.html", {"form": form, "page": paginate_capped(request, tasks)},
                      status=400)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(ledger_filename())}"
    return response


# ---- one task ----

def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(selectors.tasks_visible_to(request.user), pk=pk)


def _within(task: Task) -> str:
    return task.topic.path if task.topic_id else task.path


def _context(request: HttpRequest, task: Task, **bound) -> dict:
    user, person = request.user, person_for_user(request.user)
    selectors.task_detail(task)
    mine = bool(person and person.pk == task.handler_id)
    context = {
        "task": task, "timeline": selectors.task_timeline(task), "mine": mine,
        "progress_visible": may_view_progress(user, task.topic_id),
        "may_list": has_perm(user, "handling.tasks") or has_perm(user, "handling.supervise"),
        "may_supervise": services.may_supervise(user, task), "may_assign": has_perm(user, "handling.tasks", task),
        "may_record": has_perm(user, "handling.supervise", task), "warning": selectors.warning_level(task),
        "report_form": bound.get("report") or forms.ReportForm(task=task),
        "return_form": bound.get("return") or forms.ReasonForm(),
        "extension_form": bound.get("extension") or forms.ExtensionForm(),
        "submit_form": bound.get("submit") or forms.SubmitForm(),
        "verify_form": bound.get("verify") or forms.DecisionForm(),
        "decide_form": bound.get("decide") or forms.DecisionForm(),
        "reassign_form": bound.get("reassign") or forms.ReassignForm(candidates=handler_pool(task.area, _within(task)),
                                                                      task=task),
        "record_form": bound.get("record") or forms.RecordForm(),
    }
    for key in [key for key in context if key.endswith("_form")]:  # the forms share field names (reason, note)
        context[key].auto_id = f"id_{key.removesuffix('_form')}_%s"
    return context


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, PAGES + "detail.html", _context(request, _task(request, pk)))


def _form(name: str, request: HttpRequest, task: Task):
    data, files = request.POST, request.FILES
    return {
        "report": lambda: forms.ReportForm(data, files, task=task), "return": lambda: forms.ReasonForm(data),
        "extension": lambda: forms.ExtensionForm(data), "submit": lambda: forms.SubmitForm(data, files),
        "verify": lambda: forms.DecisionForm(data), "decide": lambda: forms.DecisionForm(data),
        "reassign": lambda: forms.ReassignForm(data, candidates=handler_pool(task.area, _within(task)), task=task),
        "record": lambda: forms.RecordForm(data), "accept": lambda: Form(data),
    }[name]()


def _call(name: str, request: HttpRequest, task: Task, d: dict) -> Callable[[], object]:
    user = request.user
    return {
        "accept": lambda: services.task_accept(actor=user, task=task),
        "report": lambda: services.task_report(actor=user, task=task, text=d["text"], percent=d["percent"],
                                               milestone=d["milestone"], photos=forms.uploads(d["photos"])),
        "return": lambda: services.task_return(actor=user, task=task, reason=d["reason"]),
        "extension": lambda: services.extension_request(actor=user, task=task, new_deadline=d["new_deadline"],
                                                        reason=d["reason"]),
        "submit": lambda: services.task_submit(actor=user, task=task, evidence=d["evidence"],
                                               files=forms.uploads(d["files"])),
        "verify": lambda: services.task_verify(actor=user, task=task, approve=d["approve"], note=d["note"]),
        "decide": lambda: services.extension_decide(actor=user, extension=task.pending_extension,
                                                    approve=d["approve"], note=d["note"]),
        "reassign": lambda: services.task_reassign(actor=user, task=task, handler=d["handler_role"],
                                                   reason=d["reason"]),
        "record": lambda: supervision.supervision_record(actor=user, task=task, kind=d["kind"], text=d["text"],
                                                         happened_on=d["happened_on"]),
    }[name]


DONE = {"accept": gettext_lazy("已签收，请按期办理。"), "report": gettext_lazy("进展已报告。"), "return": gettext_lazy("任务已退回，交办人会收到通知。"),
        "extension": gettext_lazy("延期申请已提交，等候审批。"), "submit": gettext_lazy("已提交销号，等候核验。"), "verify": gettext_lazy("核验结果已保存。"),
        "decide": gettext_lazy("延期审批已保存。"), "reassign": gettext_lazy("已重新交办。"), "record": gettext_lazy("督办记录已保存。")}


@require_POST
@login_required
@idempotent
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Validate the action's form, call its one service; a DomainError lands on the form (or above the page)."""
    if action not in DONE:
        raise Http404
    task = selectors.task_detail(_task(request, pk))
    if action == "decide" and task.pending_extension is None:
        messages.error(request, _("没有待审批的延期申请。"))
        return redirect("web:task_detail", pk=pk)
    form = _form(action, request, task)
    if form.is_valid():
        try:
            _call(action, request, task, form.cleaned_data)()
        except DomainError as exc:
            _place(request, form, exc)
        else:
            messages.success(request, DONE[action])
            return redirect("web:task_detail", pk=pk)
    return render(request, PAGES + "detail.html", _context(request, task, **{action: form}), status=400)


def _place(request: HttpRequest, form, exc: DomainError) -> None:
    field = exc.details.get("field") if isinstance(exc.details, dict) else None
    if form.field_aliases.get(field, field) in form.fields:
        form.add_domain_error(exc)
    else:  # not about a field (permission, state): said above the page, where it is always seen
        messages.error(request, exc.message)


@login_required
def task_file(request: HttpRequest, pk: int, file_pk: int, thumb: bool = False) -> FileResponse:
    """A task's photo or file (…/thumb/ is a photo's thumbnail, which the pages show): for those who see the task,
    and for the residents invited to rate its result."""
    task = get_object_or_404(Task, pk=pk)
    if not may_view_task_files(request.user, task):
        raise Http404
    stored = get_object_or_404(task.files.all(), pk=file_pk)
    if thumb and stored.content_type.startswith("image/") and thumbnail_ensure(stored, "file"):
        return image_response(stored.thumbnail, "image/jpeg")
    return image_response(stored.file, stored.content_type)


# ---- assign from a topic ----

@permission_required("handling.tasks")
@idempotent
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    topic = get_object_or_404(topics_visible_to(user), pk=pk)
    areas = areas_visible_to(user, "handling.tasks").filter(path__startswith=topic.path).order_by("path")
    data = request.POST if request.method == "POST" else None
    steps = build_rows(forms.MilestoneRows, data, prefix="milestones", fields=forms.MILESTONE_FIELDS)
    adding = data is not None and row_action(data, "milestones")  # 添加一项 / 删除: back to the form, unsaved
    form = forms.TaskAssignForm(None if adding else data, areas=areas, supervisors=supervisor_pool(topic),
                                candidates=handler_pool(topic.level_area, topic.path),
                                organizations=organization_pool(topic), topic=topic,
                                initial=data.dict() if adding else {"area": topic.scope_area or topic.level_area})
    for name in ("handler_role", "supervisor"):  # without JavaScript: the typed search comes back as a list
        form.fields[name].answer_posted_search(data, name, user, near=near_topic(topic), request=request)
    if form.is_bound and all([form.is_valid(), steps.is_valid()]):
        task = _assign(request, form, topic, [(row["title"], row["day"]) for row in steps.rows()])
        if task is not None:
            messages.success(request, _("任务已交办，经办人会收到通知。"))
            return redirect("web:task_detail", pk=task.pk)
    return render(request, PAGES + "new.html", {"form": form, "topic": topic, "milestones": steps,
                                                "handling": topic.status == TopicStatus.HANDLING},
                  status=400 if form.errors or (steps.is_bound and not steps.is_valid()) else 200)


def _assign(request: HttpRequest, form, topic: Topic, milestones: list) -> Task | None:
    d = form.cleaned_data
    try:
        return services.task_assign(
            actor=request.user, title=d["title"], area=d["area"], handler=d["handler_role"],
            subject_kind=d["subject_kind"], organization=d["organization"], supervisor=d["supervisor"],
            topic=topic, resolution=topic.resolutions.order_by("-pk").first(), standard=d["standard"],
            deadline=d["deadline"], deadline_days=d["deadline_days"], milestones=milestones)
    except DomainError as exc:
        form.add_domain_error(exc)
        return None


# ---- supervision and progress of a topic ----

def _supervision_context(request: HttpRequest, topic: Topic, **bound) -> dict:
    user = request.user
    return {
        "topic": topic, "progress": selectors.topic_progress(topic),
        "members": selectors.supervision_members(topic), "may_supervise": has_perm(user, "handling.supervise", topic),
        "records": paginate(request, selectors.supervision_records(topic=topic)),
        "member_form": bound.get("member") or forms.MemberForm(people=member_pool(user), topic=topic),
        "record_form": bound.get("record") or forms.RecordForm(),
        "bulletin_form": bound.get("bulletin") or forms.BulletinForm(),
    }


@permission_required("handling.view")
def topic_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    return render(request, PAGES + "supervision.html", _supervision_context(request, topic))


SUPERVISION = {
    "member": (lambda r, t: forms.MemberForm(r.POST, people=member_pool(r.user), topic=t), gettext_lazy("已加入监督小组。"),
               lambda r, t, d: supervision.supervision_member_add(actor=r.user, topic=t, person=d["person"],
                                                                  role=d["role"])),
    "record": (lambda r, t: forms.RecordForm(r.POST), gettext_lazy("督办记录已保存。"),
               lambda r, t, d: supervision.supervision_record(actor=r.user, topic=t, kind=d["kind"], text=d["text"],
                                                              happened_on=d["happened_on"])),
    "bulletin": (lambda r, t: forms.BulletinForm(r.POST), gettext_lazy("进度通报已发布。"),
                 lambda r, t, d: supervision.bulletin_post(actor=r.user, topic=t, text=d["text"])),
}


@require_POST
@permission_required("handling.supervise")
@idempotent
def topic_supervision_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    if action == "remove":
        member = get_object_or_404(topic.supervisors.all(), pk=request.POST.get("member"))
        return _supervision_write(request, topic, None, _("已移出监督小组。"),
                                  lambda: supervision.supervision_member_remove(actor=request.user, member=member))
    if action not in SUPERVISION:
        raise Http404
    build, done, call = SUPERVISION[action]
    form = build(request, topic)
    if form.is_valid():
        response = _supervision_write(request, topic, form, done, lambda: call(request, topic, form.cleaned_data))
        if response is not None:
            return response
    return render(request, PAGES + "supervision.html", _supervision_context(request, topic, **{action: form}),
                  status=400)


def _supervision_write(request: HttpRequest, topic: Topic, form, done: str, call: Callable) -> HttpResponse | None:
    try:
        call()
    except DomainError as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect("web:topic_supervision", pk=topic.pk)
        _place(request, form, exc)
        return None
    messages.success(request, done)
    return redirect("web:topic_supervision", pk=topic.pk)


@login_required
def topic_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The public progress bulletin of a topic (residents of its community too): people masked, printable."""
    if not may_view_progress(request.user, pk):
        raise Http404
    topic = get_object_or_404(Topic.objects.select_related("level_area", "scope_area"), pk=pk)
    return render(request, PAGES + "progress.html", {"topic": topic, "progress": selectors.topic_progress(topic),
                                                     "topic_visible": may_view_topic(request.user, pk)})
