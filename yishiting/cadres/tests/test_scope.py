"""Who sees which archive: a cadre only their own, a mentor their mentees', the office its area's (a street
official not another street's), a resident none; the public pledge page names the cadre and post only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from .. import selectors, services
from .conftest import fresh

pytestmark = pytest.mark.django_db


def _seen(user) -> set[str]:
    return set(selectors.archives_visible_to(fresh(user)).values_list("person__name", flat=True))


def test_archive_scope_by_role_and_relation(world, training):
    u = world.users
    assert _seen(u["grid_worker"]) == {"赵网格"}  # a cadre: their own
    assert _seen(u["community_secretary"]) == {"孙书记"}
    assert _seen(u["cadre_mentor"]) == {"赵网格"}  # a mentor: their mentee
    assert _seen(u["street_official"]) == {"赵网格", "孙书记"}  # the office: its street, not 湖滨社区
    assert _seen(u["district_official"]) == {"赵网格", "孙书记", "湖滨干部"}
    assert _seen(u["resident"]) == set() and _seen(u["community_staff"]) == set()
    services.mentorship_end(actor=u["street_official"], mentorship=training.cadre.mentorships.get())
    assert _seen(u["cadre_mentor"]) == set()  # rotated off: no longer reads the archive


def test_pages_answer_404_outside_the_scope(world, training):
    own, other = Client(), Client()
    own.force_login(world.users["grid_worker"])
    other.force_login(world.users["community_secretary"])
    url = f"/cadres/archives/{training.cadre.pk}/"
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 404
    assert own.get(f"/cadres/archives/{training.secretary.pk}/").status_code == 404


def test_the_public_page_shows_name_post_and_progress_only(world, training):
    services.pledge_publish(actor=world.users["grid_worker"], what="建立网格微信群", measure="覆盖全部住户",
                            due_on=timezone.localdate() + timedelta(days=10))
    page = Client().get(f"/cadres/public/{world.areas['S1'].pk}/").content.decode()
    assert "赵网格" in page and "专职网格员" in page and "建立网格微信群" in page
    assert "13800000004" not in page and "138****" not in page  # no contact data at all
    assert "湖滨干部" not in page
