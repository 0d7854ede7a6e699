"""The driver of the locality flows (tests/flows/test_loop_*.py): people on their own devices talking to a live
server over a real socket, and the steps of the loop 集定议公办督评备 that every locality shares.

Each step is what people do and what they see — asserted — and takes what differs per locality from a
`Locality` (template, who sits at the table, the matter). Only the clock is moved outside HTTP (`Clock`): a
meeting held on its planned day, the publicity window and the evaluation period ending, the way cron runs
`yishiting tick`. Everything a person does goes through the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import StringIO
from itertools import count
from typing import Any

import requests
from django.core.management import call_command
from django.utils import timezone

from yishiting.common.dates import day_text
from yishiting.common.testing import PERSONA_PASSWORD, World

TIMEOUT = 30
_mobiles = count(1)


class Persona:
    """Someone using the API from their own device: logs in over the socket for a token, then sends JSON."""

    def __init__(self, server: str, username: str) -> None:
        self.username, self.base = username, f"{server}/api/v1"
        self.session = requests.Session()
        token = self.call("POST", "/tokens", 201, json={"name": "手机", "username": username,
                                                         "password": PERSONA_PASSWORD})
        self.session.headers["Authorization"] = f"Bearer {token['secret']}"

    def call(self, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        response = self.session.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
        assert response.status_code == expect, (
            f"{self.username} {method} {path}: {response.status_code} (expected {expect}) {response.text[:2000]}")
        return response.json() if response.headers.get("Content-Type", "").startswith("application/json") \
            else response

    def get(self, path: str, expect: int = 200, **params: Any) -> Any:
        return self.call("GET", path, expect, params=params)

    def post(self, path: str, body: dict | None = None, expect: int = 200, **headers: str) -> Any:
        return self.call("POST", path, expect, json=body or {}, headers=headers)

    def upload(self, path: str, data: dict, files: list[tuple[str, tuple[str, bytes, str]]],
               expect: int = 201) -> Any:
        """multipart/form-data, as a phone sends photos."""
        return self.call("POST", path, expect, data=data, files=files)

    def refused(self, path: str, body: dict | None, status: int, code: str | None = None) -> dict:
        """A POST the API turns down with its one error shape and a Chinese message."""
        error = self.post(path, body, expect=status)
        assert set(error) == {"code", "message", "details"}, error
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error
        assert code is None or error["code"] == code, error
        return error

    def items(self, path: str, **params: Any) -> list[dict]:
        """The first page of a list (the flows' lists stay short)."""
        return self.get(path, **params)["items"]

    def messages(self) -> list[str]:
        return [n["text"] for n in self.items("/me/notifications", page_size=200)]


class Town:
    """The personas of the test world, each logged in once on first use, and the world's ids."""

    def __init__(self, world: World, server: str) -> None:
        self.world, self.server = world, server
        self._people: dict[str, Persona] = {}

    def __getitem__(self, username: str) -> Persona:
        if username not in self._people:
            self._people[username] = Persona(self.server, username)
        return self._people[username]

    def close(self) -> None:
        for persona in self._people.values():
            persona.session.close()

    def area(self, code: str) -> int:
        return self.world.areas[code].pk

    def person(self, username: str) -> int:
        return self.world.people[username].pk


@dataclass
class Locality:
    """What one locality's flow does differently: its template, the matter, and who sits at the table."""

    template: str
    title: str
    demand: str
    resolution: str
    form: str = "round_table"
    # Party codes of the people the community registers and invites (the resident and the chair come too).
    parties: list[str] = field(default_factory=list)
    category: str | None = None
    level: str = "C1"
    scope: str = "G1"
    extra: dict[str, str] = field(default_factory=dict)  # persona → party, for personas who also attend
    # The locality's topics are formed by screening the demand (Altay's 诉求收集—议题筛选), not opened by the
    # secretary first.
    formed_by_screening: bool = False


@dataclass
class Matter:
    """What a flow carries from step to step (ids as the API gave them)."""

    demand: dict
    topic: dict
    meeting: dict | None = None
    resolution: dict | None = None


class Clock:
    """Time passing: the only actions of a flow that are not a person's request."""

    @staticmethod
    def meeting_day(meeting_id: int) -> None:
        """The days of notice have passed: the meeting is now."""
        from yishiting.deliberation.models import Meeting
        from yishiting.deliberation.tests.test_meetings import meeting_day

        meeting_day(Meeting.objects.get(pk=meeting_id))

    @staticmethod
    def tick(day: date) -> str:
        """The scheduled job runs that day, the way cron does (`yishiting tick --today`)."""
        out = StringIO()
        call_command("tick", today=day.isoformat(), stdout=out, stderr=StringIO())
        return out.getvalue()


# ---- 集 collect, 定 decide ------------------------------------------------------------------------------

def category_id(person: Persona, name: str) -> int:
    return next(c["id"] for c in person.get("/categories") if c["name"] == name)


def collect(town: Town, place: Locality) -> dict:
    """The resident types the matter on their phone; it is theirs to follow under 我的诉求."""
    resident = town["resident"]
    body = {"text": place.demand, "area_id": town.area("B1")}
    if place.category:
        body["category_id"] = category_id(resident, place.category)
    demand = resident.post("/demands", body, expect=201)
    assert demand["status_label"] == "待筛选", demand["status_label"]
    assert [d["id"] for d in resident.items("/me/demands")] == [demand["id"]]
    return demand


def adopt(town: Town, place: Locality) -> None:
    """The district's admin sets the community's template (模板按区域适用); the estate below inherits it. The
    platform's default (Kenli's) needs no setting."""
    if place.template == "kenli-345":
        return
    admin = town["admin"]
    body = {"area_id": town.area(place.level), "template_code": place.template, "reason": "本社区采用该地做法"}
    assert admin.post("/templates/assignments", body)["template"]["code"] == place.template
    assert admin.post("/templates/assignments", body)["template"]["code"] == place.template  # a retry: the same
    below = town["community_secretary"].get(f"/templates/areas/{town.area(place.scope)}")
    assert (below["template"]["code"], below["source"]["id"]) == (place.template, town.area(place.level))


def open_topic(town: Town, place: Locality, **extra: Any) -> dict:
    """The secretary opens the topic (提议); its template is the area's, never picked."""
    return town["community_secretary"].post("/topics", {
        "title": place.title, "description": place.demand, "level_area_id": town.area(place.level),
        "scope_area_id": town.area(place.scope), **extra}, expect=201)


def decide(town: Town, place: Locality, demand: dict, topic: dict | None = None) -> dict:
    """Community staff screen the demand into a topic on the template of the community's area. Where screening
    forms topics (the default, Altay) it opens a new one; elsewhere the secretary has opened the topic (提议;
    `topic`, or opened here) and the demand is screened into it."""
    adopt(town, place)
    staff, secretary = town["community_staff"], town["community_secretary"]
    assert demand["id"] in [d["id"] for d in staff.items("/demands/inbox")]
    decision = {"outcome": "topic", "nature": "public", "reason": "涉及全楼住户的公共事务"}
    if place.template == "kenli-345" or place.formed_by_screening:
        decision["topic_title"] = place.title
    else:
        decision["topic_id"] = (topic or open_topic(town, place))["id"]
    screened = staff.post(f"/demands/{demand['id']}/screen", decision)
    assert screened["status_label"] == "已转为议题"
    topic = next(t for t in secretary.items("/topics", q=place.title))
    assert (topic["template_code"], topic["status_label"]) == (place.template, "征求意见")
    return secretary.get(f"/topics/{topic['id']}")


def resident_follows(town: Town, demand: dict, *expected: str) -> list[str]:
    """The resident reads their demand's timeline: plain Chinese sentences, each expected phrase in order."""
    lines = [e["text"] for e in town["resident"].get(f"/demands/{demand['id']}")["timeline"]]
    at = 0
    for phrase in expected:
        found = [i for i, line in enumerate(lines) if i >= at and phrase in line]
        assert found, f"“{phrase}” not in the timeline after line {at}: {lines}"
        at = found[0]
    return lines


# ---- 议 deliberate --------------------------------------------------------------------------------------

def consult(town: Town, topic: dict) -> dict:
    """征求意见 and 分析研判: the resident gives an opinion, the secretary records the analysis."""
    mine = town["resident"].post(f"/topics/{topic['id']}/opinions", {"stance": "support", "text": "早点办，老人多"})
    assert (mine["person"], mine["stance_label"]) == ("张*", "支持")
    analysed = town["community_secretary"].post(f"/topics/{topic['id']}/analysis", {
        "analysis": "可行：费用、工期和责任单位已初步落实。", "draft_plan": "由责任单位实施，30 日内完成。"})
    assert analysed["status_label"] == "分析研判" and analysed["opinion_counts"]["support"] == 1
    return analysed


NAMES = "刘建华 陈秀兰 杨国庆 黄丽娟 吴志强 徐海燕 胡德胜 朱玉梅 高文斌 林春花 何永明 郭淑芬 马宏伟 罗桂英 梁振东 宋雪梅"


# What makes a registered person hold their party (deliberation/selectors/parties.py): a role, or membership of
# an organisation of that kind serving the estate (物业、业委会) or the community (社会组织).
HOLDING_ROLE = {"resident": ("resident", "G1"), "grid_worker": ("grid_worker", "G1"), "deputy": ("deputy", "C1"),
                "legal_adviser": ("lawyer", "C1"), "dual_registration": ("inservice_party_member", "C1")}
HOLDING_ORG = {"property": ("property_company", "G1", "幸福苑物业服务中心"),
               "owners_committee": ("owners_committee", "G1", "幸福苑小区业主委员会"),
               "social_org": ("social_organization", "C1", "幸福苑社工服务站")}


def hold_party(town: Town, person: int, party: str) -> None:
    """The administrator records what the person holds (the parties' check counts only real holders)."""
    admin = town["admin"]
    if party in HOLDING_ROLE:
        role, area = HOLDING_ROLE[party]
        admin.post("/roles", {"person_id": person, "role": role, "area_id": town.area(area)}, expect=201)
    elif party in HOLDING_ORG:
        kind, area, name = HOLDING_ORG[party]
        orgs = town.__dict__.setdefault("orgs", {})
        if kind not in orgs:
            orgs[kind] = admin.post("/organizations", {"kind": kind, "name": name, "area_id": town.area(area)},
                                    expect=201)["id"]
        admin.post("/roles", {"person_id": person, "role": "org_representative", "area_id": town.area(area),
                              "organization_id": orgs[kind]}, expect=201)


def register(town: Town, parties: list[str]) -> list[tuple[int, str]]:
    """Community staff register the invited people (the register the meeting plan draws on), and the
    administrator their roles."""
    staff, names = town["community_staff"], NAMES.split()
    people = []
    for i, party in enumerate(parties):
        person = staff.post("/people", {"name": names[i % len(names)], "mobile": f"1390{next(_mobiles):07d}",
                                        "area_id": town.area("C1")}, expect=201)
        hold_party(town, person["id"], party)
        people.append((person["id"], party))
    return people


def _starts(notice_days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=notice_days + 1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, 19, 0))


def plan_body(town: Town, place: Locality, topic: dict, invitees: list[tuple[int, str]], venue: int) -> dict:
    starts = _starts(5)
    return {"title": f"{place.title}协商会", "form": place.form, "template_code": place.template,
            "level_area_id": town.area(place.level), "venue_id": venue, "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "chair_id": town.person("community_secretary"),
            "topic_ids": [topic["id"]], "requirements": "请携带相关材料，准时参加。",
            "participants": [{"person_id": pk, "party": party, "is_council_member": True} for pk, party in invitees]}


def venue(town: Town) -> int:
    """The community's hall, registered once by the secretary."""
    secretary = town["community_secretary"]
    halls = secretary.items("/meetings/venues")
    if halls:
        return halls[0]["id"]
    return secretary.post("/meetings/venues", {"name": "幸福苑社区议事厅", "kind": "hall", "area_id": town.area("C1"),
                                               "capacity": 40}, expect=201)["id"]


def invitees(town: Town, place: Locality, parties: list[str] | None = None) -> list[tuple[int, str]]:
    """The resident, the personas who attend for a party, and the people registered for the other parties."""
    people = [(town.person("resident"), "resident")]
    people += [(town.person(who), party) for who, party in place.extra.items()]
    return people + register(town, place.parties if parties is None else parties)


def plan_refused(town: Town, place: Locality, topic: dict, people: list[tuple[int, str]], code: str) -> dict:
    """A plan that breaks the template: the dry run lists the problem, the plan is refused, nothing is saved."""
    secretary = town["community_secretary"]
    body = plan_body(town, place, topic, people, venue(town))
    report = secretary.post("/meetings/check", body)
    assert report["ok"] is False and code in [e["code"] for e in report["errors"]], report
    error = secretary.refused("/meetings", body, 400)
    assert code in [e["code"] for e in error["details"]["errors"]] or error["code"] == code, error
    assert secretary.get("/meetings", topic_id=topic["id"])["count"] == 0
    assert secretary.get(f"/topics/{topic['id']}")["status_label"] == "分析研判"
    return error


def plan(town: Town, place: Locality, topic: dict, people: list[tuple[int, str]] | None = None) -> dict:
    """The secretary plans the meeting on the template (checked first, dry run) and sends the notices."""
    secretary = town["community_secretary"]
    body = plan_body(town, place, topic, people if people is not None else invitees(town, place), venue(town))
    assert secretary.post("/meetings/check", body)["ok"] is True
    meeting = secretary.post("/meetings", body, expect=201)
    assert meeting["status"] == "planned" and meeting["agenda"][0]["status"] == "scheduled"
    secretary.post(f"/meetings/{meeting['id']}/notify")
    assert any("邀请您以居民群众身份参加" in m and meeting["title"] in m for m in town["resident"].messages())
    return meeting


def hold(town: Town, place: Locality, topic: dict, meeting: dict, *, vote=None) -> dict:
    """On the day: the resident signs in with their own code, the clerk signs the others in; the meeting runs
    its steps; an optional vote; the resolution sends the topic to publicity; the minutes are masked."""
    url, clerk, secretary = f"/meetings/{meeting['id']}", town["community_staff"], town["community_secretary"]
    Clock.meeting_day(meeting["id"])
    resident = town["resident"]
    own = [p for p in resident.get(url)["participants"] if p["sign_in_code"]]
    assert [p["name"] for p in own] == ["张*"]  # a resident sees only their own code
    resident.post(f"{url}/sign-in", {"code": own[0]["sign_in_code"]})
    for p in clerk.get(url)["participants"]:
        if not p["signed_in_at"]:
            clerk.post(f"{url}/sign-in", {"code": p["sign_in_code"]})
    assert clerk.get(f"{url}/quorum")["met"] is True
    assert secretary.post(f"{url}/start")["status"] == "in_progress"
    for step in [{"kind": "opening", "text": f"议题来源：居民诉求 {topic['title']}"},
                 {"kind": "speech", "text": "赞成，希望尽快实施", "speaker_id": town.person("resident")},
                 {"kind": "summary", "text": "与会各方意见一致，形成决议"}]:
        clerk.post(f"{url}/steps", {**step, "topic_id": topic["id"]}, expect=201)
    if vote is not None:
        vote(town, topic, meeting)
    resolution = secretary.post(f"{url}/resolutions", {"topic_id": topic["id"], "text": place.resolution,
                                                       "next_step": "publicity"}, expect=201)
    assert resolution["next_step_label"] == "进入公示和办理"
    assert secretary.post(f"{url}/close")["status"] == "closed"
    minutes = resident.get(f"{url}/minutes")
    assert minutes["chair"] == "孙书记" and minutes["topics"][0]["resolution"]["text"] == place.resolution
    assert "张三" not in str(minutes)  # the resident masked; the chair acts in office and is named (docs/masking.md)
    assert resident.get(f"/topics/{topic['id']}")["status_label"] == "已形成决议"
    return resolution


def deliberate(town: Town, place: Locality, *, vote=None) -> Matter:
    """集 定 议: from the resident's demand to a resolution that sends the matter to publicity."""
    demand = collect(town, place)
    topic = decide(town, place, demand)
    consult(town, topic)
    meeting = plan(town, place, topic)
    resolution = hold(town, place, topic, meeting, vote=vote)
    resident_follows(town, demand, "提交诉求", "转为议题")
    return Matter(demand=demand, topic=topic, meeting=meeting, resolution=resolution)


# ---- 办 handle, 督 supervise ------------------------------------------------------------------------------

def photo(shade: int = 90) -> tuple[str, bytes, str]:
    """A real JPEG, as a phone camera sends it."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 48), (shade, 120, 200 - shade)).save(buffer, "JPEG")
    return "现场.jpg", buffer.getvalue(), "image/jpeg"


def assign(town: Town, assigner: str, matter: Matter, handler: str, *, title: str, subject_kind: str,
           deadline_days: int = 20, organization: int | None = None, supervisor: str | None = None) -> dict:
    """The office assigns the resolution's task (naming who verifies it, or leaving that to the office); the
    handler finds it in their list and messages."""
    task = town[assigner].post("/tasks", {
        "supervisor_id": town.person(supervisor) if supervisor else None,
        "title": title, "area_id": matter.topic["level_area"]["id"], "handler_id": town.person(handler),
        "subject_kind": subject_kind, "organization_id": organization, "topic_id": matter.topic["id"],
        "resolution_id": matter.resolution["id"], "standard": "按决议内容完成，现场照片佐证，居民代表验收",
        "deadline_days": deadline_days}, expect=201)
    assert task["status_label"] == "已交办"
    handler_sees(town, handler, task)
    return task


def handler_sees(town: Town, handler: str, task: dict, told: str = "您有新的办理任务") -> None:
    """The task is in the handler's own list (我的任务) and their messages."""
    me = town[handler]
    assert task["id"] in [t["id"] for t in me.items("/tasks", mine=True)]
    assert any(f"{told}“{task['title'][:40]}”" in m for m in me.messages())


def give_back(town: Town, handler: str, assigner: str, task: dict, reason: str) -> dict:
    """The handler returns a task wrongly assigned to them; whoever assigned it is told why."""
    returned = town[handler].post(f"/tasks/{task['id']}/return", {"reason": reason})
    assert returned["status_label"] == "已退回"
    assert any("被经办人退回" in m and reason[:20] in m for m in town[assigner].messages())
    return returned


def reassign(town: Town, assigner: str, task: dict, handler: str, reason: str) -> dict:
    """The returned task goes to the right handler, who finds it in their list; the first no longer has it."""
    again = town[assigner].post(f"/tasks/{task['id']}/reassign", {"handler_id": town.person(handler),
                                                                   "reason": reason})
    assert again["status_label"] == "已交办" and again["handler"] != task["handler"]
    handler_sees(town, handler, again, told="您有重新交办的任务")
    return again


def accept(town: Town, handler: str, task: dict) -> dict:
    """签收: the handler accepts the task before anything else (once accepted it is no longer returned)."""
    url = f"/tasks/{task['id']}"
    current = town[handler].get(url)
    if current["status"] != "assigned":
        return current
    accepted = town[handler].post(f"{url}/accept")
    assert accepted["status_label"] == "办理中" and accepted["accepted_at"], accepted
    assert town[handler].post(f"{url}/accept")["accepted_at"] == accepted["accepted_at"]  # a retry changes nothing
    return accepted


def extend(town: Town, handler: str, supervisor: str, task: dict, days: int, reason: str) -> dict:
    """The handler asks for more time; the supervisor approves; the new deadline holds and the original one
    stays visible (the figures count the task as extended)."""
    accept(town, handler, task)
    new = date.fromisoformat(task["deadline"]) + timedelta(days=days)
    asked = town[handler].post(f"/tasks/{task['id']}/extensions", {"new_deadline": str(new), "reason": reason},
                               expect=201)
    assert asked["status"] == "pending"
    assert any("申请延期" in m for m in town[supervisor].messages())
    decided = town[supervisor].post(f"/tasks/{task['id']}/extensions/{asked['id']}/decision",
                                    {"approve": True, "note": "理由充分，同意延期"})
    assert decided["status"] == "approved"
    after = town[handler].get(f"/tasks/{task['id']}")
    assert (after["deadline"], after["original_deadline"]) == (str(new), task["deadline"])
    assert any("延期申请" in m for m in town[handler].messages())
    extended = town[supervisor].items("/tasks", extended=True)
    assert [t["id"] for t in extended] == [task["id"]]
    return after


def work(town: Town, handler: str, task: dict) -> dict:
    """The handler accepts (签收), reports progress with photos from the site and asks for 销号 with evidence."""
    me, url = town[handler], f"/tasks/{task['id']}"
    accept(town, handler, task)
    half = me.upload(f"{url}/reports/multipart", {"text": "材料进场，开始施工", "percent": "50"},
                     [("photos", photo(60))])
    assert half["percent"] == 50
    me.upload(f"{url}/reports/multipart", {"text": "施工完成，现场已清理", "percent": "100"}, [("photos", photo(150))])
    submitted = me.upload(f"{url}/submit", {"evidence": "已按决议完成，居民代表现场验收"}, [("files", photo(200))],
                          expect=200)
    assert submitted["status_label"] == "待核验销号"
    me.refused(f"{url}/verify", {"approve": True}, 403)  # nobody verifies their own work
    return submitted


def close(town: Town, supervisor: str, task: dict) -> dict:
    """The supervisor verifies the evidence: 销号."""
    closed = town[supervisor].post(f"/tasks/{task['id']}/verify", {"approve": True, "note": "现场核验合格"})
    assert closed["status_label"] == "已销号"
    return closed


def supervise(town: Town, matter: Matter, text: str) -> None:
    """The supervision group visits the site; the office posts a progress bulletin the resident reads."""
    secretary, topic_id = town["community_secretary"], matter.topic["id"]
    secretary.post(f"/supervision/topics/{topic_id}/records", {
        "kind": "visit", "text": "督走访：到现场查看施工进度和安全措施", "happened_on": str(timezone.localdate())},
        expect=201)
    secretary.post(f"/supervision/topics/{topic_id}/bulletins", {"text": text}, expect=201)
    progress = town["resident"].get(f"/supervision/topics/{topic_id}/progress")
    assert [b["text"] for b in progress["bulletins"]][:1] == [text]
    assert "郑经办" not in str(progress) and "钱社工" not in str(progress)  # names masked on the public bulletin


# ---- 公 publicise ---------------------------------------------------------------------------------------

PLAN = [{"when": "公示期满后 10 日内", "what": "采购材料、确定施工队", "who": "物业项目经理"},
        {"when": "其后 20 日内", "what": "施工并清理现场", "who": "施工单位负责人"},
        {"when": "完工后 3 日内", "what": "居民代表验收", "who": "社区居委会"}]


def publish(town: Town, matter: Matter, *, major: str = "") -> dict:
    """The secretary drafts the notice from the resolution and publishes it for the template's working days;
    the resident is told and reads it (decision, plan, days left; no calendar notes, which are for staff)."""
    secretary, resident = town["community_secretary"], town["resident"]
    draft = secretary.post("/notices", {"resolution_id": matter.resolution["id"], "plan": PLAN,
                                        "responsible": "社区居委会（联系电话 13800000006）"}, expect=201)
    assert draft["status_label"] == "草稿" and draft["decision"] == matter.resolution["text"]
    assert "13800000006" not in draft["responsible"]  # a phone number in free text leaves masked
    assert draft["is_major"] is bool(major) and major in draft["major_reason"], draft
    notice = secretary.post(f"/notices/{draft['id']}/publish", {})
    assert notice["status_label"] == "公示中" and notice["working_days"] == 5
    again = secretary.post(f"/notices/{draft['id']}/publish", {})  # a retry (flaky network) changes nothing
    assert (again["starts_on"], again["ends_on"]) == (notice["starts_on"], notice["ends_on"])
    poster = secretary.call("GET", f"/notices/{notice['id']}/poster.pdf", 200)
    assert poster.content.startswith(b"%PDF-")
    seen = resident.get(f"/notices/{notice['id']}")
    assert (seen["may_object"], seen["days_left"], seen["calendar_warnings"]) == (True, 5, [])
    assert [p["what"] for p in seen["plan"]] == [p["what"] for p in PLAN]
    ends = day_text(date.fromisoformat(notice["ends_on"]))  # messages write dates as people do: 12月8日
    assert sum("开始公示" in m and f"至 {ends} 止" in m for m in resident.messages()) == 1
    town["resident3"].get(f"/notices/{notice['id']}", expect=404)  # another street's resident does not see it
    assert resident.get(f"/topics/{matter.topic['id']}")["status_label"] == "公示中"
    return notice


def object_and_answer(town: Town, notice: dict, text: str, answer: str) -> None:
    """A resident objects during the window; the office is told and answers; the resident reads the answer."""
    resident, secretary = town["resident"], town["community_secretary"]
    objection = resident.post(f"/notices/{notice['id']}/objections", {"text": text}, expect=201)
    assert objection["person"] == "张*" and objection["answered_at"] is None
    assert any("收到居民异议" in m for m in secretary.messages())
    answered = secretary.post(f"/notices/objections/{objection['id']}/answer", {"answer": answer,
                                                                                "substantial": False})
    assert answered["substantial"] is False
    assert any(f"异议已答复：{answer[:20]}" in m for m in resident.messages())
    listed = resident.items(f"/notices/{notice['id']}/objections")
    assert [(o["person"], o["answer"]) for o in listed] == [("张*", answer)]


def window_ends(town: Town, notice: dict) -> dict:
    """The window runs out: the day after its last day the scheduled job completes the notice."""
    day = date.fromisoformat(notice["ends_on"]) + timedelta(days=1)
    assert "公示办结 1 项" in Clock.tick(day)
    assert "公示办结 0 项" in Clock.tick(day)  # cron runs again: nothing twice
    done = town["community_secretary"].get(f"/notices/{notice['id']}")
    assert done["status_label"] == "公示期满"
    return done


def legal_review(town: Town, matter: Matter, notice: dict, reviewer: str = "street_official") -> dict:
    """A major matter: the street (the template's level) finds the review in its list and approves it; only
    then does the matter go to handling."""
    official = town[reviewer]
    assert any("待合法性审核" in m and matter.topic["title"] in m for m in official.messages())
    pending = official.items("/notices/legal-reviews")
    review = next(r for r in pending if r["notice_id"] == notice["id"])
    assert review["status_label"] == "待审核"
    assert town["resident"].get(f"/topics/{matter.topic['id']}")["status_label"] == "公示中"  # waits for the review
    decide = f"/notices/legal-reviews/{review['id']}/decide"
    town["community_secretary"].refused(decide, {"approve": True, "opinion": "同意"}, 404)  # not the community's
    decided = official.post(decide, {
        "approve": True, "opinion": "符合法律法规和业主共同决定程序，同意实施。"})
    assert decided["status_label"] == "审核通过"
    return decided


def publicise(town: Town, matter: Matter, *, major: str = "", objection: tuple[str, str] | None = None) -> dict:
    """公: the notice, an optional objection answered, the window ending, a major matter's legality review; the
    topic is then in handling and the office is told it may assign tasks."""
    notice = publish(town, matter, major=major)
    if objection:
        object_and_answer(town, notice, *objection)
    notice = window_ends(town, notice)
    if major:
        legal_review(town, matter, notice)
    assert town["resident"].get(f"/topics/{matter.topic['id']}")["status_label"] == "办理中"
    assert any("可以交办任务了" in m for m in town["community_secretary"].messages())
    return notice


# ---- 评 evaluate ----------------------------------------------------------------------------------------

def evaluation_opens(town: Town, matter: Matter, number: int = 1) -> dict:
    """The last task closed: round N opens and the resident finds the invitation among their messages."""
    rounds = town["community_secretary"].items("/evaluations", q=matter.topic["title"])
    round_ = next(r for r in rounds if r["number"] == number)
    assert round_["status_label"] == "评价中" and round_["topic"]["id"] == matter.topic["id"]
    invitation = f"“{matter.topic['title'][:40]}”已办结，请在"
    assert sum(invitation in m for m in town["resident"].messages()) == number
    assert town["resident"].get(f"/topics/{matter.topic['id']}")["status_label"] == "评价中"
    town["resident3"].refused(f"/evaluations/{round_['id']}/ratings", {"value": "dissatisfied", "comment": "差"}, 404)
    return round_


def rate(town: Town, username: str, round_: dict, value: str, comment: str = "") -> dict:
    """A resident rates once, on their phone; a second try is refused and the first stands."""
    me, url = town[username], f"/evaluations/{round_['id']}"
    before = me.get(url)
    assert (before["may_rate"], before["my_rating"]) == (True, None)
    rating = me.post(f"{url}/ratings", {"value": value, "comment": comment}, expect=201)
    me.refused(f"{url}/ratings", {"value": "satisfied"}, 409, "already_rated")
    assert me.get(url)["my_rating"] == value
    return rating


def evaluation_ends(town: Town, round_: dict) -> dict:
    """The period runs out: the day after its last day the scheduled job closes the round and counts it."""
    day = date.fromisoformat(round_["closes_on"]) + timedelta(days=1)
    assert "评价结束 1 轮" in Clock.tick(day)
    assert "评价结束 0 轮" in Clock.tick(day)  # cron runs again: nothing twice
    closed = town["community_secretary"].get(f"/evaluations/{round_['id']}")
    assert (closed["status_label"], closed["final"]) == ("已结束", True)
    return closed


# ---- 备 archive -----------------------------------------------------------------------------------------

def archive(town: Town, matter: Matter, headings: str) -> dict:
    """The secretary archives the matter (一事一档) once; the resident finds the dossier of their community
    with every step of the loop under the eight stages, headed with the locality's own step names (`headings`,
    one per stage, space-separated), people masked, and downloads it."""
    secretary, resident = town["community_secretary"], town["resident"]
    dossier = secretary.post(f"/dossiers/topics/{matter.topic['id']}", expect=201)
    assert dossier["number"].startswith(f"档-{timezone.localdate().year}-")
    secretary.refused(f"/dossiers/topics/{matter.topic['id']}", None, 409)
    assert resident.get(f"/topics/{matter.topic['id']}")["status_label"] == "已归档"
    found = resident.items("/dossiers", q=matter.topic["title"])
    assert [d["number"] for d in found] == [dossier["number"]]
    seen = resident.get(f"/dossiers/{dossier['id']}")
    assert seen["content_sha256"] == dossier["content_sha256"]
    assert "张三" not in str(seen["content"])  # residents masked (officials act in office under their names)
    stages = [(st["code"], st["heading"]) for st in seen["content"]["stages"]]
    expected = [f"{canon} · {local}" for canon, local in zip("集定议公办督评备", headings.split(), strict=True)]
    assert stages == list(zip(STAGES, expected, strict=True)), stages
    pdf = resident.call("GET", f"/dossiers/{dossier['id']}/pdf", 200)
    assert pdf.content.startswith(b"%PDF-")
    assert town["resident3"].get("/dossiers", q=matter.topic["title"])["count"] == 0
    assert [d["id"] for d in town["district_official"].items("/dossiers", q=matter.topic["title"])] == [dossier["id"]]
    return seen


def figures(town: Town) -> dict[str, dict]:
    """The district official reads the three rates of the district for this year, each with how it was counted."""
    today = timezone.localdate()
    rates = town["district_official"].get("/kpis", area=town.area("D"), start=str(today.replace(month=1, day=1)),
                                          end=str(today))
    return {figure["key"]: figure for figure in rates["figures"]}


STAGES = ["collect", "decide", "deliberate", "publicise", "handle", "supervise", "evaluate", "archive"]


def recorded(dossier: dict, stage: str) -> list[str]:
    """What the dossier records under one of the eight stages, one plain-Chinese line per record."""
    section = next(st for st in dossier["content"]["stages"] if st["code"] == stage)
    return [entry["what"] for entry in section["entries"]]
