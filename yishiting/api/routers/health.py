"""/health: is this server up and can it reach its database? For load balancers and monitoring."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema, Status

router = Router(tags=["运行状态"])


class HealthOut(Schema):
    status: str
    database: bool


@router.get("", auth=None, response={200: HealthOut, 503: HealthOut}, summary="运行状态（探活）")
def health(request: HttpRequest):
    """无需登录，不含任何业务数据：本服务在运行且能连上数据库时返回 200，连不上数据库时返回 503。
    供负载均衡和监控探活。"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready": the prober only needs the status code
        return Status(503, {"status": "database_unavailable", "database": False})
    return Status(200, {"status": "ok", "database": True})
