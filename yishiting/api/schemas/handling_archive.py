"""一事一档 (dossiers): the list row, the full record, the search filters. Everything comes from the sealed
content, in which residents are already masked and officials acting in office are named."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from yishiting.api.pagination import PageQuery

from .common import AreaRef


class DossierOut(Schema):
    """一事一档（列表项）"""

    id: int
    number: str = Field(..., description="档案号，如 档-2026-000001")
    title: str
    area: AreaRef
    category: str
    year: int
    kind: str = Field(..., description="topic：议题的全过程；task：直接办理的任务；mediation：调解案件（只记调解经过，不记当事人）")
    topic_id: int | None
    task_id: int | None
    archived_at: datetime
    content_sha256: str = Field(..., description="档案内容（规范化 JSON）的 SHA-256")

    @staticmethod
    def resolve_kind(obj) -> str:
        return "topic" if obj.topic_id else "task" if obj.task_id else "mediation"


class DossierDetailOut(DossierOut):
    """一事一档（全文）：按“集定议公办督评备”分节的每条记录、附件清单（SHA-256）、满意度计数"""

    chain_head: str = Field(..., description="归档时该事项最后一条事件的哈希")
    content: dict[str, Any]


class DossierQuery(PageQuery):
    q: str = Field("", max_length=100, description="检索字词（档案号、标题、诉求内容、过程记录），空格分隔为“且”")
    area_id: int | None = Field(None, description="只看该区域及以下")
    category: str = Field("", max_length=64, description="类别名称，如“设施维护”")
    year: int | None = Field(None, ge=2000, le=2100, description="归档年度")
