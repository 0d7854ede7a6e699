"""Words that are formatted when they are read, not when they are made: a check's findings are shown to the
planner in their language and kept on the meeting in the site's (services.meetings.Problem)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy


def _said(message: str, params: dict[str, object]) -> str:
    text = str(message)
    return text % {key: str(value) for key, value in params.items()} if params else text


def said(message: str, **params: object) -> str:
    """`message` (a gettext_lazy msgid with %(name)s places) filled with `params` in the language active when it
    is shown; params may themselves be lazy (choice labels, `listed`)."""
    return lazy(_said, str)(message, params)


def _listed(items: tuple) -> str:
    return gettext("、").join(str(item) for item in items)


def listed(items: Iterable[object]) -> str:
    """Items joined as the reader's language lists them (、 in Chinese, a comma in English), lazily."""
    return lazy(_listed, str)(tuple(items))


# The findings that are kept on a meeting (Meeting.warnings), worded in one place: the services word them when
# they find them, `selectors.meetings.meeting_warnings` words them again for a page in another language.

def parties_missing(codes: Iterable[str]) -> str:
    from .choices import Party

    labels = listed(Party(code).label if code in Party.values else code for code in codes)
    return said(gettext_lazy("缺少以下各方代表：%(labels)s。"), labels=labels)


def too_few(template_name: str, min_size: int, size: int) -> str:
    return said(gettext_lazy("%(name)s至少 %(min_size)s 人参加（含主持人），现在 %(size)s 人。"),
                name=template_name, min_size=min_size, size=size)


def late_notice(days: int, name: str, at: str) -> str:
    return said(gettext_lazy("通知时间不足 %(days)s 天：%(name)s追加邀请时距会议开始（%(at)s）已不足 %(days)s 天，"
                             "请电话确认能否到会。"), days=days, name=name, at=at)


def kept(message: str, **params: object) -> str:
    """`message` (marked with gettext_noop) in the site's language whoever acts: the words of a record — an event's
    reason, a notification sent — are the community's, not the reader's of the moment."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message)
        return text % {key: str(value) for key, value in params.items()} if params else text


# Who may fill each of the eight parties (selectors.parties), as the plan's check and the candidates say it.
HOLDERS = {
    "resident": gettext_lazy("本议题范围内的居民或业主"),
    "grid_worker": gettext_lazy("本议题所在网格或上级的网格员、网格长、片区长、区域长"),
    "deputy": gettext_lazy("本区域或上级登记的两代表一委员"),
    "property": gettext_lazy("管理本小区的物业服务企业的人员"),
    "owners_committee": gettext_lazy("本小区业主委员会的成员"),
    "social_org": gettext_lazy("在本区域登记的社会组织的人员"),
    "legal_adviser": gettext_lazy("本社区的法律顾问或法律顾问库中的律师"),
    "dual_registration": gettext_lazy("在本社区报到的“双报到”单位的联络员或在职党员"),
}


def party_unverified(name: str, code: str) -> str:
    """A label of one of the eight parties that its person does not hold: kept on the list, not counted."""
    from .choices import Party

    return said(gettext_lazy("%(name)s不是%(holders)s，不计入“%(party)s”一方（可改为“利益相关方”）。"),
                name=name, holders=HOLDERS.get(code, ""), party=Party(code).label if code in Party.values else code)


def no_holder(code: str) -> str:
    """No one in the matter's place holds a missing party (the candidates list is empty)."""
    return said(gettext_lazy("本议题范围内还没有登记的%(holders)s，请先在“区域”页面或后台为其登记角色。"),
                holders=HOLDERS.get(code, ""))
