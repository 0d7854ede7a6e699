"""Every page of the site, for every persona, over data in every state of the loop: no server error, and nothing
on screen a person must never see — template syntax, "None", "[object …]", codes instead of words.

The pages come from the URL conf itself (`django.urls.get_resolver`), so a new page is crawled as soon as it
has a route. Its ids come from `OBJECTS` below (real objects of the right kind, plus one that does not exist,
which must be a 404); a route the crawl cannot fill fails the test and says what to add. GET only: a
POST-only address answers 405 or a redirect, never a 500. The same pages are tried again with junk in every
query parameter the views read (`?topic=abc`, `?page=-1`, `?date=2026-13-45` …).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from lxml import etree
from lxml import html as lxml_html

from yishiting.common.testing import PERSONAS

from .crawl_data import CrawlData
from .crawl_session import crawl_data_open

# One xdist group with test_crawl_staff_only.py and test_english.py's pages (scripts/test.sh): their tests go to
# one worker together, so the data they all crawl is built once per pass (crawl_session.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("crawl")]
MISSING = 999_999_999  # an id no object has


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory) -> CrawlData:
    """The data, built once for the modules that crawl it, inside a transaction rolled back when the next test
    does not use it (crawl_session.py). Module-scoped: made before each test's own transaction."""
    return crawl_data_open(django_db_blocker, tmp_path_factory)


# ---- which objects fill each route ------------------------------------------------------------------------

def _pks(model: str, **filters: Any) -> Callable[[CrawlData], list[dict]]:
    def fill(_: CrawlData) -> list[dict]:
        from django.apps import apps

        return [{"pk": pk} for pk in apps.get_model(model).objects.filter(**filters).order_by("pk")
                .values_list("pk", flat=True)]

    return fill


def _pairs(model: str, parent: str, key: str) -> Callable[[CrawlData], list[dict]]:
    """Routes with two ids: the parent's and the child's (a meeting's participant, a task's file)."""
    def fill(_: CrawlData) -> list[dict]:
        from django.apps import apps

        rows = apps.get_model(model).objects.order_by("pk").values_list(f"{parent}_id", "pk")
        return [{"pk": a, key: b} for a, b in rows]

    return fill


def _with_slugs(fill: Callable, key: str, slugs: Callable[[], list[str]]) -> Callable[[CrawlData], list[dict]]:
    """A slug route: every real slug on the first object, and a slug nobody wrote (must not be a 500)."""
    def filled(data: CrawlData) -> list[dict]:
        first = fill(data)[:1]
        return [{**kwargs, key: slug} for kwargs in first for slug in [*slugs(), "no-such-action"]]

    return filled


def _meeting_actions() -> list[str]:
    from yishiting.web.views.meetings import ACTIONS

    return list(ACTIONS)


def _task_actions() -> list[str]:
    from yishiting.web.views.tasks import DONE

    return list(DONE)


def _supervision_actions() -> list[str]:
    from yishiting.web.views.tasks import SUPERVISION

    return [*SUPERVISION, "remove"]


def _list_kinds() -> list[str]:
    from yishiting.web.views.lists import KINDS

    return list(KINDS)


def _picker_kinds() -> list[str]:
    from yishiting.web.views.pickers import HOUSEHOLDS, ORGANIZATIONS, PEOPLE

    return sorted({*PEOPLE, *ORGANIZATIONS, *HOUSEHOLDS, "expert"})


def _booking_actions() -> list[str]:
    from yishiting.web.views.appointments import ACTIONS

    return sorted(ACTIONS)


def _first_slots(data: CrawlData) -> list[dict]:
    """slot_book is POST-only: a few slots are enough."""
    return _pks("appointments.Slot")(data)[:3]


def _wish_actions() -> list[str]:
    from yishiting.web.views.wishes import ACTIONS

    return sorted(ACTIONS)


def _consultation_actions() -> list[str]:
    from yishiting.web.views.legal import ACTIONS

    return sorted(ACTIONS)


def _points_staff_actions() -> list[str]:
    from yishiting.web.views.ledgers import STAFF_ACTIONS

    return sorted(STAFF_ACTIONS)


def _mediation_actions() -> list[str]:
    from yishiting.web.views.mediation_actions import BUILD

    return list(BUILD)


def _canteen_actions() -> list[str]:
    from yishiting.web.views.canteens import ACTIONS

    return sorted(ACTIONS)


def _eligibility_actions() -> list[str]:
    from yishiting.web.views.canteen_staff import DECISIONS

    return sorted(DECISIONS)


def _participation_actions() -> list[str]:
    from yishiting.participation.web.views import ACTIONS

    return sorted(ACTIONS)


def _unit_reports(_: CrawlData) -> list[dict]:
    from django.utils import timezone

    from yishiting.participation.models import UnitRegistration
    from yishiting.participation.services import quarter_of

    year, quarter = quarter_of(timezone.localdate())
    return [{"pk": pk, "year": y, "quarter": q} for pk in UnitRegistration.objects.values_list("pk", flat=True)
            for y, q in [(year, quarter), (year + 1, quarter), (year, 0)]]


def _assess_subjects(_: CrawlData) -> list[dict]:
    from yishiting.participation.models import MemberRegistration, UnitRegistration

    return ([{"kind": "unit", "pk": pk} for pk in UnitRegistration.objects.values_list("pk", flat=True)[:1]]
            + [{"kind": "member", "pk": pk} for pk in MemberRegistration.objects.values_list("pk", flat=True)[:1]]
            + [{"kind": "no-such-kind", "pk": 1}])


def _volunteer_actions(name: str) -> set[str]:
    from yishiting.web.views import volunteers

    return getattr(volunteers, name)


def _volunteers(_: CrawlData) -> list[dict]:
    """People with a volunteer record (served at an activity or claimed a post)."""
    from yishiting.volunteers.models import Attendance, PostClaim

    ids = {*Attendance.objects.values_list("person_id", flat=True), *PostClaim.objects.values_list("person_id", flat=True)}
    return [{"pk": pk} for pk in sorted(ids)]


def _volunteer_scans(_: CrawlData) -> list[dict]:
    """The QR code's URL of each activity (its signed code), and one with a forged code."""
    from yishiting.volunteers.models import Activity
    from yishiting.volunteers.services import checkin_token

    activities = list(Activity.objects.order_by("pk"))
    return [{"pk": a.pk, "token": checkin_token(a)} for a in activities] + \
        [{"pk": a.pk, "token": "forged"} for a in activities[:1]]


def _index_parts(_: CrawlData) -> list[dict]:
    from yishiting.oversight.models import IndexSnapshot

    return [{"pk": s.pk, "key": p["key"]} for s in IndexSnapshot.objects.order_by("pk")[:4] for p in s.parts]
def _rectification_actions() -> list[str]:
    from yishiting.web.views.rectifications import ACTIONS

    return sorted(ACTIONS)
def _overview_tables() -> list[str]:
    from yishiting.oversight.tables import TABLES

    return list(TABLES)


def _kinds(_: CrawlData) -> list[dict]:
    return [{"kind": kind} for kind in _list_kinds()]


def _clusters(_: CrawlData) -> list[dict]:
    """Every cluster of each district in the last 90 days (the ids the list links to)."""
    from yishiting.areas.models import Area
    from yishiting.oversight.clusters import clusters_in, default_period

    return [{"ident": c.id} for district in Area.objects.filter(parent__isnull=True)
            for c in clusters_in(district, default_period())]


def _cluster_joins(_: CrawlData) -> list[dict]:
    from yishiting.oversight.models import ClusterTopic

    pending = _pks("demands.Demand", status="pending")(_)[:1]
    return [{"pk": pk, "demand_pk": d["pk"]} for pk in ClusterTopic.objects.values_list("pk", flat=True) for d in pending]


AREAS = _pks("areas.Area")
COMMUNITIES = _pks("areas.Area", level__code="community")
TOPICS, MEETINGS, TASKS = _pks("deliberation.Topic"), _pks("deliberation.Meeting"), _pks("handling.Task")
VOTES, NOTICES = _pks("deliberation.Vote"), _pks("handling.Notice")
CONSULTATIONS = _pks("legal.Consultation")
WISHES = _pks("wishes.Wish")
DEMANDS, ROUNDS, DOSSIERS = _pks("demands.Demand"), _pks("handling.EvaluationRound"), _pks("handling.Dossier")
CASES = _pks("mediation.MediationCase")
RECTIFICATIONS = _pks("oversight.RectificationList")
ACTIVITIES = _pks("volunteers.Activity")
ORDERS = _pks("participation.ServiceOrder")


def _trust_months(_: CrawlData) -> list[dict]:
    from yishiting.trusts.models import TrustFund

    return [{"pk": f.pk, "year": 2026, "month": m} for f in TrustFund.objects.order_by("pk") for m in (1, 13)]


TRUST_FUNDS, TRUST_EXPENSES = _pks("trusts.TrustFund"), _pks("trusts.Expense")
TRUST_OBJECTS = {
    "trust_fund": TRUST_FUNDS, "trust_services": TRUST_FUNDS, "trust_expenses": TRUST_FUNDS, "trust_desk": TRUST_FUNDS,
    "trust_desk_action": _with_slugs(TRUST_FUNDS, "action", lambda: ["income", "expense", "service"]),
    "trust_statement": _trust_months, "trust_statement_pdf": _trust_months,
    "trust_entry": _pks("trusts.Entry"),
    "trust_entry_action": _with_slugs(_pks("trusts.Entry"), "action", lambda: ["ask", "answer", "reverse"]),
    "trust_expense": TRUST_EXPENSES, "trust_voucher": _pairs("trusts.Voucher", "expense", "voucher_pk"),
    "trust_expense_action": _with_slugs(TRUST_EXPENSES, "action", lambda: ["approve", "refuse"]),
    "trust_reversal": _pks("trusts.Reversal"),
    "trust_reversal_action": _with_slugs(_pks("trusts.Reversal"), "action", lambda: ["approve", "refuse"]),
    "trust_disclosure": _pks("trusts.Disclosure"),
    "trust_disclosure_action": _with_slugs(_pks("trusts.Disclosure"), "action", lambda: ["line", "publish"]),
}
WHISTLES = _pks("whistles.Whistle")

# Route name → the keyword arguments to visit it with. A route with parameters that is missing here fails the crawl.
OBJECTS: dict[str, Callable[[CrawlData], list[dict]]] = {
    "area_detail": AREAS, "area_people": AREAS, "area_households": AREAS,
    "person_reveal": _pks("areas.Person"), "token_revoke": _pks("accounts.ApiToken"),
    "demand_detail": DEMANDS, "demand_done": DEMANDS, "demand_screen": DEMANDS,
    "demand_photo": _pairs("demands.DemandPhoto", "demand", "photo_pk"),
    "community_topics": COMMUNITIES, "community_notices": COMMUNITIES,
    "topic_detail": TOPICS, "topic_opinion": TOPICS, "topic_door_opinion": TOPICS, "topic_analysis": TOPICS,
    "owners_vote_new": TOPICS, "task_new": TOPICS, "topic_supervision": TOPICS, "topic_progress": TOPICS,
    "topic_archive": TOPICS, "archive_panel": TOPICS,
    "topic_consultation": TOPICS, "topic_template": TOPICS,  # templates per area (issue 20)
    "topic_supervision_action": _with_slugs(TOPICS, "action", _supervision_actions),
    "meeting_detail": MEETINGS, "meeting_minutes": MEETINGS, "meeting_run": MEETINGS, "meeting_sign_in_page": MEETINGS,
    "meeting_sign_in": MEETINGS, "meeting_step": MEETINGS, "meeting_vote_open": MEETINGS,
    "meeting_resolution": MEETINGS, "meeting_speak": MEETINGS, "meeting_participant_add": MEETINGS,
    "minutes_pdf": MEETINGS, "minutes_docx": MEETINGS,
    "meeting_participant_withdraw": _pairs("deliberation.Participant", "meeting", "participant_pk"),
    "meeting_action": _with_slugs(MEETINGS, "action", _meeting_actions),
    "vote_detail": VOTES, "vote_cast": VOTES, "vote_hands": VOTES, "vote_close": VOTES, "vote_paper": VOTES,
    "vote_proxy": VOTES,
    "three_list": _kinds, "three_list_export": _kinds,
    "notice_detail": NOTICES, "notice_publish": NOTICES, "notice_major": NOTICES, "notice_complete": NOTICES,
    "notice_public": NOTICES, "notice_object": NOTICES, "notice_poster": NOTICES,
    "objection_answer": _pks("handling.Objection"), "legal_review_decide": _pks("handling.LegalReview"),
    "task_detail": TASKS, "task_file": _pairs("handling.TaskFile", "task", "file_pk"),
    "task_action": _with_slugs(TASKS, "action", _task_actions),
    "evaluation_round": ROUNDS, "evaluation_rate": ROUNDS, "evaluation_party": ROUNDS, "evaluation_org": ROUNDS,
    "evaluation_close": ROUNDS, "evaluation_task_rate": TASKS,
    "dossier_page": DOSSIERS, "dossier_pdf": DOSSIERS, "dossier_docx": DOSSIERS,
    "demand_photo_thumb": _pairs("demands.DemandPhoto", "demand", "photo_pk"),
    "task_file_thumb": _pairs("handling.TaskFile", "task", "file_pk"),
    "claim_withdraw": _pks("areas.HouseholdClaim"), "claim_approve": _pks("areas.HouseholdClaim"),
    "claim_reject": _pks("areas.HouseholdClaim"),
    "pick": lambda _: [{"kind": kind} for kind in _picker_kinds()],
    "consultation_detail": CONSULTATIONS, "expert_detail": _pks("legal.Expert"),
    "expert_availability": _pks("legal.Expert"),
    "consultation_photo": _pairs("legal.ConsultationPhoto", "consultation", "photo_pk"),
    "consultation_photo_thumb": _pairs("legal.ConsultationPhoto", "consultation", "photo_pk"),
    "consultation_action": _with_slugs(CONSULTATIONS, "action", _consultation_actions),
    "service_detail": _pks("appointments.Service"), "slot_book": _first_slots,
    "service_book_for": _pks("appointments.Service"),
    "booking_action": _with_slugs(_pks("appointments.Booking"), "action", _booking_actions),
    "wish_detail": WISHES, "wish_photo": _pairs("wishes.WishPhoto", "wish", "photo_pk"),
    "wish_photo_thumb": _pairs("wishes.WishPhoto", "wish", "photo_pk"),
    "wish_action": _with_slugs(WISHES, "action", _wish_actions),
    # 网格工作 (issue 20)
    "grid_record": _pks("grid.FieldRecord"), "grid_finding_report": _pks("grid.Finding"),
    "grid_record_photo": _pairs("grid.RecordPhoto", "record", "photo_pk"),
    "grid_record_photo_thumb": _pairs("grid.RecordPhoto", "record", "photo_pk"),
    "grid_assignment_end": _pks("grid.Assignment"),
    "mediation_detail": CASES, "mediation_rate": CASES,
    "mediation_agreement_pdf": _pks("mediation.MediationCase", agreement__isnull=False),
    "mediation_agreement_docx": _pks("mediation.MediationCase", agreement__isnull=False),
    "mediation_scan": _pks("mediation.MediationCase", agreement__scan_sha256__gt=""),
    "mediation_action": _with_slugs(CASES, "action", _mediation_actions),
    "plan_image": _pks("oversight.AreaPlan"), "plan_edit": _pks("areas.Area", level__depth__lte=4),
    "index_detail": _pks("oversight.IndexSnapshot"), "index_part": _index_parts,
    "rectification_detail": RECTIFICATIONS, "rectification_pdf": RECTIFICATIONS, "rectification_xlsx": RECTIFICATIONS,
    "rectification_item_action": _with_slugs(_pks("oversight.RectificationItem"), "action", _rectification_actions),
    "rectification_photo": _pks("oversight.RectificationPhoto"),
    "rectification_photo_thumb": _pks("oversight.RectificationPhoto"),
    "unit_rating_detail": _pks("areas.Organization"),
    "overview_export": lambda _: [{"table": table} for table in _overview_tables()],
    "report_download": _pks("oversight.MonthlyReport"),
    "liaison_link_end": _pks("liaison.LiaisonLink"), "liaison_record": _pks("liaison.ContactRecord"),
    "liaison_matter_add": _pks("liaison.ContactRecord"), "liaison_matter_demand": _pks("liaison.RaisedMatter"),
    "participation_order": ORDERS, "participation_unit": _pks("participation.UnitRegistration"),
    "participation_order_photo": _pairs("participation.OrderPhoto", "order", "photo_pk"),
    "participation_order_action": _with_slugs(ORDERS, "action", _participation_actions),
    "participation_showcase_provider": _pks("participation.ServiceProvider"),
    "participation_showcase_photo": _pairs("participation.OrderPhoto", "order", "photo_pk"),
    "participation_unit_report": _unit_reports, "participation_assess_save": _assess_subjects,
    "cluster_detail": _clusters, "cluster_raise": _clusters,
    "cluster_join": _cluster_joins,
    # 积分、积分超市、时间银行 (issue 19)
    "points_redeem": _pks("ledgers.Item"), "points_item_restock": _pks("ledgers.Item"),
    "points_redemption_cancel": _pks("ledgers.Redemption"),
    "points_staff_action": lambda _: [{"action": a} for a in [*_points_staff_actions(), "no-such-action"]],
    "canteen_order_new": _pks("canteens.MenuItem"), "canteen_order": _pks("canteens.MealOrder"),
    "canteen_order_action": _with_slugs(_pks("canteens.MealOrder"), "action", _canteen_actions),
    "canteen_board": _pks("canteens.Canteen"),
    "canteen_eligibility_action": _with_slugs(_pks("canteens.EligibilityRegistration"), "action", _eligibility_actions),
    "volunteer_activity": ACTIVITIES, "volunteer_checkin": ACTIVITIES, "volunteer_scan": _volunteer_scans,
    "volunteer_activity_action": _with_slugs(ACTIVITIES, "action", lambda: sorted(_volunteer_actions("ACTIONS"))),
    "volunteer_attendance_action": _with_slugs(_pks("volunteers.Attendance"), "action",
                                               lambda: sorted(_volunteer_actions("ATTENDANCE_ACTIONS"))),
    "volunteer_team": _pks("volunteers.Team"),
    "volunteer_record": _volunteers, "volunteer_record_certificate": _volunteers,
    "volunteer_team_action": _with_slugs(_pks("volunteers.Team"), "action", lambda: ["join", "leave"]),
    "volunteer_member_action": _with_slugs(_pks("volunteers.TeamMember"), "action", lambda: ["lead", "unlead"]),
    "volunteer_post": _pks("volunteers.Post"), "volunteer_post_claim": _pks("volunteers.Post"),
    "volunteer_claim_action": _with_slugs(_pks("volunteers.PostClaim"), "action", lambda: ["release", "log"]),
    "volunteer_shift_action": _with_slugs(_pks("volunteers.Shift"), "action", lambda: ["confirm", "reject"]),
    "body_detail": _pks("bodies.Body"), "body_member_add": _pks("bodies.Body"),
    "body_member_action": _with_slugs(_pks("bodies.Membership"), "action", lambda: ["role", "end"]),
    "whistle_detail": WHISTLES, "whistle_action": _with_slugs(WHISTLES, "action", lambda: ["close", "cancel"]),
    "whistle_photo": _pairs("whistles.ResponsePhoto", "response", "photo_pk"),
    "whistle_photo_thumb": _pairs("whistles.ResponsePhoto", "response", "photo_pk"),
    "whistle_response_action": _with_slugs(_pks("whistles.WhistleResponse"), "action", lambda: ["arrive", "respond"]),
    # 党建联盟 (issue 21)
    **{name: _pks("alliances.Alliance") for name in (
        "alliance_detail", "alliance_covenant", "alliance_version_new", "alliance_unit_new", "alliance_tasks",
        "alliance_task_new", "alliance_committee_new", "alliance_meetings", "alliance_meeting_new",
        "alliance_ratings", "alliance_rating_submit")},
    **{name: _pks("alliances.CovenantVersion") for name in ("alliance_version_consult", "alliance_version_vote")},
    "alliance_clause_comment": _pks("alliances.Clause"),
    **{name: _pks("alliances.Member") for name in ("alliance_member_review", "alliance_member_leave",
                                                    "alliance_member_accept", "alliance_rating_propose",
                                                    "alliance_member", "alliance_member_liaison")},
    **{name: _pks("alliances.Committee") for name in ("alliance_committee", "alliance_committee_add",
                                                       "alliance_committee_remove", "alliance_committee_lead")},
    "alliance_rating_amend": _pks("alliances.UnitRating"),
    **{name: _pks("alliances.AssemblyVote") for name in ("alliance_vote", "alliance_vote_cast", "alliance_vote_close")},
    **{name: _pks("alliances.Task") for name in ("alliance_task", "alliance_task_sort", "alliance_task_assign",
                                                  "alliance_task_report", "alliance_task_complete",
                                                  "alliance_task_rate")},
    **{name: _pks("alliances.JointMeeting") for name in ("alliance_meeting", "alliance_meeting_problem")},
    "alliance_rating_letter": _pks("alliances.UnitRating"),
    # 干部成长档案与践诺清单 (issue 21)
    "cadres_archive": _pks("cadres.Cadre"), "cadres_archive_pdf": _pks("cadres.Cadre"),
    "cadres_post_add": _pks("cadres.Cadre"), "cadres_mentor_assign": _pks("cadres.Cadre"),
    "cadres_mentorship_end": _pks("cadres.Mentorship"), "cadres_mentor_note": _pks("cadres.Mentorship"),
    "cadres_programme": _pks("cadres.Programme"), "cadres_enrol": _pks("cadres.Programme"),
    "cadres_activity_add": _pks("cadres.Programme"), "cadres_ranking": _pks("cadres.Programme"),
    "cadres_honour": _pks("cadres.Programme"), "cadres_talk": _pks("cadres.Programme"),
    "cadres_activity": _pks("cadres.Activity"), "cadres_report": _pks("cadres.Report"),
    "cadres_report_review": _pks("cadres.Report"), "cadres_report_publish": _pks("cadres.Report"),
    "cadres_pledge": _pks("cadres.Pledge"), "cadres_pledge_update": _pks("cadres.Pledge"),
    "cadres_pledge_complete": _pks("cadres.Pledge"), "cadres_public": lambda d: [{"area_pk": r["pk"]} for r in _pks("areas.Area", level__depth__lte=3)(d)],
    **TRUST_OBJECTS,  # 信托制物业 (issue 21)
}
# Pages outside the web app that people open in a browser (the rest of config/urls.py is JSON, XML or POST-only).
ROOT_PAGES = ["/admin/", "/api/v1/docs"]
ROOT_INCLUDES = {"admin/": "Django admin (its index is crawled)", "api/v1/": "JSON API (its docs page is crawled)",
                 "open311/v2/": "Open311 JSON/XML", "i18n/": "set_language, POST only", "": "the web app",
                 "wechat/callback": "the WeChat official account's callback (signed by WeChat, XML)",
                 "sms/receipts/<str:provider>/<str:token>": "receipts the SMS providers push (JSON, POST only)"}


def web_routes() -> list[URLPattern]:
    resolver = get_resolver()
    unknown = [str(p.pattern) for p in resolver.url_patterns if str(p.pattern) not in ROOT_INCLUDES]
    assert not unknown, f"config/urls.py has routes the crawl does not know: {unknown}; add them to ROOT_INCLUDES " \
                        "(and their HTML pages to ROOT_PAGES) in yishiting/web/tests/test_crawl.py"
    web = next(p for p in resolver.url_patterns if isinstance(p, URLResolver) and p.namespace == "web")
    return list(_patterns(web))


def _patterns(resolver: URLResolver) -> Iterator[URLPattern]:
    """The routes of `resolver`, and of the apps' url modules it includes (participation's): every page of the
    `web` namespace, whoever declares it."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            assert not pattern.namespace and not pattern.pattern.converters, \
                f"an include under web: with a namespace or parameters ({pattern.pattern}) — teach the crawl to fill it"
            yield from _patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


@dataclass
class Visits:
    real: list[list[str]]  # for every route, its address with each of its real objects
    first: list[str]  # every route once (with its first object)
    missing: list[str]  # every route with parameters, with an object that does not exist
    unfilled: list[str]  # routes the crawl cannot fill
    documents: set[str]  # the PDF, DOCX and XLSX downloads among `real` (slow: one persona opens them all)


def visits(data: CrawlData, per_route: int | None = None) -> Visits:
    """Every route with its objects (at most `per_route` of them, in id order, when given)."""
    found = Visits(real=[[page] for page in ROOT_PAGES], first=list(ROOT_PAGES), missing=[], unfilled=[], documents=set())
    for route in web_routes():
        params = route.pattern.converters
        kwargs_list = OBJECTS[route.name](data) if route.name in OBJECTS else [{}] if not params else []
        kwargs_list = kwargs_list[:per_route] if per_route else kwargs_list
        if not kwargs_list:
            found.unfilled.append(f"{route.name} ({route.pattern})")
            continue
        urls = [reverse(f"web:{route.name}", kwargs=kwargs) for kwargs in kwargs_list]
        found.real.append(urls)
        found.first.append(urls[0])
        if re.search(r"\.(pdf|docx|xlsx)$", str(route.pattern)):
            found.documents.update(urls[1:])
        if params:
            found.missing.append(reverse(f"web:{route.name}", kwargs={
                key: MISSING if type(params[key]).__name__ == "IntConverter" else "no-such-slug" for key in params}))
    return found


# ---- what must never be on a page -------------------------------------------------------------------------

class _Page:
    """The visible text, the element ids and the titles of one HTML page, read with libxml2's HTML parser (lxml,
    which python-docx brings): Python's html.parser took a tenth of every crawl. `feed` as html.parser's."""

    SHOWN_ATTRS = {"value", "placeholder", "title", "alt", "aria-label"}
    TYPED = {"text", "search", "number", "date", "tel", "email", "submit", "button"}  # inputs that show their value
    HIDDEN = {"script", "style"}  # their content is not on screen

    def __init__(self) -> None:
        self.text: list[str] = []
        self.ids: list[str] = []
        self.titles = 0

    def feed(self, html: str) -> None:
        if not html.strip():
            return
        for event, element in etree.iterwalk(lxml_html.document_fromstring(html), events=("start", "end")):
            if event == "end":
                if element.tail:  # the text after an element (or a comment) up to the next tag
                    self.text.append(element.tail)
            elif isinstance(element.tag, str):  # not a comment
                self._start(element)

    def _start(self, element) -> None:
        tag = element.tag
        self.titles += tag == "title"
        kind = element.get("type") or "text"
        for name, value in element.items():
            if name == "id" and value:
                self.ids.append(value)
            elif name in self.SHOWN_ATTRS and value and (name != "value" or tag == "input" and kind in self.TYPED):
                self.text.append(value)
        if element.text and tag not in self.HIDDEN:
            self.text.append(element.text)


TEMPLATE_SYNTAX = ["{#", "#}", "{{", "}}", "{%", "%}", "[object"]
NONE = re.compile(r"(?<![A-Za-z])None(?![A-Za-z])")
CODE = re.compile(r"(?<![\w.@/:-])[a-z]+(?:_[a-z]+)+(?![\w.@/-])")  # in_progress, owners_committee: a code, not a word


def problems(html: str) -> list[str]:
    found = [f"shows {token!r}" for token in TEMPLATE_SYNTAX if token in html]
    page = _Page()
    page.feed(html)
    text = " ".join(page.text)
    found += [f"shows None: …{text[max(0, m.start() - 40):m.end() + 20]!r}…" for m in NONE.finditer(text)][:1]
    found += [f"shows a code instead of words: {code!r}" for code in sorted(set(CODE.findall(text)))]
    if "<html" in html:
        found += [] if page.titles == 1 else [f"has {page.titles} <title> elements"]
    duplicated = [i for i, n in Counter(page.ids).items() if n > 1]
    found += [f"repeats element ids {duplicated}"] if duplicated else []
    return found


def error_page_problems(html: str) -> list[str]:
    """A 400/403/404 page is the site's own, in Chinese."""
    found = [] if '<html lang="zh-hans"' in html else ["an error page not in Chinese (html lang)"]
    found += [] if 'class="site-header"' in html else ["an error page without the site's layout"]
    return found


# ---- the crawl --------------------------------------------------------------------------------------------

def client_for(data: CrawlData, persona: str) -> Client:
    client = Client(raise_request_exception=True)
    if persona != "anonymous":
        client.force_login(data.world.users[persona])
    return client


def fetch(client: Client, url: str) -> tuple[int | None, str, str]:
    """(status, content type, body); status None and the error when the view raised (a 500)."""
    try:
        response = client.get(url)
    except Exception as exc:  # noqa: BLE001 — every server error is collected and reported together
        return None, "", f"{type(exc).__name__}: {exc}"[:300]
    kind = response.get("Content-Type", "")
    body = response.content.decode(errors="replace") if kind.startswith("text/html") else ""
    return response.status_code, kind, body


def check(client: Client, url: str, allowed: set[int]) -> list[str]:
    return judge(url, fetch(client, url), allowed)


def judge(url: str, fetched: tuple[int | None, str, str], allowed: set[int]) -> list[str]:
    """What is wrong with a fetched page: a 500, a status not in `allowed`, or something a person must never see."""
    status, _, body = fetched
    if status is None:
        return [f"{url}: 500 {body}"]
    if status not in allowed:
        return [f"{url}: answered {status}, expected one of {sorted(allowed)}"]
    found = problems(body) if body else []
    if body and status in (400, 403, 404):
        found += error_page_problems(body)
    return [f"{url} ({status}): {problem}" for problem in found]


PAGE_STATUSES = {200, 301, 302, 400, 403, 404, 405}
API_STATUSES = PAGE_STATUSES | {422}  # the API names a NUL's field with a 422 (docs/text-input.md)


@pytest.mark.parametrize("persona", ["anonymous", *PERSONAS])
def test_every_page_renders_for_every_persona_with_nothing_a_person_must_never_see(crawl, persona):
    pages = visits(crawl)
    assert not pages.unfilled, ("the crawl cannot fill these routes: add them to OBJECTS in yishiting/web/tests/"
                                f"test_crawl.py (and their objects to crawl_data.py): {pages.unfilled}")
    crawl_as(crawl, persona, pages)


def crawl_as(data: CrawlData, persona: str, pages: Visits) -> None:
    """Open every page of `pages` as `persona`; fail with every problem found."""
    client = client_for(data, persona)
    every = persona == "community_secretary"  # who opens every document (each takes a few hundred ms)
    failures = []
    for urls in pages.real:
        # A route's addresses: all of them, but only the first of a POST-only route (GET is refused before any
        # object is read) and of a document for all but one persona. The first is fetched once: it both answers
        # whether the route takes GET and is checked.
        first = fetch(client, urls[0])
        failures += judge(urls[0], first, PAGE_STATUSES)
        if first[0] != 405:
            failures += [f for url in urls[1:] if every or url not in pages.documents
                         for f in check(client, url, PAGE_STATUSES)]
    failures += [f for url in pages.missing for f in check(client, url, {301, 302, 403, 404, 405})]
    assert not failures, f"{len(failures)} problems as {persona}:\n" + "\n".join(failures)


# ---- junk in the address bar --------------------------------------------------------------------------------

VIEWS = Path(__file__).resolve().parent.parent / "views"
READS = re.compile(r"""GET(?:\.get|\.getlist|\[)\(?["'](\w+)["']|query_pk\(request, ["'](\w+)["']""")
BOUND = re.compile(r"([\w.]+Form)\(request\.GET")


def query_names() -> list[str]:
    """Every query parameter a view reads, from the views' source and the fields of the forms bound to GET."""
    from importlib import import_module

    names = {"page", "date", "area", "topic", "resolution", "meeting", "status", "q", "year", "kind", "mine"}
    for source in VIEWS.glob("*.py"):
        text = source.read_text()
        names |= {a or b for a, b in READS.findall(text)}
        module = import_module(f"yishiting.web.views.{source.stem}")
        for dotted in BOUND.findall(text):
            form = module
            for part in dotted.split("."):
                form = getattr(form, part)
            names |= set(form.base_fields)
    return sorted(names)


JUNK = ["abc", "99999999999999999999"]
MIXED = ["-1", "0", "1.5", "2026-13-45", "²", "<b>x</b>", "a\x00b", ""]  # one of these per name, in turn


def junk_urls(url: str, names: list[str]) -> list[str]:
    """The page with every name it reads set to junk: the same junk everywhere, then mixed (twice, shifted)."""
    from urllib.parse import urlencode

    same = [{name: value for name in names} for value in JUNK]
    mixed = [{name: MIXED[(i + shift) % len(MIXED)] for i, name in enumerate(names)} for shift in (0, 3)]
    return [f"{url}?{urlencode(query)}" for query in same + mixed]


@pytest.mark.parametrize("persona", ["anonymous", "resident", "community_secretary", "handler"])
def test_junk_in_any_query_parameter_is_never_a_server_error(crawl, persona):
    client, names = client_for(crawl, persona), query_names()
    pages = [url for url in visits(crawl).first if fetch(client, url)[0] == 200]
    failures = [f for url in pages for junk in junk_urls(url, names)
                for f in check(client, junk, API_STATUSES if url.startswith("/api/") else PAGE_STATUSES)]
    assert not failures, f"{len(failures)} problems as {persona}:\n" + "\n".join(failures)


def test_the_reported_addresses_answer_a_chinese_not_found_page(crawl):
    client = client_for(crawl, "community_secretary")
    for url in ["/meetings/new/?topic=abc", "/notices/new/?resolution=abc", "/meetings/new/?topic=",
                "/notices/new/?resolution=99999999999999999999"]:
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert "找不到页面" in html and '<html lang="zh-hans"' in html and 'class="site-header"' in html, url


def test_a_nul_character_in_the_address_is_a_chinese_400_on_pages_and_a_422_in_the_api(crawl):
    """PostgreSQL refuses NUL in any text; the request stops before reaching the database: the site's 400 page,
    the API's 422 naming the field (docs/text-input.md)."""
    client = client_for(crawl, "community_secretary")
    page = client.get("/topics/?q=a%00b")
    html = page.content.decode()
    assert page.status_code == 400 and "请求无法处理" in html and 'class="site-header"' in html
    api = client.get("/api/v1/topics?q=a%00b")
    assert api.status_code == 422 and api.json()["code"] == "validation_error"
    assert [(e["location"], e["field"]) for e in api.json()["details"]["errors"]] == [("query", "q")]


def test_the_checker_sees_what_a_person_would_see():
    page = ('<html><head><title>x</title></head><body><p>负责人：None</p><p>{# note #}</p><p>in_progress</p>'
            '<input type="text" value="None"><select><option value="fund_use">使用维修资金</option></select>'
            '<input type="hidden" name="a" value="None"><div id="a"></div><div id="a"></div></body></html>')
    found = problems(page)
    assert found[:2] == ["shows '{#'", "shows '#}'"] and found[2].startswith("shows None: …'x 负责人：None"), found
    assert found[3:] == ["shows a code instead of words: 'in_progress'", "repeats element ids ['a']"], found
    assert problems('<input type="text" value="None">')[0].startswith("shows None")
    assert problems("<p>一切正常 2026-12-06</p>") == []


# ---- templates --------------------------------------------------------------------------------------------

def test_no_template_has_a_comment_that_would_show_on_screen():
    """`{# … #}` spanning lines is not a Django comment: it renders as text. Use {% comment %} instead."""
    root = Path(__file__).resolve().parents[2]
    opened = re.compile(r"\{#(?![^\n]*#\})")
    found = [f"{path.relative_to(root)}:{text[:m.start()].count(chr(10)) + 1}"
             for path in root.glob("*/templates/**/*") if path.is_file()
             for text in [path.read_text(errors="replace")] for m in opened.finditer(text)]
    assert not found, f"multi-line {{# #}} comments (they show on the page): {found}"


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_error_pages_are_the_sites_own_in_chinese(rf, status):
    """Django's handlers render 400/403/404/500.html; each has the site's header, a Chinese heading and a way on."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied, SuspiciousOperation
    from django.http import Http404
    from django.views import defaults

    request = rf.get("/somewhere/", headers={"Accept-Language": "en"})
    request.user = AnonymousUser()
    response = {400: lambda: defaults.bad_request(request, SuspiciousOperation()),
                403: lambda: defaults.permission_denied(request, PermissionDenied()),
                404: lambda: defaults.page_not_found(request, Http404()),
                500: lambda: defaults.server_error(request)}[status]()
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="zh-hans"' in html and 'class="site-header"' in html and 'href="/"' in html
    assert re.search(r"<h1>[^<]*[\u4e00-\u9fff]", html) and not problems(html), html
