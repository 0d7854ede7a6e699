"""Open311 answers in JSON or XML, and the spec's error format.

JSON: a list of objects. XML: <services><service>…, <service_requests><request>…, <service_definition>…,
errors as [{"code": 400, "description": "…"}] or <errors><error><code>400</code><description>…</description>
</error></errors>. The error code is the HTTP status, as the GeoReport v2 spec recommends.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_fill(parent: ElementTree.Element, data: dict[str, Any], item_names: dict[str, str]) -> None:
    for key, value in data.items():
        child = ElementTree.SubElement(parent, key)
        if isinstance(value, list):
            for entry in value:
                _xml_fill(ElementTree.SubElement(child, item_names.get(key, "item")), entry, item_names)
        else:
            child.text = _xml_value(value)


def to_xml(root: str, item: str | None, data: list[dict] | dict, item_names: dict[str, str] | None = None) -> bytes:
    """<root><item>…</item>…</root> for a list, or <root>…</root> for one object."""
    element = ElementTree.Element(root)
    for entry in (data if isinstance(data, list) else [data]):
        target = ElementTree.SubElement(element, item) if item else element
        _xml_fill(target, entry, item_names or {})
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, data: list[dict] | dict, *, root: str, item: str | None, status: int = 200,
            item_names: dict[str, str] | None = None) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, item, data, item_names)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, [{"code": status, "description": description}], root="errors", item="error",
                   status=status)
