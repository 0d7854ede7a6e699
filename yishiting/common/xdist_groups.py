"""Keeps each `xdist_group` of the test suite on one worker (the root conftest.py calls this at collection).

`--dist loadgroup` sends a group's tests to one worker by the "@group" suffix pytest-xdist appends to each
worker's node ids. pytest-xdist 3.8 writes it to `item._nodeid`, which pytest 9.2 no longer reads (a node's id is
`item._id`), so the suffix is lost and the group's tests are spread over the workers: each worker then builds a
crawl's data for itself. `keep_groups_together` appends the suffix where pytest reads it, once (an xdist that has
done it already is left alone). No Django here: common/tests/test_xdist_groups.py runs it in a bare pytest.
"""

from __future__ import annotations


def group_names(item) -> set[str]:
    """The item's `xdist_group` names, as pytest-xdist reads them (a mark without a name is "default")."""
    return {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")}


def keep_groups_together(items) -> None:
    from _pytest.nodeid import coerce_node_id  # pytest ≥ 9.2; older pytest reads the suffix xdist writes

    for item in items:
        names = group_names(item)
        if names and item.nodeid.rfind("@") <= item.nodeid.rfind("]"):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")
