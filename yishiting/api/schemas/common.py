"""Pieces shared by the schemas: strict input, the error shape, and short references to related objects."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    """Request bodies reject fields they do not know, so a typo ("nmae") is an error and not silently lost."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorOut(Schema):
    """统一的错误格式：code 供程序判断，message 为中文说明，details 为细节。"""

    code: str
    message: str
    details: Any = None


class AreaRef(Schema):
    id: int
    name: str
    full_name: str


class OrganizationRef(Schema):
    id: int
    name: str


# Responses every endpoint may give, for the OpenAPI document.
COMMON_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, 413: ErrorOut, **COMMON_ERRORS}
