"""微心愿 in the demo: the persona resident's wish for her child fulfilled by a neighbour and thanked; a radio for
an elderly man living alone, posted by the community's staff on his behalf and given by a 双报到 unit; one wish
open, one claimed by the grid worker, one rejected (it asked for money), and the resident's newest wish waiting
for review — the states a newcomer should see on the wish wall and the staff's queue. Written through the wishes
services, as the people themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from yishiting.accounts.models import User
from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.wishes import services as wishes

from .cast import Cast
from .steps import photo


def wishes_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    resident, staff, secretary = cast.user("resident"), cast.user("community_staff"), cast.user("community_secretary")
    helper, asker = cast.neighbours[0].user, cast.neighbours[2].user

    def approve(wish, text: str, by=staff):
        return wishes.wish_approve(actor=by, wish=wish, public_text=text, no_money=True, no_personal_data=True)

    yield at(30, 20)
    books = wishes.wish_post(actor=resident, category="study", text="孩子上四年级，想要一套课外读物，谢谢大家")
    yield at(29, 10)
    books = approve(books, "一位四年级的孩子想要一套课外读物")
    yield at(28, 19)
    books = wishes.wish_claim(actor=helper, wish=books)
    yield at(25, 18)
    books = wishes.wish_fulfil(actor=helper, wish=books, photo=photo(21)[1], note="已把书送到孩子手里")
    yield at(25, 20)
    wishes.wish_thank(actor=resident, wish=books, text="孩子很喜欢，谢谢好心的邻居！")

    yield at(20, 9)
    unit = areas.organization_create(actor=None, kind=OrganizationKind.DUAL_REGISTRATION_UNIT, name="区税务局",
                                     area=cast.community)
    areas.role_assign(actor=None, person=cast.neighbours[1], role=Role.ORG_REPRESENTATIVE, area=cast.community,
                      organization=unit)
    rep = User.objects.get(pk=cast.neighbours[1].user_id)  # a fresh object: its roles now include 单位代表
    radio = wishes.wish_post(actor=staff, category="company", text="独居老人，眼睛不好，想要一台能听戏的收音机",
                             community=cast.community, beneficiary_note=f"{cast.building.name}独居老人")
    yield at(19, 9)
    radio = approve(radio, "一位独居老人想要一台能听戏的收音机", by=secretary)
    yield at(18, 15)
    radio = wishes.wish_claim(actor=rep, wish=radio, organization=unit)
    yield at(15, 16)
    wishes.wish_fulfil(actor=rep, wish=radio, photo=photo(22)[1], note="单位党员上门送去并教会老人使用")

    yield at(6, 9)
    money = wishes.wish_post(actor=asker, category="other", text="最近手头紧，想要 300 元买菜")
    yield at(5, 10)
    wishes.wish_reject(actor=staff, wish=money, reason="微心愿不涉及现金，已转社区救助窗口联系您")
    bike = wishes.wish_post(actor=asker, category="repair", text="想请会修车的邻居帮忙修一下孩子的自行车")
    yield at(5, 11)
    approve(bike, "想请会修车的邻居帮忙修一辆孩子的自行车")
    phone = wishes.wish_post(actor=asker, category="company", text="想学会用智能手机挂号和视频通话")
    yield at(4, 10)
    phone = approve(phone, "一位老人想学会用智能手机挂号和视频通话")
    yield at(3, 17)
    wishes.wish_claim(actor=cast.user("grid_worker"), wish=phone)
    yield at(1, 21)
    wishes.wish_post(actor=resident, category="health", text="家里老人高血压，想要一个电子血压计")
