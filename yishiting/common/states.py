"""docs/states/<model>.md, generated from each app's transition table (`yishiting states`)."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.apps import apps

DOCS = Path(__file__).resolve().parents[2] / "docs" / "states"


def state_tables() -> dict[str, tuple[type, dict[str, set[str]]]]:
    """{model_name: (model, TRANSITIONS)} for every app with a transitions.py naming its MODEL (or its TABLES)."""
    tables = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("yishiting."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.transitions")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "TABLES"):  # an app with several stateful models names each table
            named = module.TABLES
        elif hasattr(module, "MODEL"):
            named = {module.MODEL: module.TRANSITIONS}
        else:  # common.transitions is the helper, not a table
            continue
        for model_name, table in named.items():
            model = apps.get_model(config.label, model_name)
            tables[model._meta.model_name] = (model, table)
    return tables


def render(model, table: dict[str, set[str]], field: str = "status") -> str:
    labels = dict(model._meta.get_field(field).choices)
    lines = [f"# {model._meta.verbose_name}（{model.__name__}）的状态", "",
             f"由 `{model._meta.app_config.name}.transitions.TRANSITIONS` 生成（`yishiting states`），勿手改。", "",
             "```mermaid", "stateDiagram-v2"]
    for source in labels:
        for target in sorted(table.get(source, set())):
            lines.append(f"    {source} --> {target}")
    lines += ["```", "", "| 状态 | 含义 | 可变为 |", "|---|---|---|"]
    for source, label in labels.items():
        targets = "、".join(f"{labels[t]}（`{t}`）" for t in sorted(table.get(source, set()))) or "—（终态）"
        lines.append(f"| `{source}` | {label} | {targets} |")
    return "\n".join(lines) + "\n"


def write_all(directory: Path = DOCS) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (model, table) in sorted(state_tables().items()):
        path = directory / f"{name}.md"
        path.write_text(render(model, table), encoding="utf-8")
        written.append(path)
    return written
