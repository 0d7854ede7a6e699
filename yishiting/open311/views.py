"""Open311 GeoReport v2 at /open311/v2/ (JSON or XML by the extension): the category catalogue as services,
demands as service requests. See intake.py for keys and areas, selectors.py for open/closed.

Reading requests shows only what the key owner may see (demands.view) and never who reported; addresses are
masked. Without a key the list is empty: demands are not public (the public side is a community's topics).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from yishiting.common.dates import day_text
from yishiting.common.errors import DomainError
from yishiting.common.masking import mask_address
from yishiting.demands.choices import Status
from yishiting.demands.models import Category, Demand
from yishiting.demands.selectors import categories_active
from yishiting.demands.services import demand_submit

from . import selectors
from .intake import client_user, submission_from
from .render import error, respond

MAX_RANGE = timedelta(days=90)
AREA_ATTRIBUTE = {
    "variable": True, "code": "area_code", "datatype": "string", "required": False, "order": 1,
    "description": "诉求发生的区域编码（如 G1）",
    "datatype_description": "不填则为 api_key 所属账号角色所在的区域（最基层的一个）",
}


def open311(*methods: str):
    """Answer a wrong method or a DomainError in the spec's error format, in the format the URL asked for."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = error(fmt, 405, f"该地址不支持 {request.method} 请求，可用：{'、'.join(methods)}。")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                return error(fmt, exc.status, exc.message)

        return csrf_exempt(wrapper)

    return decorate


def _service(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name,
            "description": category.description or category.name, "metadata": True, "type": "realtime",
            "keywords": "", "group": category.get_list_kind_display()}


@open311("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, [_service(c) for c in categories_active()], root="services", item="service")


@open311("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if not categories_active().filter(code=code).exists():
        raise DomainError("not_found", f"service_code“{code}”不存在。", status=404)
    return respond(fmt, {"service_code": code, "attributes": [AREA_ATTRIBUTE]}, root="service_definition",
                   item=None, item_names={"attributes": "attribute"})


def _local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _status_labels() -> dict[str, str]:
    """Each status's words, translated once per answer: get_status_display() hashes every lazy label of the
    choices on each call (8 translations a row, a third of a 100-row answer's time)."""
    return {value: str(label) for value, label in Status.choices}


def _request(demand: Demand, labels: dict[str, str] | None = None) -> dict:
    deadline = timezone.make_aware(datetime.combine(demand.screening_deadline, time(23, 59, 59)))
    label = (labels or _status_labels()).get(demand.status, demand.status)
    notes = label + (f"：{demand.outcome_reason}" if demand.outcome_reason else "")
    return {
        "service_request_id": str(demand.pk), "status": selectors.status_of(demand), "status_notes": notes,
        "service_name": demand.category.name, "service_code": demand.category.code, "description": demand.text,
        "agency_responsible": demand.screening_area.full_name, "service_notice": f"编号 {demand.number}",
        "requested_datetime": _local(demand.created_at),
        "updated_datetime": _local(demand.screened_at or demand.created_at),
        "expected_datetime": _local(deadline) if demand.is_open else None,
        "address": mask_address(demand.address), "address_id": None, "zipcode": None,
        "lat": float(demand.latitude) if demand.latitude is not None else None,
        "long": float(demand.longitude) if demand.longitude is not None else None, "media_url": None,
    }


def _row(row: tuple, labels: dict[str, str], zone) -> dict:
    """One request of a list answer from selectors.ROW_FIELDS: the same object as `_request` gives."""
    (pk, number, status, reason, text, address, latitude, longitude, created_at, screened_at, screening_deadline,
     category_name, category_code, agency, topic_status, task_status, mediation_status) = row
    is_open = status in {Status.PENDING, Status.ESCALATED}
    deadline = datetime.combine(screening_deadline, time(23, 59, 59), tzinfo=zone) if is_open else None
    return {
        "service_request_id": str(pk),
        "status": selectors.status_from(status, topic_status, task_status, mediation_status),
        "status_notes": labels.get(status, status) + (f"：{reason}" if reason else ""),
        "service_name": category_name, "service_code": category_code, "description": text,
        "agency_responsible": agency, "service_notice": f"编号 {number}",
        "requested_datetime": created_at.astimezone(zone).isoformat(timespec="seconds"),
        "updated_datetime": (screened_at or created_at).astimezone(zone).isoformat(timespec="seconds"),
        "expected_datetime": deadline.isoformat(timespec="seconds") if deadline else None,
        "address": mask_address(address), "address_id": None, "zipcode": None,
        "lat": float(latitude) if latitude is not None else None,
        "long": float(longitude) if longitude is not None else None, "media_url": None,
    }


def _moment(raw: str, name: str) -> datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+")) or (
        datetime.combine(day, time.min) if (day := parse_date(raw)) else None)
    if value is None:
        raise DomainError("invalid_request", f"{name} 应为 W3C 日期时间，如 2026-01-01T00:00:00+08:00。")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _filter(request: HttpRequest) -> selectors.RequestFilter:
    params = request.GET
    listed = {name: [v.strip() for v in params.get(name, "").split(",") if v.strip()]
              for name in ("service_request_id", "service_code", "status")}
    if not all(v.isdigit() for v in listed["service_request_id"]):
        raise DomainError("invalid_request", "service_request_id 应为数字，多个用逗号分隔。")
    if not set(listed["status"]) <= {selectors.OPEN, selectors.CLOSED}:
        raise DomainError("invalid_request", "status 只能是 open 或 closed。")
    start, end = _moment(params.get("start_date", ""), "start_date"), _moment(params.get("end_date", ""), "end_date")
    if start is None and end is None:
        start = timezone.now() - MAX_RANGE
    elif start is not None and end is not None and end - start > MAX_RANGE:
        raise DomainError("invalid_request", "start_date 与 end_date 相隔不能超过 90 天。")
    return selectors.RequestFilter(ids=[int(v) for v in listed["service_request_id"]] or None,
                                   service_codes=listed["service_code"] or None,
                                   statuses=sorted(set(listed["status"])) or None, start=start, end=end,
                                   page=_whole(params, "page", 1, selectors.MAX_PAGE),
                                   page_size=_whole(params, "page_size", selectors.PAGE_SIZE, selectors.MAX_PAGE_SIZE))


def _whole(params, name: str, default: int, most: int) -> int:
    """A paging parameter: a whole number from 1 to `most`, `default` when absent; else the spec's 400."""
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and 0 < int(raw) <= most):
        raise DomainError("invalid_request", f"{name} 应为 1 到 {most} 之间的整数。")
    return int(raw)


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    user = client_user(request)
    rows = selectors.service_request_rows(selectors.service_requests(user), _filter(request)) if user is not None else []
    labels, zone = _status_labels(), timezone.get_current_timezone()
    return respond(fmt, [_row(row, labels, zone) for row in rows], root="service_requests", item="request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    user = client_user(request)
    if user is None:
        raise DomainError("api_key_required", "提交诉求需要 api_key（在 /api/v1/tokens 创建的接口令牌）。", status=403)
    demand = demand_submit(actor=user, submission=submission_from(user, request.POST),
                           idempotency_key=idempotency_key(request.headers.get("Idempotency-Key", "")))
    return respond(fmt, created_reply(demand), root="service_requests", item="request", status=201)


def idempotency_key(raw: str) -> str | None:
    return raw.strip()[:128] or None


def created_reply(demand: Demand) -> list[dict]:
    """The answer to a POSTed request (also api.fast.open311's)."""
    notice = f"已收到，编号 {demand.number}，{demand.screening_area.name}将在 {day_text(demand.screening_deadline)} 前答复。"
    return [{"service_request_id": str(demand.pk), "service_notice": notice, "account_id": None}]


@open311("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    return _create(request, fmt) if request.method == "POST" else _list(request, fmt)


@open311("GET")
def service_request(request: HttpRequest, request_id: int, fmt: str) -> HttpResponse:
    user = client_user(request)
    demand = selectors.service_requests(user).filter(pk=request_id).first() if user is not None else None
    if demand is None:
        raise DomainError("not_found", "找不到该请求，或您无权查看。", status=404)
    return respond(fmt, [_request(demand)], root="service_requests", item="request")
