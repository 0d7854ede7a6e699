"""Pieces shared by the schemas: strict input, the error shape, and short references to related objects."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, get_args

from annotated_types import MaxLen
from ninja import Schema
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from yishiting.common.text import MAX_TEXT_LENGTH, text_problem

_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?")


def checked_text(value: Any, max_length: int | None) -> Any:
    """The product's text rule (common.text) on a value as sent: a string, or strings inside lists and objects."""
    if isinstance(value, str):
        if problem := text_problem(value, max_length=max_length):
            raise PydanticCustomError(problem[0], problem[1])
    elif isinstance(value, list | tuple):
        for item in value:
            checked_text(item, max_length)
    elif isinstance(value, dict):
        for key, item in value.items():
            checked_text(key, max_length)
            checked_text(item, max_length)
    return value


class CheckedSchema(Schema):
    """Every string a request sends — body, form or query — is checked against the product's text rule
    before anything else reads it: 422 naming the field (docs/text-input.md)."""

    @field_validator("*", mode="before")
    @classmethod
    def _acceptable_text(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _is_date(field.annotation):
            _refuse_timestamps(value, field.annotation)
        own = field is not None and any(isinstance(m, MaxLen) for m in field.metadata)
        return checked_text(value, None if own else MAX_TEXT_LENGTH)


def _is_date(annotation: Any) -> bool:
    return annotation in (date, datetime) or any(arg in (date, datetime) for arg in get_args(annotation))


def _refuse_timestamps(value: Any, annotation: Any) -> None:
    """Dates are written as dates (2026-03-02, 2026-03-02T08:30): pydantic would read a number — `start=0` — as
    seconds since 1970, which nobody means."""
    number = isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value.strip()))
    if number:
        kind = "datetime" if datetime in (annotation, *get_args(annotation)) else "date"
        raise PydanticCustomError(f"{kind}_parsing", "日期格式不正确。")


class InputSchema(CheckedSchema):
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
