"""一事一档 (备) through the API: archive a finished topic or a closed direct-handling task, search the archive,
read a dossier, download it as PDF or DOCX. Mounted at /api/v1/dossiers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.handling_archive import DossierDetailOut, DossierOut, DossierQuery
from yishiting.areas import selectors as areas
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.handling.dossier_render import dossier_file
from yishiting.handling.models import Dossier
from yishiting.handling.selectors.archive import DossierFilter, dossier_search, dossiers_visible_to
from yishiting.handling.selectors.tasks import tasks_visible_to
from yishiting.handling.services import archive as services

router = Router(tags=["一事一档"])
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _binary(media_type: str, label: str) -> dict:
    return {"responses": {200: {"description": label, "content": {media_type: {"schema": {
        "type": "string", "format": "binary"}}}}}}


def _dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    return visible_or_404(dossiers_visible_to(actor(request)).defer(None), dossier_id, "找不到该档案，或您无权查看。")


def _file(data: bytes, media_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("", response={200: page_of(DossierOut), **COMMON_ERRORS}, summary="检索档案")
def list_dossiers(request: HttpRequest, query: Query[DossierQuery]):
    """本人可见的档案（按辖区），可按字词、区域（含下级）、类别、年度筛选，最新归档的在前。"""
    user = actor(request)
    area_path = visible_or_404(areas.areas_visible_to(user), query.area_id).path if query.area_id else ""
    found = dossier_search(dossiers_visible_to(user), DossierFilter(
        text=query.q, area_path=area_path, category=query.category, year=query.year))
    return paginate(found, query)


@router.post("/topics/{int:topic_id}", response={201: DossierDetailOut, **WRITE_ERRORS}, summary="议题归档")
def archive_topic(request: HttpRequest, topic_id: int):
    """评价结束（最后一轮已结束且未重办）、任务全部销号的议题：议题变为“已归档”，生成一事一档并封存，
    此后该事项的任何记录都不能再改动。重复归档返回 409（already_archived）。"""
    topic = visible_or_404(topics_visible_to(actor(request)), topic_id)
    dossier = services.dossier_archive(actor=actor(request), topic=topic)
    return Status(201, _dossier(request, dossier.pk))


@router.post("/tasks/{int:task_id}", response={201: DossierDetailOut, **WRITE_ERRORS}, summary="直接办理任务归档")
def archive_task(request: HttpRequest, task_id: int):
    """已销号的直接办理任务（诉求直接交办、未形成议题）连同其诉求归档。议题的任务随议题归档。"""
    task = visible_or_404(tasks_visible_to(actor(request)), task_id)
    dossier = services.dossier_archive_task(actor=actor(request), task=task)
    return Status(201, _dossier(request, dossier.pk))


@router.get("/{int:dossier_id}", response={200: DossierDetailOut, **COMMON_ERRORS}, summary="档案全文")
def get_dossier(request: HttpRequest, dossier_id: int):
    """归档时封存的全部内容：每条记录（时间、人员、事项）、附件及其 SHA-256、内容哈希和事件链哈希。"""
    return _dossier(request, dossier_id)


@router.get("/{int:dossier_id}/pdf", response={200: None, **COMMON_ERRORS}, summary="下载档案 PDF",
            openapi_extra=_binary(PDF, "PDF 文件（A4，内嵌中文字体）"))
def download_pdf(request: HttpRequest, dossier_id: int):
    """A4 打印版：每页页眉有档案号、页脚有页码，末页有内容哈希。"""
    dossier = _dossier(request, dossier_id)
    return _file(dossier_file(dossier, "pdf"), PDF, f"dossier-{dossier.pk}.pdf")


@router.get("/{int:dossier_id}/docx", response={200: None, **COMMON_ERRORS}, summary="下载档案 Word 文件",
            openapi_extra=_binary(DOCX, "DOCX 文件（可编辑副本）"))
def download_docx(request: HttpRequest, dossier_id: int):
    """与 PDF 内容相同的可编辑副本（Word/WPS）。正式档案以系统内封存的内容为准。"""
    dossier = _dossier(request, dossier_id)
    return _file(dossier_file(dossier, "docx"), DOCX, f"dossier-{dossier.pk}.docx")
