import pytest

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user


@pytest.fixture
def deputy(world):
    """A 人大代表 holding the deputy role at 幸福苑社区 (C1), signed in as user "deputy"."""
    person = areas.person_create(actor=None, name="何代表", mobile="13800000021", area=world.areas["C1"])
    make_user(world, "deputy", person)
    areas.role_assign(actor=None, person=person, role=Role.DEPUTY, area=world.areas["C1"], title="人大代表")
    return world.users["deputy"]


def fresh(user):
    """The same user without the roles and links kept on the object for one request."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)
