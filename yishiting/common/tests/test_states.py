"""docs/states/*.md match the transition tables (regenerate with `yishiting states`)."""

from yishiting.common.states import DOCS, render, state_tables


def test_state_docs_are_generated_from_the_tables():
    tables = state_tables()
    assert "demand" in tables
    for name, (model, table) in tables.items():
        assert (DOCS / f"{name}.md").read_text(encoding="utf-8") == render(model, table), \
            f"docs/states/{name}.md 已过时：运行 yishiting states"
