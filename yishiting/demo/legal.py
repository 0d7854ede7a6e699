"""云律团 in the demo: a lawyer of the district pool and another appointed legal adviser of the
persona community, and the resident's questions in the states a newcomer should see (answered with a photo and
rated, one still waiting to be claimed). Written through the legal services, as the people themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from yishiting.accounts.models import User
from yishiting.areas.choices import ExpertLevel
from yishiting.areas.models import Person
from yishiting.legal import services as legal
from yishiting.legal.models import Expert, ExpertField

from .cast import Cast
from .steps import photo


def _expert(cast: Cast, username: str, person: Person, level: int, area, title: str) -> Expert:
    """Give a resident of the district an account (unusable password, as the neighbours') and a pool entry."""
    user, _ = User.objects.get_or_create(username=username, defaults={"password": make_password(None)})
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])
    fields = list(ExpertField.objects.filter(code__in=["law", "property_mgmt", "family"]))
    return legal.expert_save(actor=None, person=person, level=level, area=area, fields=fields, is_lawyer=True,
                             title=title)


def legal_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    yield at(40, 9)
    exclude = {p.pk for p in cast.neighbours} | {cast.person("resident").pk}
    first, second = cast.residents_of(cast.street, 2, exclude=exclude)
    lawyer = _expert(cast, "demo_lawyer", first, ExpertLevel.DISTRICT, cast.district, "执业律师")
    adviser = _expert(cast, "demo_adviser", second, ExpertLevel.COMMUNITY, cast.community, "社区法律顾问")
    today = at(40, 9).date()
    legal.adviser_appoint(actor=None, community=cast.community, expert=adviser, starts_on=today - timedelta(days=100),
                          ends_on=today + timedelta(days=265))
    law = ExpertField.objects.get(code="law")
    resident = cast.user("resident")

    def ask(text: str, photos: list[bytes] | None = None):
        return legal.consultation_ask(actor=resident, question=legal.Question(field=law, title="", text=text,
                                                                              photos=photos))

    yield at(12, 20)
    asked = ask("楼上装修把我家卫生间顶棚弄裂了，物业说不归他们管，我能找谁赔？", [photo(11)[1]])
    yield at(11, 10)
    claimed = legal.consultation_claim(actor=lawyer.person.user, consultation=asked)
    yield at(11, 15)
    answered = legal.consultation_answer(
        actor=lawyer.person.user, consultation=claimed,
        text="可以要求楼上住户赔偿维修费用，先保留照片和维修报价；协商不成可申请社区人民调解，或向法院起诉。")
    yield at(10, 19)
    legal.consultation_rate(actor=resident, consultation=answered, stars=5, comment="回答很清楚，谢谢律师。")
    yield at(1, 21)
    ask("租的房子到期了，房东以墙面有污渍为由扣了一个月押金，合理吗？")
