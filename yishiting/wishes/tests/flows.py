"""微心愿 in every state, through the services, over the personas' world (the crawl's data uses this too): the
resident posts, 幸福苑's staff review, the grid worker gives."""

from __future__ import annotations

from yishiting.wishes import services as wishes

from .conftest import png


def wishes_in_every_state(world) -> dict:
    users, staff = world.users, world.users["community_staff"]

    def post(text: str, photo: bytes | None = None):
        return wishes.wish_post(actor=users["resident"], category="daily", text=text, photo=photo)

    def approve(wish):
        return wishes.wish_approve(actor=staff, wish=wish, public_text=wish.original_text, no_money=True,
                                   no_personal_data=True)

    states = {"pending": post("想给孩子买一盏护眼台灯", png("blue"))}
    states["rejected"] = wishes.wish_reject(actor=staff, wish=post("想要 200 元买菜"), reason="微心愿不涉及现金")
    states["open"] = approve(post("想要一个助行器"))
    states["claimed"] = wishes.wish_claim(actor=users["grid_worker"], wish=approve(post("想学用智能手机")))
    done = wishes.wish_claim(actor=users["grid_worker"], wish=approve(post("想要一套围棋", png("green"))))
    done = wishes.wish_fulfil(actor=users["grid_worker"], wish=done, photo=png("yellow"), note="已送到家")
    states["fulfilled"] = wishes.wish_thank(actor=users["resident"], wish=done, text="谢谢网格员！")
    states["withdrawn"] = wishes.wish_withdraw(actor=users["resident"], wish=post("想找人修自行车"))
    states["for_elderly"] = wishes.wish_post(actor=staff, category="company", text="想有人陪着去公园走走",
                                             community=world.areas["C1"], beneficiary_note="3栋独居老人")
    return states
