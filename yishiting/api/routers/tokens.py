"""/tokens: the caller's own API tokens. A secret is shown once, on creation, and never stored."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.accounts.selectors import tokens_of
from yishiting.accounts.services import login_is_locked, token_create, token_revoke
from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor, authenticate_optional
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.tokens import TokenCreatedOut, TokenCreateIn, TokenOut
from yishiting.common.errors import DomainError

router = Router(tags=["接口令牌"])

# The create endpoint also accepts a username and password in the body (to get a first token from a script).
ANY_AUTH = {"security": [{"BearerTokenAuth": []}, {"SessionCsrfAuth": []}, {}]}


@router.get("", response={200: page_of(TokenOut), **COMMON_ERRORS}, summary="我的接口令牌")
def list_tokens(request: HttpRequest, query: Query[PageQuery]):
    return paginate(tokens_of(actor(request)), query)


@router.post("", auth=None, openapi_extra=ANY_AUTH, response={201: TokenCreatedOut, **WRITE_ERRORS},
             summary="创建接口令牌")
def create_token(request: HttpRequest, payload: TokenCreateIn):
    """为当前用户（令牌或登录会话）创建令牌；未登录时可在请求体中提供 username 和 password，
    与网页登录同样校验（多次失败会锁定，每次尝试都记入审计日志）。密钥只在此次返回。"""
    user = authenticate_optional(request)
    if user is None:
        user = _password_login(request, payload.username, payload.password)
    elif payload.username or payload.password:
        raise DomainError("already_authenticated", "已登录时无需提供用户名和密码；令牌将创建在当前账号下。",
                          details={"fields": ["username", "password"]})
    token, secret = token_create(actor=user, name=payload.name, request=request)
    token.secret = secret
    return Status(201, token)


def _password_login(request: HttpRequest, username: str | None, password: str | None):
    if not username or not password:
        raise DomainError("unauthenticated", "请先登录，或提供用户名和密码。", status=401)
    user = authenticate(request, username=username, password=password)
    if user is not None:
        return user
    if login_is_locked(username):
        raise DomainError("locked", "登录失败次数过多，账号已暂时锁定，请稍后再试。", status=403)
    raise DomainError("invalid_credentials", "用户名或密码错误。", status=401)


@router.delete("/{int:token_id}", response={204: None, **WRITE_ERRORS}, summary="吊销接口令牌")
def revoke_token(request: HttpRequest, token_id: int):
    user = actor(request)
    token = visible_or_404(tokens_of(user), token_id, "找不到该令牌。")
    token_revoke(actor=user, token=token, request=request)
    return Status(204, None)
