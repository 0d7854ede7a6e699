"""One error shape for everything under /api/v1/: {"code": str, "message": Chinese str, "details": obj}.

Every failure — a DomainError from a service, bad input, a missing login, a body too large, an unexpected
exception — ends here, so clients switch on `code` and show `message`, and never see a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from yishiting.common.errors import DomainError, archived_refusal
from yishiting.common.uploads import human_size

logger = logging.getLogger("yishiting.api")

NOT_FOUND_MESSAGE = "找不到该记录，或您无权查看。"
UNAUTHENTICATED_MESSAGE = "请先登录，或在 Authorization 头中提供接口令牌（Bearer yst_…）。"

# Chinese messages for pydantic's error types; `{…}` placeholders come from the error's ctx.
FIELD_MESSAGES = {
    "missing": "此项必填。",
    "extra_forbidden": "不允许的字段。",
    "string_type": "应为文本。",
    "string_too_short": "不能为空。",
    "string_too_long": "不能超过 {max_length} 个字。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "decimal_type": "应为数字。",
    "decimal_parsing": "应为数字。",
    "decimal_max_places": "最多保留 {decimal_places} 位小数。",
    "decimal_max_digits": "数字位数过多。",
    "float_parsing": "应为数字。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "不能小于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "不能大于 {le}。",
    "literal_error": "取值不在允许范围内。",
    "enum": "取值不在允许范围内。",
    "model_type": "应为 JSON 对象。",
    "model_attributes_type": "应为 JSON 对象。",
    "dict_type": "应为 JSON 对象。",
    "list_type": "应为列表。",
    "datetime_parsing": "日期时间格式不正确。",
    "date_parsing": "日期格式不正确。",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details if details is not None else {}}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
                   details: Any = None) -> HttpResponse:
    response = api.create_response(request, error_body(code, message, details), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="yishiting"'
    return response


def _field_path(loc: tuple) -> tuple[str, str]:
    """('body', 'payload', 'name') → ('body', 'name'): drop the wrapper every body parameter is named."""
    source, rest = (loc[0], list(loc[1:])) if loc else ("body", [])
    if source == "body" and rest and rest[0] == "payload":
        rest = rest[1:]
    return str(source), ".".join(str(part) for part in rest)


def _field_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "value_error" or kind.startswith("text_"):  # ours (common.text): the message is already Chinese
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = FIELD_MESSAGES.get(kind, "格式不正确。")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    result = []
    for error in errors:
        source, field = _field_path(tuple(error.get("loc") or ()))
        result.append({"location": source, "field": field, "type": str(error.get("type", "")),
                       "message": _field_message(error)})
    return result


def _summary(details: list[dict[str, str]]) -> str:
    parts = []
    for item in details[:3]:
        if item["type"] == "extra_forbidden":
            parts.append(f"不允许的字段“{item['field']}”")
        elif item["field"]:
            parts.append(f"“{item['field']}”：{item['message'].rstrip('。')}")
        else:
            parts.append(item["message"].rstrip("。"))
    more = f"等 {len(details)} 处问题" if len(details) > 3 else ""
    return "提交的数据有误：" + "；".join(parts) + more + "。"


def install_error_handlers(api: NinjaAPI) -> None:
    """Register a handler for every kind of failure; the most specific class wins (ninja walks the MRO)."""

    def handle(exc_class: type[Exception]):
        def register(func):
            api.add_exception_handler(exc_class, lambda request, exc: func(request, exc))
            return func
        return register

    @handle(DomainError)
    def domain_error(request, exc: DomainError):
        response = error_response(api, request, exc.status, exc.code, exc.message, exc.details)
        if exc.status == 503 and isinstance(exc.details, dict) and "retry_after" in exc.details:
            response["Retry-After"] = str(exc.details["retry_after"])
        return response

    @handle(NinjaValidationError)
    def invalid_input(request, exc: NinjaValidationError):
        details = validation_details(exc.errors)
        message = _summary(details)
        if request.method in {"POST", "PUT", "PATCH"} and _body_is_empty(request) \
                and any(item["location"] == "body" for item in details):
            message = "请求体不能为空：请提交一个 JSON 对象。"
        return error_response(api, request, 422, "validation_error", message, {"errors": details})

    @handle(DjangoValidationError)
    def invalid_model(request, exc: DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        details = [{"location": "body", "field": field, "type": "invalid", "message": message}
                   for field, messages in fields.items() for message in messages]
        return error_response(api, request, 422, "validation_error", _summary(details), {"errors": details})

    @handle(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(api, request, 401, "unauthenticated", UNAUTHENTICATED_MESSAGE)

    @handle(Throttled)
    def throttled(request, exc: Throttled):
        return error_response(api, request, 429, "too_many_requests", "请求过于频繁，请稍后再试。",
                              {"retry_after": exc.wait})

    @handle(HttpError)
    def http_error(request, exc: HttpError):
        return _http_error(api, request, exc)

    @handle(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, "not_found", NOT_FOUND_MESSAGE)

    @handle(ObjectDoesNotExist)
    def object_missing(request, exc):
        return error_response(api, request, 404, "not_found", NOT_FOUND_MESSAGE)

    @handle(PermissionDenied)
    def forbidden(request, exc):
        return error_response(api, request, 403, "permission_denied", "您没有执行此操作的权限。")

    @handle(RequestDataTooBig)
    def too_large(request, exc):
        return _too_large(api, request, getattr(exc, "limit", None))

    @handle(SuspiciousOperation)
    def suspicious(request, exc):
        logger.warning("可疑请求 %s %s：%s", request.method, request.path, exc)
        return error_response(api, request, 400, "bad_request", "请求无效。")

    @handle(IntegrityError)
    def conflict(request, exc):
        refusal = archived_refusal(exc)
        if refusal is not None:
            return error_response(api, request, refusal.status, refusal.code, refusal.message)
        # A uniqueness race the service's own check could not see (two requests at once).
        logger.warning("数据冲突 %s %s：%s", request.method, request.path, exc)
        return error_response(api, request, 409, "conflict", "数据与已有记录冲突，请刷新后重试。")

    @handle(Exception)
    def unexpected(request, exc):
        logger.exception("接口内部错误 %s %s", request.method, request.path)
        return error_response(api, request, 500, "server_error", "服务器内部错误，请稍后重试；问题已记录。")


def _body_is_empty(request: HttpRequest) -> bool:
    """Whether nothing was sent. A multipart body has been read as a stream (request.body is gone by then);
    its parts tell instead."""
    try:
        return not request.body
    except RawPostDataException:
        return not request.POST and not request.FILES


def _too_large(api: NinjaAPI, request: HttpRequest, limit: int | None) -> HttpResponse:
    """Mostly answered before the view by common.middleware.UploadLimitMiddleware, in the same words."""
    from django.conf import settings

    limit = limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(api, request, 413, "request_too_large",
                          f"请求内容过大：上限为 {human_size(limit)}。", {"max_bytes": limit})


def _http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja raises HttpError(400) when the body is not JSON; other statuses keep a generic message."""
    if isinstance(exc.__cause__, json.JSONDecodeError | UnicodeDecodeError | ValueError):
        return error_response(api, request, 400, "malformed_json", "请求体不是有效的 JSON。")
    messages = {400: ("bad_request", "请求无效。"), 403: ("permission_denied", "您没有执行此操作的权限。"),
                404: ("not_found", NOT_FOUND_MESSAGE), 405: ("method_not_allowed", "不支持该请求方法。")}
    code, message = messages.get(exc.status_code, ("error", "请求未能完成。"))
    return error_response(api, request, exc.status_code, code, message)
