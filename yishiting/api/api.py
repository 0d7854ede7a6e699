"""The JSON API under /api/v1/ (django-ninja). OpenAPI at /api/v1/openapi.json, offline docs at /api/v1/docs.

Every route needs a login — an API token (Bearer) or the browser session — except the docs, the OpenAPI
document, POST /tokens (which may log in with a password), registration, /health and the public figures
(/public/areas, /public/stats). Every answer that is not a success has the
shape {"code", "message", "details"}, including unknown URLs (404) and wrong methods (405).
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from .auth import API_AUTH
from .docs import OfflineSwagger
from .errors import error_response, install_error_handlers
from .routers import (
    alliances,
    appointments,
    areas,
    bodies,
    cadres,
    canteens,
    claims,
    deliberation_meetings,
    deliberation_templates,
    deliberation_topics,
    deliberation_votes,
    demands,
    grid,
    handling_archive,
    handling_evaluation,
    handling_notices,
    handling_supervision,
    handling_tasks,
    health,
    ledgers,
    legal,
    liaison,
    me,
    mediation,
    organizations,
    oversight_clusters,
    oversight_indices,
    oversight_plans,
    oversight_ratings,
    participation,
    people,
    public_stats,
    roles,
    tokens,
    trusts,
    volunteers,
    whistles,
    wishes,
)

DESCRIPTION = """议事厅的 JSON 接口。

- 认证：请求头 `Authorization: Bearer yst_…`（在 `POST /api/v1/tokens` 创建令牌，密钥只显示一次），
  或浏览器登录会话（写操作须带 `X-CSRFToken` 请求头）。
- 出错时统一返回 `{"code": "…", "message": "中文说明", "details": {…}}`。
- 列表分页：`page`、`page_size`（不超过 200），返回 `{"count", "page", "page_size", "items"}`；
  多数列表可用 `under=<区域编号>` 只看某区域以下的数据。
- 公开统计 `/public/areas`、`/public/stats` 无需登录（只有汇总数字，小于 5 的数字隐藏）。
- 个人信息默认脱敏；`POST /api/v1/people/{id}/reveal` 查看完整信息，每次都记入审计日志。
"""


class ChineseJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses (UTF-8) instead of \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


class YishitingAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if pattern.name == "api-root":
                pattern.callback = csrf_exempt(self._root_view)
            else:
                pattern.callback = self._with_json_405(pattern.callback)
        # Last, so it only sees what no route matched (also a POST: exempt, or CSRF would answer in HTML).
        # Any characters, a line break (`/topics/1%0A`) included: <path:> stops at one, and Django's HTML 404 answered.
        urls.append(re_path(r"^(?P<rest>[\s\S]*)\Z", csrf_exempt(self._not_found_view), name="not-found"))
        return urls

    def _with_json_405(self, view):
        """ninja answers a wrong method with a bare HttpResponseNotAllowed; give it the error shape."""

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if not isinstance(response, HttpResponseNotAllowed):
                return response
            allowed = sorted(m.strip() for m in response["Allow"].split(",") if m.strip())
            answer = error_response(self, request, 405, "method_not_allowed",
                                    f"该地址不支持 {request.method} 请求，可用：{'、'.join(allowed)}。",
                                    {"allowed": allowed})
            answer["Allow"] = ", ".join(allowed)
            return answer

        wrapper.csrf_exempt = True  # ninja checks CSRF itself, in the session auth
        return wrapper

    def _not_found_view(self, request: HttpRequest, rest: str = "") -> HttpResponse:
        return error_response(self, request, 404, "not_found", "接口地址不存在。", {"path": request.path})

    def _root_view(self, request: HttpRequest) -> HttpResponse:
        return self.create_response(request, {"name": self.title, "version": self.version,
                                               "docs": request.path + "docs",
                                               "openapi": request.path + "openapi.json"}, status=200)


api = YishitingAPI(
    title="议事厅 API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
    docs=OfflineSwagger(),
    renderer=ChineseJSONRenderer(),
)
install_error_handlers(api)

api.add_router("/health", health.router)
api.add_router("/me", me.router)
api.add_router("/areas", areas.router)
api.add_router("/households", areas.households_router)
api.add_router("/people", people.router)
api.add_router("/organizations", organizations.router)
api.add_router("/roles", roles.router)
api.add_router("/tokens", tokens.router)
api.add_router("/register", claims.register_router)
api.add_router("/claims", claims.router)
api.add_router("", demands.router)
api.add_router("/topics", deliberation_topics.router)
api.add_router("/templates", deliberation_templates.router)  # templates per area (issue 20)
api.add_router("/meetings", deliberation_meetings.router)
api.add_router("/votes", deliberation_votes.router)
api.add_router("/notices", handling_notices.router)
api.add_router("/tasks", handling_tasks.router)
api.add_router("/supervision", handling_supervision.router)
api.add_router("/evaluations", handling_evaluation.router)
api.add_router("/kpis", handling_evaluation.kpis_router)
api.add_router("/dossiers", handling_archive.router)
api.add_router("/legal", legal.router)
api.add_router("/ledgers", ledgers.router)  # 积分、积分超市、时间银行 (issue 19)
api.add_router("/wishes", wishes.router)
api.add_router("/grid", grid.router)  # 网格工作: 包联、走访巡查、亮身份 (issue 20)
api.add_router("/appointments", appointments.router)
api.add_router("/volunteers", volunteers.router)  # 志愿服务 (issue 19)
api.add_router("/bodies", bodies.router)  # 议事组织 (issue 20)
api.add_router("/whistles", whistles.router)  # 吹哨·应哨 (issue 20)
api.add_router("/mediation", mediation.router)
api.add_router("/canteens", canteens.router)  # 幸福食堂 (issue 19)
api.add_router("/liaison", liaison.router)  # 挂点联系与代表联系群众 (issue 20)
api.add_router("/alliances", alliances.router)  # 党建联盟 (issue 21)
api.add_router("/cadres", cadres.router)  # 干部成长档案与践诺清单 (issue 21)
api.add_router("/participation", participation.router)
api.add_router("/trust", trusts.router)  # 信托制物业与业委会公开 (issue 21)
api.add_router("/oversight/indices", oversight_indices.router)
api.add_router("/oversight/rectifications", oversight_ratings.router)  # 整改清单 (issue 18)
api.add_router("/oversight/unit-ratings", oversight_ratings.ratings_router)  # unit ratings (issue 18)
api.add_router("/oversight/clusters", oversight_clusters.router)
api.add_router("/oversight/plans", oversight_plans.router)  # plans and hot spots (issue 18)
api.add_router("/public", public_stats.router)  # 公开统计, no login (issue 18)
