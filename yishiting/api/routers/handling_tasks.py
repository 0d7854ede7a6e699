"""Tasks (办) through the API: list, export the 任务台账 (XLSX) and assign, progress reports with photos, return and reassign, deadline
extensions, 销号 (submit with evidence, verify) and file downloads. Mounted at /api/v1/tasks.

Photos and evidence go as multipart/form-data (files named `photos` or `files`; JPEG/PNG/WebP ≤ 10 MB, checked
by content, location EXIF removed; evidence may also be PDF ≤ 20 MB)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status, UploadedFile

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.handling_tasks import (
    ExtensionIn,
    ExtensionOut,
    ReasonIn,
    ReassignIn,
    ReportIn,
    ReportOut,
    SubmitIn,
    TaskDecisionIn,
    TaskDetailOut,
    TaskFilterQuery,
    TaskIn,
    TaskOut,
    TaskQuery,
)
from yishiting.areas import selectors as areas
from yishiting.areas.models import Organization, Person
from yishiting.common.errors import PermissionDeniedError
from yishiting.common.rules import has_perm
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.demands.photos import MAX_BYTES
from yishiting.handling.exports import ledger_filename, task_ledger_xlsx
from yishiting.handling.models import Task
from yishiting.handling.selectors import tasks as selectors
from yishiting.handling.services import tasks as services

router = Router(tags=["办理任务"])
FILE_LIMIT = services.MAX_PDF + 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"responses": {200: {"description": "文件", "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}


def _task(request: HttpRequest, task_id: int) -> Task:
    return visible_or_404(selectors.tasks_visible_to(actor(request)), task_id)


def _detail(request: HttpRequest, task_id: int) -> Task:
    user = actor(request)
    task = selectors.task_detail(_task(request, task_id))
    task.timeline = selectors.task_timeline(task)
    person = areas.person_for_user(user)
    task.may_supervise = services.may_supervise(user, task)
    task.may_work = bool(person and person.pk == task.handler_id)
    return task


def _person(person_id: int | None, message: str) -> Person | None:
    """A handler or supervisor by id; whether they may take this task the service says (400 invalid_handler)
    without telling anything about them. Not `people_visible_to`: a street's unit handler is outside a
    community worker's people scope, yet a proper handler of its tasks."""
    return visible_or_404(Person.objects.all(), person_id, message) if person_id is not None else None


def _organization(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    return visible_or_404(Organization.objects.filter(is_active=True), organization_id, "找不到该单位。")


def _uploads(files: list[UploadedFile] | None, limit: int) -> list[tuple[str, bytes]]:
    # One byte past the limit: enough for the service to refuse an oversized file without reading all of it.
    return [(upload.name or "", upload.read(limit + 1)) for upload in (files or [])]


def _tasks(request: HttpRequest, query: TaskFilterQuery):
    """The tasks of the list and of its export: one filter definition (selectors.tasks.task_search)."""
    user = actor(request)
    area_path = visible_or_404(areas.areas_visible_to(user), query.under).path if query.under else ""
    base = selectors.my_tasks(user) if query.mine else selectors.tasks_visible_to(user)
    f = selectors.TaskFilter(status=query.status or "", overdue=bool(query.overdue), warning=query.warning or "",
                             area_path=area_path, topic_id=query.topic, text=query.q or "",
                             extended=bool(query.extended), start=query.start, end=query.end)
    return selectors.task_search(base, f)


@router.get("", response={200: page_of(TaskOut), **COMMON_ERRORS}, summary="任务列表")
def list_tasks(request: HttpRequest, query: Query[TaskQuery]):
    """辖区内的任务（经办人：本人经办的），可按状态、是否逾期、预警级别、区域、议题、是否延期、交办日期、字词筛选；
    `mine=true` 只看我经办的。按期限先后。"""
    return paginate(_tasks(request, query), query)


@router.get("/export.xlsx", response={200: None, **COMMON_ERRORS}, summary="导出任务台账（XLSX）",
            openapi_extra={"responses": {200: {"description": "XLSX 文件", "content": {
                XLSX: {"schema": {"type": "string", "format": "binary"}}}}}})
def export_tasks(request: HttpRequest, query: Query[TaskFilterQuery]):
    """社区两委、街道和区级干部及督办人员（handling.tasks 或 handling.supervise）导出任务台账：筛选条件同任务列表，
    导出全部符合条件的任务（不分页，最多 100,000 条）。列：编号、事项、议题、办理地点、责任主体、办理人（脱敏）、
    办理标准、交办日期、期限、状态、进度、是否延期、批准延期天数、原定期限、是否超期、预警、销号日期、核验人（脱敏）。
    日期为北京时间。"""
    user = actor(request)
    if not (has_perm(user, "handling.tasks") or has_perm(user, "handling.supervise")):
        raise PermissionDeniedError("只有社区两委、街道和区级干部及督办人员可以导出任务台账。")
    response = HttpResponse(task_ledger_xlsx(_tasks(request, query)), content_type=XLSX)
    response["Content-Disposition"] = (f"attachment; filename=\"tasks.xlsx\"; "
                                       f"filename*=UTF-8''{quote(ledger_filename())}")
    return response


@router.post("", response={201: TaskDetailOut, **WRITE_ERRORS}, summary="交办任务")
def assign(request: HttpRequest, payload: TaskIn):
    """社区两委、街道和区级干部交办：责任主体、经办人、办理标准、期限（日期或工作日二选一）、节点。
    来自议题的任务须议题已公示期满（办理中）。经办人会收到站内消息和短信。"""
    user = actor(request)
    topic = visible_or_404(topics_visible_to(user), payload.topic_id, "找不到该议题。") if payload.topic_id else None
    resolution = topic.resolutions.filter(pk=payload.resolution_id).first() if topic and payload.resolution_id else None
    task = services.task_assign(
        actor=user, title=payload.title, area=visible_or_404(areas.areas_visible_to(user), payload.area_id),
        handler=_person(payload.handler_id, "找不到该经办人。"), subject_kind=payload.subject_kind,
        organization=_organization(payload.organization_id),
        supervisor=_person(payload.supervisor_id, "找不到该核验人。"), topic=topic, resolution=resolution,
        standard=payload.standard, deadline=payload.deadline, deadline_days=payload.deadline_days,
        milestones=[(m.title, m.due_on) for m in payload.milestones])
    return Status(201, _detail(request, task.pk))


@router.get("/{int:task_id}", response={200: TaskDetailOut, **COMMON_ERRORS}, summary="任务详情")
def get_task(request: HttpRequest, task_id: int):
    """含节点、进展报告及照片、销号佐证、延期申请、预警和时间线（通俗中文，人员脱敏）。"""
    return _detail(request, task_id)


@router.post("/{int:task_id}/accept", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="签收任务")
def accept(request: HttpRequest, task_id: int):
    """经办人签收任务（已交办 → 办理中），记下签收时间和用时。先签收，再报告进展、申请延期或提交销号；
    签收后不能再退回。重复签收返回同样结果；与退回同时提交时只有一个生效（另一个 409）。"""
    services.task_accept(actor=actor(request), task=_task(request, task_id))
    return _detail(request, task_id)


@router.post("/{int:task_id}/start", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="开始办理（同签收）",
             deprecated=True)
def start(request: HttpRequest, task_id: int):
    """旧名称，等同于 `POST /tasks/{id}/accept`（签收）。"""
    return accept(request, task_id)


@router.post("/{int:task_id}/reports", response={201: ReportOut, **WRITE_ERRORS}, summary="报告进展")
def report(request: HttpRequest, task_id: int, payload: ReportIn):
    """经办人报告进展和完成百分比（只增不减，最多 100）。同样内容的重试返回同一条报告。要附照片请用
    `POST /tasks/{id}/reports/multipart`。"""
    return Status(201, _report(request, task_id, payload, []))


@router.post("/{int:task_id}/reports/multipart", response={201: ReportOut, **WRITE_ERRORS},
             summary="报告进展（附照片）")
def report_multipart(request: HttpRequest, task_id: int, payload: Form[ReportIn],
                     photos: File[list[UploadedFile]] = None):
    """multipart/form-data：字段同上，另可附最多 9 个名为 photos 的照片（JPEG、PNG 或 WebP，每张 ≤ 10 MB）。"""
    return Status(201, _report(request, task_id, payload, _uploads(photos, MAX_BYTES)))


def _report(request: HttpRequest, task_id: int, payload: ReportIn, photos: list[tuple[str, bytes]]):
    task = _task(request, task_id)
    milestone = visible_or_404(task.milestones.all(), payload.milestone_id, "找不到该节点。") \
        if payload.milestone_id else None
    return services.task_report(actor=actor(request), task=task, text=payload.text, percent=payload.percent,
                                photos=photos, milestone=milestone)


@router.post("/{int:task_id}/return", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="退回任务")
def give_back(request: HttpRequest, task_id: int, payload: ReasonIn):
    """经办人退回交办错误的任务，须说明理由；交办人会收到通知。"""
    services.task_return(actor=actor(request), task=_task(request, task_id), reason=payload.reason)
    return _detail(request, task_id)


@router.post("/{int:task_id}/reassign", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="重新交办")
def reassign(request: HttpRequest, task_id: int, payload: ReassignIn):
    """被退回的任务交给新的经办人（已退回 → 已交办），须说明理由。"""
    user = actor(request)
    services.task_reassign(actor=user, task=_task(request, task_id), reason=payload.reason,
                           handler=_person(payload.handler_id, "找不到该经办人。"))
    return _detail(request, task_id)


@router.post("/{int:task_id}/extensions", response={201: ExtensionOut, **WRITE_ERRORS}, summary="申请延期")
def request_extension(request: HttpRequest, task_id: int, payload: ExtensionIn):
    """经办人申请延期，须说明理由；同一时间只能有一份待审批的申请（否则 409 extension_pending）。"""
    return Status(201, services.extension_request(actor=actor(request), task=_task(request, task_id),
                                                  new_deadline=payload.new_deadline, reason=payload.reason))


@router.post("/{int:task_id}/extensions/{int:extension_id}/decision", response={200: ExtensionOut, **WRITE_ERRORS},
             summary="审批延期")
def decide_extension(request: HttpRequest, task_id: int, extension_id: int, payload: TaskDecisionIn):
    """核验人批准（期限顺延，原定期限保留在 original_deadline）或不批准（须说明理由）。"""
    extension = visible_or_404(_task(request, task_id).extensions.all(), extension_id, "找不到该延期申请。")
    return services.extension_decide(actor=actor(request), extension=extension, approve=payload.approve,
                                     note=payload.note)


@router.post("/{int:task_id}/submit", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="提交销号")
def submit(request: HttpRequest, task_id: int, payload: Form[SubmitIn], files: File[list[UploadedFile]] = None):
    """multipart/form-data：evidence 佐证说明，files 现场照片或 PDF（至少一个，已报告的进展照片也算）。"""
    services.task_submit(actor=actor(request), task=_task(request, task_id), evidence=payload.evidence,
                         files=_uploads(files, FILE_LIMIT))
    return _detail(request, task_id)


@router.post("/{int:task_id}/verify", response={200: TaskDetailOut, **WRITE_ERRORS}, summary="核验销号")
def verify(request: HttpRequest, task_id: int, payload: TaskDecisionIn):
    """核验人通过（销号；议题的最后一项任务销号后议题进入评价）或不通过（须说明原因，退回继续办理）。
    两人同时核验只有一人成功，另一人得到 409。"""
    services.task_verify(actor=actor(request), task=_task(request, task_id), approve=payload.approve,
                         note=payload.note)
    return _detail(request, task_id)


@router.get("/{int:task_id}/files/{int:file_id}", response={200: None, **COMMON_ERRORS}, summary="下载任务附件",
            openapi_extra=BINARY)
def get_file(request: HttpRequest, task_id: int, file_id: int):
    """进展照片或销号佐证（按内容识别的类型返回）。"""
    stored = visible_or_404(_task(request, task_id).files.all(), file_id, "找不到该文件。")
    return FileResponse(stored.file.open("rb"), content_type=stored.content_type)
