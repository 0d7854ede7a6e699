""""我的接口令牌": create (the secret is shown once), list and revoke one's own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yishiting.accounts.selectors import tokens_of
from yishiting.accounts.services import token_create, token_revoke
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm

from ..forms.tokens import TokenCreateForm


def _may_use_tokens(user) -> None:
    """API tokens are a work tool (areas.browse) or an admin's: residents and registrants are refused."""
    if not (user.is_staff or has_perm(user, "areas.browse")):
        raise PermissionDenied("areas.browse")


@never_cache  # the page that shows a new secret must never be cached
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    _may_use_tokens(request.user)
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    created = secret = None
    if form.is_valid():
        try:
            created, secret = token_create(actor=request.user, name=form.cleaned_data["name"], request=request)
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            form = TokenCreateForm()
    return render(request, "web/pages/accounts/tokens.html", {
        "form": form, "tokens": tokens_of(request.user), "created": created, "secret": secret,
    })


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # not gated like the list: whoever holds a token may always revoke it
    token = get_object_or_404(tokens_of(request.user), pk=pk)  # someone else's token: 404
    token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("令牌“%(name)s”已吊销，使用它的程序将无法再访问接口。") % {"name": token.name})
    return redirect("web:tokens")
