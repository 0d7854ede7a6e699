"""The data the site-wide crawl (test_crawl.py) renders: matters in every state of the loop 集定议公办督评备,
built the way people build them — through the JSON API, with the locality flows' driver (tests/flows/loop.py)
talking to Django in-process instead of over a socket.

`build_crawl_data()` is the one place the data comes from; when `yishiting demo` builds a district with a
realistic history, the crawl switches by making this function run the demo instead.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.test import Client, TestCase
from django.utils import timezone

from tests.flows import loop
from tests.flows.loop import Locality, Matter, Persona, Town
from yishiting.common.testing import World, build_world
from yishiting.demands.models import ConsultationRule


class _Reply:
    """What `requests` hands back, made from a Django test response."""

    def __init__(self, response) -> None:
        self.status_code, self.headers, self.content = response.status_code, response.headers, response.content
        self.text = response.content.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class _Session:
    """Enough of `requests.Session` for the flow driver, answered by Django in-process. Each request's on-commit
    work (notifications) runs when the request ends, as it does after a real request's commit."""

    def __init__(self) -> None:
        self.client, self.headers = Client(), {}

    def request(self, method: str, url: str, timeout: float = 0, params: dict | None = None,
                json: Any = None, data: dict | None = None, files: list | None = None,
                headers: dict | None = None) -> _Reply:
        from django.core.files.uploadedfile import SimpleUploadedFile

        if params:
            url += "?" + urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})
        kwargs: dict[str, Any] = {"headers": {**self.headers, **(headers or {})}}
        if files is not None:
            form: dict[str, Any] = dict(data or {})
            for field, (name, content, kind) in files:
                form.setdefault(field, []).append(SimpleUploadedFile(name, content, kind))
            kwargs["data"] = form
        elif method != "GET":
            kwargs.update(data=_dumps(json if json is not None else {}), content_type="application/json")
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.client.generic(method, url, **kwargs) if files is None else \
                self.client.post(url, **kwargs)
        return _Reply(response)

    def close(self) -> None:
        pass


def _dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, default=str)


class InProcessPersona(Persona):
    def __init__(self, server: str, username: str) -> None:
        self.session = _Session()  # type: ignore[assignment]
        self.username, self.base = username, f"{server}/api/v1"
        token = self.call("POST", "/tokens", 201, json={"name": "手机", "username": username,
                                                         "password": loop.PERSONA_PASSWORD})
        self.session.headers["Authorization"] = f"Bearer {token['secret']}"


class InProcessTown(Town):
    def __getitem__(self, username: str) -> Persona:
        if username not in self._people:
            self._people[username] = InProcessPersona(self.server, username)
        return self._people[username]


@dataclass
class CrawlData:
    """The world of personas and, by state, the matters the crawl visits (API dicts, ids as the API gave them)."""

    world: World
    matters: dict[str, Matter]
    extra: dict[str, Any]


def _place(title: str, demand: str, **kwargs: Any) -> Locality:
    return Locality(template="kenli-345", title=title, demand=demand, resolution=f"{title}：由责任单位 30 日内完成。",
                    parties=["deputy", "property"], **kwargs)


ARCHIVED = _place("幸福苑3栋楼道照明改造", "3栋楼道灯坏了一个多月，晚上上下楼看不见，老人摔过一次")
REVIEWED = _place("幸福苑3栋电动车楼道充电整治", "3栋好几户把电动车推进楼道充电，电线从窗户拉下来，着火了跑不出去",
                  category="安全隐患")
HANDLING = _place("幸福苑小区东门路面修补", "东门进来那段路坑坑洼洼，下雨全是积水，电动车摔过好几次")
EVALUATING = _place("幸福苑3栋信报箱更换", "3栋1单元门口的信报箱锈坏了好几个，信件经常丢")
PUBLISHING = _place("幸福苑小区垃圾分类亭搬迁", "垃圾分类亭紧挨着2栋窗户，夏天味道很大，希望挪远一点")
DRAFTED = _place("幸福苑小区健身器材更新", "小区健身器材锈得厉害，有一个单杠已经松动，孩子玩很危险")
RUNNING = _place("幸福苑小区停车位划线", "晚上车停得乱，消防通道经常被堵，希望重新划线")
PLANNED = _place("幸福苑小区绿化带补种", "北边绿化带的草死了一大片，全是黄土，风一吹满天灰")


def _collect(town: Town, place: Locality) -> dict:
    """The resident's demand (the flows' `collect`, which expects it to be the resident's only one)."""
    body = {"text": place.demand, "area_id": town.area("B1")}
    if place.category:
        body["category_id"] = loop.category_id(town["resident"], place.category)
    return town["resident"].post("/demands", body, expect=201)


def _deliberate(town: Town, place: Locality) -> Matter:
    """集 定 议 as in the flows' `deliberate`: demand, topic, opinion and analysis, meeting, resolution."""
    demand = _collect(town, place)
    topic = loop.decide(town, place, demand)
    loop.consult(town, topic)
    meeting = loop.plan(town, place, topic)
    resolution = loop.hold(town, place, topic, meeting)
    return Matter(demand=demand, topic=topic, meeting=meeting, resolution=resolution)


def _publish(town: Town, matter: Matter) -> dict:
    """The notice drafted from the resolution and published (the flows' `publish` without its one-notice checks)."""
    secretary = town["community_secretary"]
    draft = secretary.post("/notices", {"resolution_id": matter.resolution["id"], "plan": loop.PLAN,
                                        "responsible": "社区居委会"}, expect=201)
    return secretary.post(f"/notices/{draft['id']}/publish", {})


def _through_publicity(town: Town, place: Locality) -> Matter:
    matter = _deliberate(town, place)
    loop.window_ends(town, _publish(town, matter))
    return matter


def _task(town: Town, matter: Matter, handler: str, title: str) -> dict:
    return loop.assign(town, "community_secretary", matter, handler, title=title, subject_kind="community",
                       supervisor="community_secretary")


def build_states(town: Town) -> tuple[dict[str, Matter], dict[str, Any]]:
    """Every state, in an order where each scheduled run (`tick`) meets only the matter it is for."""
    matters, extra = {}, {}
    # 备: the whole loop, archived (an objection answered, the task closed, the evaluation counted).
    archived = matters["archived"] = _deliberate(town, ARCHIVED)
    loop.publicise(town, archived, objection=("施工时间请避开中午", "已要求施工单位避开午休时间"))
    task = _task(town, archived, "community_staff", "更换3栋楼道声控LED灯")
    loop.work(town, "community_staff", task)
    loop.supervise(town, archived, "楼道灯已全部更换完毕，待销号核验。")
    loop.close(town, "community_secretary", task)
    round_ = loop.evaluation_opens(town, archived)
    loop.rate(town, "resident", round_, "satisfied", "很好")
    loop.evaluation_ends(town, round_)
    town["community_secretary"].post(f"/dossiers/topics/{archived.topic['id']}", expect=201)
    # 公: a major matter whose legality review waits for the street.
    reviewed = matters["reviewed"] = _deliberate(town, REVIEWED)
    loop.window_ends(town, _publish(town, reviewed))
    # 办 督: a task submitted for verification, one returned by the wrong handler, one waiting for 签收, one
    # accepted with a pending extension.
    handling = matters["handling"] = _through_publicity(town, HANDLING)
    loop.work(town, "handler", _task(town, handling, "handler", "东门路面坑洼修补"))
    loop.give_back(town, "community_staff", "community_secretary",
                   _task(town, handling, "community_staff", "东门积水排查"), "这是市政道路，不归社区")
    _task(town, handling, "handler", "东门井盖更换")  # assigned, waiting for the handler's 签收
    waiting = loop.accept(town, "handler", _task(town, handling, "handler", "东门路灯检修"))
    town["handler"].post(f"/tasks/{waiting['id']}/extensions", {
        "new_deadline": str(timezone.localdate() + timedelta(days=60)), "reason": "等待配件"}, expect=201)
    loop.supervise(town, handling, "东门路面修补已开工。")
    # 评: the task closed, the evaluation open, the resident has rated.
    evaluating = matters["evaluating"] = _through_publicity(town, EVALUATING)
    done = _task(town, evaluating, "community_staff", "更换3栋1单元信报箱")
    loop.work(town, "community_staff", done)
    loop.close(town, "community_secretary", done)
    loop.rate(town, "resident", loop.evaluation_opens(town, evaluating), "satisfied", "修好了")
    # 公 in its window (an objection not yet answered), and a notice still a draft.
    publishing = matters["publishing"] = _deliberate(town, PUBLISHING)
    notice = _publish(town, publishing)
    town["resident"].post(f"/notices/{notice['id']}/objections", {"text": "新位置离幼儿园太近"}, expect=201)
    drafted = matters["drafted"] = _deliberate(town, DRAFTED)
    town["community_secretary"].post("/notices", {"resolution_id": drafted.resolution["id"], "plan": loop.PLAN,
                                                  "responsible": "社区居委会"}, expect=201)
    matters["running"], extra["open_vote"] = _running_meeting(town)
    matters["planned"] = _planned_meeting(town)
    extra.update(_early_states(town))
    return matters, extra


def _planned_meeting(town: Town) -> Matter:
    """议: a meeting planned and its notices sent, the topic analysed."""
    demand = _collect(town, PLANNED)
    topic = loop.decide(town, PLANNED, demand)
    loop.consult(town, topic)
    return Matter(demand=demand, topic=topic, meeting=loop.plan(town, PLANNED, topic))


def _running_meeting(town: Town) -> tuple[Matter, dict]:
    """议 on the day: signed in, started, a step recorded, a show-of-hands vote open."""
    demand = _collect(town, RUNNING)
    topic = loop.decide(town, RUNNING, demand)
    loop.consult(town, topic)
    meeting = loop.plan(town, RUNNING, topic)
    url, clerk = f"/meetings/{meeting['id']}", town["community_staff"]
    loop.Clock.meeting_day(meeting["id"])
    for p in clerk.get(url)["participants"]:
        clerk.post(f"{url}/sign-in", {"code": p["sign_in_code"]})
    town["community_secretary"].post(f"{url}/start")
    clerk.post(f"{url}/steps", {"kind": "opening", "text": "议题来源：居民诉求", "topic_id": topic["id"]}, expect=201)
    vote = town["community_secretary"].post("/votes", {
        "topic_id": topic["id"], "meeting_id": meeting["id"], "question": "是否同意重新划线", "method": "hands",
        "rule": "majority"}, expect=201)
    return Matter(demand=demand, topic=topic, meeting=meeting), vote


def _early_states(town: Town) -> dict[str, Any]:
    """集 定: a demand waiting to be screened, one rejected, one handled directly; a topic in consultation."""
    resident, staff = town["resident"], town["community_staff"]
    area = town.area("B1")
    waiting = resident.upload("/demands/multipart", {"text": "3栋门口的快递柜屏幕坏了，取不了件", "area_id": str(area)},
                              [("photos", loop.photo(80))])
    rejected = resident.post("/demands", {"text": "希望社区给每户发一箱大米", "area_id": area}, expect=201)
    rule = ConsultationRule.objects.filter(kind=ConsultationRule.Kind.EXCLUDE, is_active=True).first()
    staff.post(f"/demands/{rejected['id']}/screen", {"outcome": "reject", "nature": "individual",
                                                      "reason": "不属于社区公共事务", "rejection_rule_id": rule.pk})
    direct = resident.post("/demands", {"text": "我家楼下的下水道井盖松了，踩上去晃", "area_id": area}, expect=201)
    staff.post(f"/demands/{direct['id']}/screen", {
        "outcome": "handling", "nature": "individual", "reason": "个人诉求，直接交办",
        "handler_id": town.person("handler"), "deadline": str(timezone.localdate() + timedelta(days=7))})
    consulting = resident.post("/demands", {"text": "小区里流浪猫太多，晚上叫得睡不着", "area_id": area}, expect=201)
    staff.post(f"/demands/{consulting['id']}/screen", {"outcome": "topic", "nature": "public",
                                                        "reason": "涉及全小区", "topic_title": "幸福苑小区流浪猫管理"})
    return {"waiting": waiting, "rejected": rejected, "direct": direct, "consulting": consulting}


@contextmanager
def _ticks_commit():
    """The scheduled job's on-commit work (notifications) runs when the job ends, as after its real commit."""
    tick = loop.Clock.tick

    def committed(day):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return tick(day)

    loop.Clock.tick = staticmethod(committed)
    try:
        yield
    finally:
        loop.Clock.tick = staticmethod(tick)


def build_crawl_data() -> CrawlData:
    """The one source of the crawl's data (swap in `yishiting demo` here when it builds a whole history)."""
    world = build_world()
    town = InProcessTown(world, "")
    with _ticks_commit():
        matters, extra = build_states(town)
    extra["claim"] = _pending_claim(world)
    extra["legal"] = _legal_services(world)
    extra["wishes"] = _wishes(world)
    extra["grid"] = _grid(world)  # 网格工作 (issue 20)
    extra["appointments"] = _appointments(world)
    extra["mediation"] = _mediation_states(world)
    extra["plan"] = _plan_with_points(world)
    extra["indices"] = _indices(world)
    extra["rectification"] = _rectification_states(world)
    extra["reports"] = _monthly_reports(world)
    extra["clusters"] = _cluster_states(world)
    extra["participation"] = _participation_states(world)
    extra["ledgers"] = _ledgers(world)
    extra["canteens"] = _canteen_states(world)
    extra["volunteers"] = _volunteer_states(world)
    extra["liaison"] = _liaison_states(world)
    extra["bodies"] = _body_states(world)
    extra["alliances"] = _alliance_states(world)  # 党建联盟 (issue 21)
    extra["whistles"] = _whistle_states(world)
    extra["cadres"] = _cadre_states(world)
    extra["trusts"] = _trust_states(world)  # 信托制物业 (issue 21)
    return CrawlData(world=world, matters=matters, extra=extra)


def _canteen_states(world: World) -> dict:
    """幸福食堂: today's menu at 幸福苑 with orders in every state and eligibility registrations waiting and verified
    (canteens.tests.world: the canteen, its cook, a courier, a 75-year-old and a left-behind child)."""
    from yishiting.canteens.tests.crawl_states import build_states as canteen_states

    return canteen_states(world)


def _indices(world: World) -> list:
    """堡垒指数 / 先锋指数 over everything above: 幸福苑's and 和平里's party committees, 幸福苑's estate branch,
    the secretary and the handler as members; this month's and last month's snapshots (a history to show)."""
    from yishiting.areas import services as areas
    from yishiting.areas.choices import OrganizationKind, Role
    from yishiting.oversight.indices.periods import previous
    from yishiting.oversight.indices.services import indices_compute

    a, committee = world.areas, OrganizationKind.PARTY_COMMITTEE
    c1 = areas.organization_create(actor=None, kind=committee, name="中共幸福苑社区委员会", area=a["C1"])
    areas.organization_create(actor=None, kind=committee, name="中共和平里社区委员会", area=a["C2"])
    areas.organization_create(actor=None, kind=OrganizationKind.PARTY_BRANCH, name="幸福苑小区党支部", area=a["G1"],
                              parent=c1)
    for persona in ("community_secretary", "handler"):
        areas.role_assign(actor=None, person=world.people[persona], role=Role.PARTY_MEMBER, area=a["C1"],
                          organization=c1)
    today = timezone.localdate()
    return [indices_compute(period="month", on=day) for day in (previous("month", today)[0], today)]


def _monthly_reports(world: World) -> list:
    """This month's 月报 of the street and the district (what `yishiting tick` keeps for last month)."""
    from yishiting.oversight.services import report_generate

    today = timezone.localdate()
    return [report_generate(actor=None, area=world.areas[key], month=today) for key in ("D", "S1")]


def _cluster_states(world: World) -> dict[str, Any]:
    """举一反三: street lamps out in three communities of 东风街道 (a cluster not yet raised), lifts broken in the
    same three (raised as a 类案 topic by the street official), and a new lift demand waiting to be screened,
    which the screening page offers to merge into the 类案."""
    from yishiting.oversight.clusters import clusters_in, default_period
    from yishiting.oversight.services.clusters import cluster_raise
    from yishiting.oversight.tests.clusters_world import LAMP, LIFT, add_community, report

    add_community(world)
    for text, area in zip(LAMP, ["C1", "C2", "C4"], strict=True):
        report(world, text, area)
    lifts = [report(world, LIFT[0], "C1", reporter="resident"), report(world, LIFT[1], "C2", reporter="resident2"),
             report(world, LIFT[2], "C4")]
    street, period = world.areas["S1"], default_period()
    lift = next(c for c in clusters_in(street, period) if c.seed.pk in {d.pk for d in lifts})
    raised = cluster_raise(actor=world.users["street_official"], area=street, period=period, ident=lift.id)
    waiting = report(world, "电梯坏了三天了还没修好", "C1", reporter="resident")
    return {"raised": raised, "waiting": waiting}


def _appointments(world: World) -> dict:
    """事务预约: a room, a legal advice hour and a street service; bookings booked, cancelled, checked in, missed
    (yishiting/appointments/tests/flows.py)."""
    from yishiting.appointments.tests.flows import bookings_in_every_state

    return bookings_in_every_state(world)


def _grid(world: World) -> dict:
    """网格工作: 包联, visits, patrols (one finding made a demand), a joint patrol, a 三方对话会
    (yishiting/grid/tests/flows.py)."""
    from yishiting.grid.tests.flows import grid_in_every_state

    return grid_in_every_state(world)


def _wishes(world: World) -> dict:
    """微心愿 in every state (yishiting/wishes/tests/flows.py): pending, rejected, open, claimed, fulfilled with
    photos and thanks, withdrawn."""
    from yishiting.wishes.tests.flows import wishes_in_every_state

    return wishes_in_every_state(world)


def _legal_services(world: World) -> dict:
    """The expert pool, an adviser, and 云律团 questions in every state: waiting, claimed, answered (with a photo),
    rated, escalated to the adviser, and one turned into a mediation case."""
    import io

    from PIL import Image

    from yishiting.legal import services as legal
    from yishiting.legal.models import ExpertField
    from yishiting.legal.tests.conftest import build_pool

    pool = build_pool(world)
    legal.expert_set_availability(actor=None, expert=pool.lawyer2, availability="busy",
                                  busy_until=timezone.localdate() + timedelta(days=7))
    law = ExpertField.objects.get(code="law")
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(photo, "PNG")

    def ask(text: str, photos: list[bytes] | None = None):
        return legal.consultation_ask(actor=world.users["resident"],
                                      question=legal.Question(field=law, title="", text=text, photos=photos))

    states = {"open": ask("楼上漏水泡坏了我家吊顶，能要求赔偿吗？", [photo.getvalue()])}
    for name, text in [("claimed", "物业擅自涨价，我能拒交吗？"), ("answered", "租房押金不退怎么办？"),
                       ("closed", "装修噪音扰民可以投诉到哪里？"), ("referred", "邻居占用楼道堆放杂物怎么办？")]:
        c = legal.consultation_claim(actor=world.users["lawyer"], consultation=ask(text))
        if name != "claimed":
            c = legal.consultation_answer(actor=world.users["lawyer"], consultation=c, text="可以先协商，协商不成可申请调解。")
        if name == "closed":
            c = legal.consultation_rate(actor=world.users["resident"], consultation=c, stars=5)
        if name == "referred":
            legal.consultation_refer(actor=world.users["resident"], consultation=c)
        states[name] = c
    late = ask("小区停车位被占，物业不管，怎么维权？")
    states["escalated"] = legal.consultation_escalate(actor=None, consultation=late, today=late.due_on + timedelta(days=1))
    return {"pool": pool, **states}


def _pending_claim(world: World):
    """A newcomer registered by SMS who claims a room as its tenant, waiting for the community to verify it."""
    from django.test.utils import override_settings

    from yishiting.accounts.services import account_register, sms_code_send
    from yishiting.areas.choices import ClaimRelation
    from yishiting.areas.claims import household_claim_submit
    from yishiting.common import messaging

    mobile = "13700000777"
    with override_settings(MESSAGING_BACKEND="memory"):
        sms_code_send(mobile=mobile, purpose="register")
        code = messaging.outbox[-1].text.split("验证码是 ")[1][:6]
    user = account_register(mobile=mobile, code=code, name="新住户")
    return household_claim_submit(actor=user, household=world.households["H2"], relation=ClaimRelation.TENANT)


def _mediation_states(world: World) -> dict[str, Any]:
    """调: the committees and their mediators, a case waiting to be accepted, one mediating after a failed attempt,
    one agreed with its written agreement signed, stamped and its scan attached (the 协议书 PDF/DOCX), one
    closed after an oral agreement and a return visit (the parties' rating page)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yishiting.mediation import services
    from yishiting.mediation.tests.world import accepted_case, build, dispute_demand, fail_tier, screened_case

    build(world)
    mediator, person, today = world.users["mediator"], world.people["mediator"], timezone.localdate()
    waiting = screened_case(world, dispute_demand(world, text="隔壁装修每天早上六点开工，吵得老人睡不着，请社区调解"))
    mediating = accepted_case(world)
    fail_tier(world, mediating, "mediator", 1)

    def agreed(form: str):
        case = accepted_case(world)
        services.attempt_record(actor=mediator, case=case, held_on=today, place="幸福苑社区调解室", mediators=[person],
                                parties_present=list(case.parties.all()), result="success",
                                applicant_said="要求赔偿维修费", respondent_said="同意赔偿")
        respondent = case.parties.get(side="respondent")
        agreement = services.agreement_draft(
            actor=mediator, case=case, form=form, content="王邻居修复卫生间防水，赔偿张三维修费一千元。",
            facts="王邻居家卫生间漏水泡坏张三家天花板。", disputed_points="维修费用。", responsibilities="王邻居负主要责任。",
            performance="现金支付。", perform_by=today + timedelta(days=10), oral_note="双方当场口头达成协议。",
            obligations=[services.ObligationInput(party=respondent, text="赔偿维修费一千元",
                                                  due_on=today + timedelta(days=10))])
        for party in case.parties.all():
            services.agreement_sign(actor=mediator, agreement=agreement, party=party)
        services.agreement_sign(actor=mediator, agreement=agreement, mediator=person)
        return case, agreement

    signed, agreement = agreed("written")
    services.agreement_stamp(actor=mediator, agreement=agreement)
    services.agreement_attach_scan(actor=mediator, agreement=agreement,
                                   file=SimpleUploadedFile("协议书.pdf", b"%PDF-1.4 scan", "application/pdf"))
    closed, oral = agreed("oral")
    services.obligation_check(actor=mediator, obligation=oral.obligations.get(), performed=True)
    services.visit_record(actor=mediator, case=closed, visited_on=today, note="已修好，双方满意")
    services.case_close(actor=mediator, case=closed)
    return {"waiting": waiting, "mediating": mediating, "agreed": signed, "closed": closed}


def _plan_with_points(world: World):
    """热点分布: 幸福苑小区's plan, and two demands tapped on it (the plan page, the hot-spot page, the bare plan on
    the demand form)."""
    from yishiting.demands.services import Submission, demand_submit
    from yishiting.oversight.tests.plans import at_pixel, make_plan

    plan = make_plan(world)
    for persona, text, pixel in [("resident", "3栋门口的台阶裂了，老人走路容易绊倒", (250, 125)),
                                 ("grid_worker", "小区东门路灯坏了，晚上很黑", (700, 100))]:
        demand_submit(actor=world.users[persona], submission=Submission(text=text, area=world.areas["G1"],
                                                                        **at_pixel(*pixel)))
    return plan
def _rectification_states(world: World) -> dict[str, Any]:
    """督、评: 整改清单 items in every state (issued, acknowledged with a photo report, submitted, returned, accepted,
    withdrawn; one warned red), a list to a community, the street's annual evaluation of its agency and a kept
    rating of last year (the history a property company's 服务信用 is read from)."""
    from yishiting.handling.tests.tasks_world import photo
    from yishiting.oversight.models import RectificationItem, UnitRating
    from yishiting.oversight.services import rectification as rect
    from yishiting.oversight.services.ratings import annual_evaluation_save
    from yishiting.oversight.tests.world import build, issue
    from yishiting.oversight.warnings import rectification_tick

    build(world)
    handler, official = world.users["handler"], world.users["street_official"]
    items = list(issue(world, days=(3, 5, 5, 5, 10, 10)).items.order_by("seq"))
    for item in items[1:5]:
        rect.rectification_acknowledge(actor=handler, item=item)
    rect.rectification_report(actor=handler, item=items[1], text="已清理一半，剩余杂物明天运走", photos=[photo()])
    for item in items[2:5]:
        rect.rectification_submit(actor=handler, item=item, text="已全部清理")
    rect.rectification_return(actor=official, item=items[3], reason="东侧墙角仍有杂物")
    rect.rectification_accept(actor=official, item=items[4], note="验收合格")
    rect.rectification_cancel(actor=official, item=items[5], reason="与第1项重复")
    RectificationItem.objects.filter(pk=items[0].pk).update(deadline=timezone.localdate() - timedelta(days=3))
    with TestCase.captureOnCommitCallbacks(execute=True):
        rectification_tick()
    community = rect.rectification_issue(actor=official, title="社区党建阵地整改", target_area=world.areas["C1"],
                                         items=[rect.ItemInput("党员活动室台账不全，补齐近三年记录", 10)])
    issue(world, by="community_secretary", org="property", title="小区物业服务整改清单", days=(7,))
    annual_evaluation_save(actor=official, evaluator_area=world.areas["S1"], organization=world.organizations["agency"],
                           year=timezone.localdate().year, score=88, comment="响应及时，个别事项需督促")
    UnitRating.objects.create(organization=world.organizations["property"], path=world.organizations["property"].path,
                              year=timezone.localdate().year - 1, score="86.5", grade="B",
                              derivation={"year": timezone.localdate().year - 1, "parts": []})
    return {"items": items, "community": community}


def _ledgers(world: World) -> dict:
    """积分、积分超市、时间银行: a rated service credited to the resident (points and hours), an item of 幸福苑社区,
    one redemption waiting with its code and one handed over."""
    from yishiting.ledgers import services as ledgers
    from yishiting.ledgers.models import Item
    from yishiting.ledgers.processor import process_events
    from yishiting.ledgers.tests.conftest import earned, service_rule

    service_rule(award_roles=["community_staff"])
    item = Item.objects.create(community=world.areas["C1"], name="洗衣液", price=10, stock=5)
    process_events([earned(world).pk, earned(world).pk])
    resident = world.users["resident"]
    waiting = ledgers.redemption_create(actor=resident, person=world.people["resident"], item=item)
    handed = ledgers.redemption_create(actor=resident, person=world.people["resident"], item=item)
    ledgers.redemption_hand_over(actor=world.users["community_staff"], code=handed.code)
    return {"item": item, "waiting": waiting}


def _participation_states(world: World) -> dict:
    """双报到 and the service menu (participation): a unit and its members registered with 幸福苑社区, and an order
    in every state — waiting for dispatch, offered, escalated, being served, reported with a photo, rated (on
    the showcase), cancelled — a service record to rate and this quarter's assessments."""
    from yishiting.participation import services as part
    from yishiting.participation.tests.world import build_cast, photo

    cast = build_cast(world)
    staff, member, resident = cast.user("community_staff"), cast.user("member"), cast.user("resident")

    def order(title: str, upto: str):
        o = part.order_place(actor=resident, title=title, text="电话13800000001")
        steps = ["dispatched", "accepted", "reported", "rated"]
        for step in steps[: steps.index(upto) + 1] if upto in steps else []:
            if step == "dispatched":
                o = part.order_dispatch(actor=staff, order=o, providers=[cast.member_provider, cast.unit_provider])
            elif step == "accepted":
                o = part.order_accept(actor=member, order=o)
            elif step == "reported":
                o = part.order_report(actor=member, order=o, report=part.Report("已上门服务", "1.5", [photo()]))
            else:
                o = part.order_rate(actor=resident, order=o, stars=5, comment="很好")
        return o

    states = {s: order(f"服务{s}", s) for s in ("submitted", "dispatched", "accepted", "reported", "rated")}
    late = order("超时订单", "dispatched")
    part.order_escalate(order=late, now=late.accept_due + timedelta(minutes=1))
    part.order_cancel(actor=resident, order=order("取消的订单", "submitted"))
    part.service_record_add(actor=member, member=cast.member, what="楼道清理", served_on=timezone.localdate(),
                            hours="2", served_person=world.people["resident"])
    year, quarter = part.quarter_of(timezone.localdate())
    part.assessment_write(actor=staff, year=year, quarter=quarter, unit=cast.unit, grade="good", reasons="按协议开展服务")
    return states


def _liaison_states(world: World) -> dict:
    """挂点联系 and 党代表联系群众 (issue 20): a link in force, an ended one, a deputy's records (liaison/tests/states.py)."""
    from yishiting.liaison.tests.states import build_states

    return build_states(world)


def _cadre_states(world: World) -> dict:
    """干部成长档案 (issue 21): archives, a programme with credits, reports and pledges in every state."""
    from yishiting.cadres.tests.states import build_states

    return build_states(world)


def _body_states(world: World) -> dict:
    """议事组织 (issue 20): a community council and an estate council with seats in every state."""
    from yishiting.bodies.tests.states import build_states

    return build_states(world)


def _alliance_states(world: World) -> dict:
    """党建联盟 (issue 21): an alliance with members, votes, tasks, meetings and ratings in every state."""
    from yishiting.alliances.tests.states import build_states

    return build_states(world)


def _volunteer_states(world: World) -> dict:
    """志愿服务 (issue 19): teams, activities and 公益服务岗 in every state (volunteers/tests/states.py)."""
    from yishiting.volunteers.tests.states import build_states

    return build_states(world)


def _whistle_states(world: World) -> dict:
    """吹哨·应哨 (issue 20): whistles open, answered, closed with a late unit, withdrawn (whistles/tests/states.py)."""
    from yishiting.whistles.tests.states import build_states

    return build_states(world)


def _trust_states(world: World) -> dict:
    """信托制物业 (issue 21): a fund with lines, expenses paid, refused and pending, questions; disclosures."""
    from yishiting.trusts.tests.states import build_states

    return build_states(world)
