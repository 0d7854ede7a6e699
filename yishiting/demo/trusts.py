"""信托制物业 in the demo (seed 001, 裕园社区 in Jinan): the persona's estate put its property fees and public income
into a trust fund four months ago; its property company takes 10 % of the income as remuneration; each month's
fees, parking and advertising income are posted, cleaning and greening are paid with both sides' approval; the
blocked drains of one building were first quoted five times too high — the owners' committee refused — and then
fixed for a fifth of it, with a service record; an owner (the resident persona) asked about a line and the
property company answered; last month's parking line was posted wrong, and its reversal waits for the committee's
approval (双密码). Another estate of the community, without a trust, has its 业委会 publish public income
and its use each quarter. Written through the services as the people themselves; the committee's chair, the
property manager (the fund's two authorised persons) and the other estate's committee chair sign in with the
demo password (`trust_logins`: `trust_committee`, the manager's account — `whistle_property_company` when the
吹哨 story made it first — and `disclosure_committee`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from yishiting.accounts.models import User
from yishiting.areas import services as area_services
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.demo import Login
from yishiting.areas.models import Area, Organization, Person, RoleAssignment
from yishiting.trusts import services as trust
from yishiting.trusts.choices import Side
from yishiting.trusts.models import Disclosure, Signatory, TrustContract, TrustFund

from .cast import Cast
from .steps import photo

MONTHS = 4
MONTH = 21  # working days (`at` counts working days back; the history starts ~100 of them ago)


ROLES = {Side.COMMITTEE: "信托基金业委会授权人", Side.COMPANY: "信托基金物业公司授权人",  # zh-only: demo list
         "disclosure": "业委会代表（公共收益公开）"}  # zh-only: demo list


def _account(person: Person, username: str, password: str) -> User:
    """The person's account, signing in with the demo password (`password` is the personas' hash). A person
    another story gave an account nobody signs in with (the property manager answers the 吹哨 as the property
    company: `whistle_property_company`) keeps that account, now with the demo password: they keep the desk."""
    if person.user_id:
        user = User.objects.get(pk=person.user_id)
        if not user.has_usable_password():
            user.password = password
            user.save(update_fields=["password"])
        return user
    user, _ = User.objects.get_or_create(username=username, defaults={"password": password})
    person.user = user
    person.save(update_fields=["user"])
    return user


def _representative(org: Organization) -> Person | None:
    role = (RoleAssignment.objects.filter(organization=org, role=Role.ORG_REPRESENTATIVE, is_active=True)
            .select_related("person").order_by("pk").first())
    return role.person if role else None


def _committee(cast: Cast, estate: Area) -> tuple[Organization, Person]:
    """The estate's 业委会 and its chair; an estate without one elects one (its first owner chairs it)."""
    org = Organization.objects.filter(kind=OrganizationKind.OWNERS_COMMITTEE, area=estate).order_by("pk").first()
    if org is None:
        org = area_services.organization_create(actor=None, kind=OrganizationKind.OWNERS_COMMITTEE,
                                                name=f"{estate.name}业主委员会", area=estate)
    chair = _representative(org)
    if chair is None:
        chair = (Person.objects.filter(roles__role=Role.OWNER, roles__is_active=True, path__startswith=estate.path)
                 .exclude(pk=cast.person("resident").pk).order_by("pk").first())
        area_services.role_assign(actor=None, person=chair, role=Role.ORG_REPRESENTATIVE, area=estate,
                                  organization=org, title="业委会主任")
    return org, chair


def _company(estate: Area) -> tuple[Organization, Person]:
    org = Organization.objects.filter(kind=OrganizationKind.PROPERTY_COMPANY, path__startswith=estate.path).order_by("pk").first()
    return org, _representative(org)


def _fund(cast: Cast, opened) -> tuple[TrustFund, User, User]:
    estate = cast.estate
    committee, chair = _committee(cast, estate)
    company, manager = _company(estate)
    fund = TrustFund.objects.create(estate=estate, name=f"{estate.name}物业信托基金", owners_committee=committee,
                                    property_company=company, opened_on=opened)
    TrustContract.objects.create(fund=fund, effective_from=opened, rate="10.00", note="信托制物业服务合同")
    Signatory.objects.create(fund=fund, side=Side.COMMITTEE, person=chair)
    Signatory.objects.create(fund=fund, side=Side.COMPANY, person=manager)
    password = cast.user("resident").password
    return fund, _account(chair, "trust_committee", password), _account(manager, "trust_company", password)


def _pay(fund, company: User, committee: User, category: str, supplier: str, amount: str, what: str, n: int):
    expense = trust.expense_propose(actor=company, fund=fund, category=category, supplier=supplier, amount=amount,
                                    description=what, photos=[photo(n)[1]])
    trust.expense_approve(actor=company, expense=expense, note="")
    return trust.expense_approve(actor=committee, expense=expense, note="已核对凭证")


def trusts_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    start = MONTHS * MONTH + 4
    yield from _disclosures(cast, at)
    yield at(start, 9)
    fund, committee, company = _fund(cast, at(start).date())
    owner = cast.user("resident")
    for month in range(MONTHS):
        back = start - 2 - month * MONTH
        yield at(back, 10)
        day = at(back).date()
        fees = trust.income_post(actor=company, fund=fund, category="property_fee", amount=f"{38000 + month * 650}.00",
                                 booked_on=day, note=f"{day.month}月物业费")
        parking = trust.income_post(actor=company, fund=fund, category="parking", amount=f"{6200 + month * 120}.50",
                                    booked_on=day, note=f"{day.month}月地面停车费")
        if month % 2 == 0:
            trust.income_post(actor=company, fund=fund, category="advertising", amount="3000.00", booked_on=day,
                              note="电梯轿厢广告位（两个月）")
        yield at(back - 5, 15)
        _pay(fund, company, committee, "cleaning", "洁美保洁服务部", "8600.00", f"{day.month}月公共区域保洁", month)
        if month == 0:
            question = trust.question_ask(actor=owner, entry=fees, text="物业费收了多少户？有没有欠费的？")
            yield at(back - 6, 11)
            trust.question_answer(actor=company, question=question,
                                  text="本月应收412户，实收389户，欠费23户已逐户上门提醒，明细可到物业服务中心查看。")
        if month == 1:
            yield at(back - 8, 9)
            quoted = trust.expense_propose(actor=company, fund=fund, category="repair", supplier="某管道工程公司",
                                           amount="25000.00", description="3栋、5栋下水道堵塞，整体更换排水管",
                                           photos=[photo(20)[1]])
            trust.expense_approve(actor=company, expense=quoted, note="")
            yield at(back - 9, 16)
            refused = trust.expense_refuse(actor=committee, expense=quoted,
                                           reason="整体更换没有必要，请先勘察论证，找专业队伍疏通维护")
            yield at(back - 12, 10)
            fixed = trust.expense_propose(actor=company, fund=fund, category="repair", supplier="历下管道疏通队",
                                          amount="5000.00", description="勘察后疏通3栋、5栋主排水管，更换破损管段",
                                          photos=[photo(21)[1]], corrects=refused)
            trust.expense_approve(actor=committee, expense=fixed, note="勘察报告已看过")
            trust.expense_approve(actor=company, expense=fixed, note="")
            yield at(back - 14, 17)
            trust.service_record_add(actor=company, fund=fund, what="3栋、5栋下水道疏通", done_on=at(back - 14).date(),
                                     description="一个月内解决老大难，只花了之前估算的五分之一", expense=fixed)
        if month == MONTHS - 1:  # a line posted wrong: the company asks to reverse it, the committee has not yet decided
            yield at(back - 7, 10)
            wrong = trust.reversal_request(actor=company, entry=parking,
                                           reason="停车费多算了月租车位的重复收费，冲正后按核对后的金额重新登记")
            trust.reversal_approve(actor=company, reversal=wrong, note="")
        if month == 2:
            yield at(back - 10, 10)
            paid = _pay(fund, company, committee, "greening", "园丁绿化养护站", "4200.00", "补种草坪、修剪绿篱", 30)
            trust.service_record_add(actor=company, fund=fund, what="补种草坪、修剪绿篱", done_on=at(back - 10).date(),
                                     expense=paid)


def _disclosures(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    """Another estate of the persona community, without a trust: two quarters disclosed by its 业委会."""
    other = (Area.objects.filter(parent=cast.community, level__code="estate").exclude(pk=cast.estate.pk)
             .order_by("pk").first())
    if other is None:
        return
    yield at(MONTHS * MONTH + 6, 9)  # before the trust story's first step: the stories' moments only move on
    committee, chair = _committee(cast, other)
    user = _account(chair, "disclosure_committee", cast.user("resident").password)
    today = at(MONTHS * MONTH + 6).date()  # the quarters before the one the committee publishes in
    quarters = [((today.month - 1) // 3 + 1 - back) for back in (2, 1)]
    for quarter in quarters:
        year = today.year if quarter >= 1 else today.year - 1
        quarter = quarter if quarter >= 1 else quarter + 4
        draft = trust.disclosure_create(actor=user, estate=other, year=year, quarter=quarter,
                                        note="公共收益由业委会账户管理，每季度公开一次")
        for kind, item, amount, text in [("income", "地面停车费", "18600.00", "固定车位62个"),
                                         ("income", "广告位租金", "4500.00", "电梯广告三个月"),
                                         ("income", "快递柜场地费", "1200.00", ""),
                                         ("use", "更换楼道声控灯", "3260.00", "全小区38盏"),
                                         ("use", "业委会办公耗材", "380.50", "")]:
            trust.disclosure_line_add(actor=user, disclosure=draft, kind=kind, item=item, amount=amount,
                                      description=text)
        trust.disclosure_publish(actor=user, disclosure=draft)


def trust_logins(district: Area) -> list[Login]:
    """The fund's two authorised persons and the disclosing committee's chair, for `yishiting demo`'s list of
    logins (when the history has been built)."""
    from yishiting.areas.demo import DEMO_PASSWORD

    fund = TrustFund.objects.filter(path__startswith=district.path).select_related("estate").order_by("pk").first()
    people = []
    if fund is not None:
        people = [(s.person.user, ROLES[s.side], fund.estate) for s in
                  fund.signatories.filter(is_active=True, person__user__isnull=False).select_related("person__user")]
    disclosure = (Disclosure.objects.filter(path__startswith=district.path,
                                            created_by__user__username="disclosure_committee")
                  .select_related("estate", "created_by__user").first())
    if disclosure is not None:
        people.append((disclosure.created_by.user, ROLES["disclosure"], disclosure.estate))
    return [Login(user.username, DEMO_PASSWORD, role, estate.full_name) for user, role, estate in people
            if user.has_usable_password()]
