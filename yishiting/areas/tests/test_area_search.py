"""The area finder reads an estate and its building (and unit) together, as people say them: the README's
examples are run here against the demo district, so they cannot go stale."""

import re
from pathlib import Path

import pytest

from yishiting.areas import services
from yishiting.areas.demo import demo_build
from yishiting.areas.models import Area
from yishiting.areas.selectors import areas_filter

README = Path(__file__).resolve().parents[3] / "README.md"


def first_match(term: str) -> Area | None:
    return areas_filter(Area.objects.all(), q=term).order_by("path").first()


@pytest.mark.django_db
def test_the_readme_examples_find_their_building_in_the_demo():
    demo_build(seed=2026, streets=1, communities_per_street=2)
    examples = re.findall(r"`([a-z0-9]+)` → (\S+) (\S+?)[、：）]", README.read_text(encoding="utf-8"))
    assert len(examples) >= 2, "the README shows pinyin examples of the area finder"
    for term, estate, building in examples:
        found = first_match(term)
        assert found is not None and found.full_name.endswith(f"{estate}/{building}"), (term, found)
    assert first_match("xfjy1").name == "1号楼" and first_match("幸福佳园1号楼").name == "1号楼"
    assert first_match("xfjy1hl1dy").full_name.endswith("幸福佳园/1号楼/1单元")
    assert first_match("1hl") is not None  # the building's own name alone still works


def test_the_key_reads_names_together_but_never_with_the_district():
    key = services.area_search_key("幸福区/东风街道/幸福社区/幸福佳园/1号楼")
    assert key.split()[0] == "1hl" and "xfjy1hl" in key and "幸福佳园1号楼" in key and "xfsqxfjy1hl" in key
    assert services.area_search_key("幸福区/东风街道") == "dfjd dongfengjiedao"  # no "xfqdfjd"


@pytest.mark.django_db
def test_renaming_an_estate_updates_the_keys_below(world):
    services.area_rename(actor=world.users["admin"], area=world.areas["G1"], name="金桂小区")
    world.areas["B1"].refresh_from_db()
    assert "jgxqxfy3d" in world.areas["B1"].search_key
