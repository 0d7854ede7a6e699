"""A young cadre in training who holds no office or grid role is found by the people picker (by name, never
listed) for an archive, then for a programme and a mentor (issue 21)."""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.areas import services as areas
from yishiting.cadres.models import Cadre, Mentorship

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _found(client: Client, url: str, person) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return f'value="{person.pk}"' in response.content.decode()


def test_a_trainee_without_a_role_gets_an_archive_a_programme_and_a_mentor(world, training):
    young = areas.person_create(actor=None, name="周小青", mobile="13800000061", area=world.areas["U1"])
    elsewhere = areas.person_create(actor=None, name="周小青", mobile="13800000062", area=world.areas["C3"])
    office = _client(world.users["street_official"])
    form = office.get("/cadres/archives/new/").content.decode()
    assert "data-picker" in form and 'name="person_q"' in form and '<select name="person"' not in form
    pick = "/pick/cadre_person/?name=person&person_q="
    assert _found(office, pick + "周小青", young) and not _found(office, pick + "周小青", elsewhere)
    assert 'value="' not in office.get(pick).content.decode()  # nothing typed: no list
    assert _client(world.users["resident"]).get(pick + "周小青").status_code == 403
    # without JavaScript the typed name comes back with the matches to pick from
    fallback = office.post(
        "/cadres/archives/new/",
        {"person_q": "周小青", "kind": "young", "area": world.areas["C1"].pk, "post": "见习"},
    )
    assert fallback.status_code == 400 and f'value="{young.pk}"' in fallback.content.decode()
    response = office.post(
        "/cadres/archives/new/",
        {"person": young.pk, "kind": "young", "area": world.areas["C1"].pk, "post": "见习社工"},
    )
    cadre = Cadre.objects.get(person=young)
    assert response.status_code == 302 and response["Location"] == f"/cadres/archives/{cadre.pk}/"
    assert (
        "已有成长档案"
        in office.post(
            "/cadres/archives/new/",
            {"person": young.pk, "kind": "young", "area": world.areas["C1"].pk, "post": "见习"},
        ).content.decode()
    )

    programme = training.programme
    page = office.get(f"/cadres/programmes/{programme.pk}/").content.decode()
    assert f"/pick/cadre_trainee/?name=person&amp;programme={programme.pk}" in page
    trainee = f"/pick/cadre_trainee/?name=person&programme={programme.pk}&person_q="
    assert _found(office, trainee + "周小青", young)
    assert not _found(office, trainee + "赵网格", world.people["grid_worker"])  # already enrolled
    office.post(f"/cadres/programmes/{programme.pk}/enrol/", {"person": young.pk})
    assert programme.cadres.filter(pk=cadre.pk).exists()
    assert not _found(office, trainee + "周小青", young)

    office.post(f"/cadres/archives/{cadre.pk}/mentors/", {"mentor": training.mentor.pk})
    assert Mentorship.objects.filter(cadre=cadre, mentor=training.mentor, is_active=True).exists()
