"""/me: who am I, which roles I hold where, and what I may do."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from yishiting.api.auth import actor
from yishiting.api.schemas.common import COMMON_ERRORS
from yishiting.api.schemas.me import MeOut
from yishiting.areas.selectors import person_for_user, roles_of_user
from yishiting.common.rules import REGISTRY, has_perm

router = Router(tags=["当前用户"])


@router.get("", response={200: MeOut, **COMMON_ERRORS}, summary="当前用户")
def me(request: HttpRequest):
    """permissions 列出您在某处拥有的权限；每个角色的区域说明在哪里。"""
    user = actor(request)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "is_superuser": user.is_superuser,
        "person": person_for_user(user),
        "roles": list(roles_of_user(user)),
        "permissions": [{"name": p.name, "label": p.label} for p in REGISTRY.values() if has_perm(user, p.name)],
    }
