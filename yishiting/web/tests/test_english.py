"""English everywhere once the person picks it: no page mixes the site's Chinese into English.

Four checks, each parametrized so a part of the site can be checked alone (`-k pages/demands`, `-k deliberation`,
`-k "english_pages and meetings"`):
1. templates: no Chinese outside {% translate %} / {% blocktranslate %} and comments (read with Django's lexer);
2. catalogs: every string marked anywhere (found as makemessages finds them) has English in the merged catalog,
   and each committed .mo is its .po compiled;
3. Python: every Chinese literal of a module that puts words on pages is inside a gettext call;
4. at run time: every page, for every persona, with the language cookie set to English: html lang and
   Content-Language are "en", no gettext lookup comes back in Chinese, and no Chinese is shown that is not data
   (a person's words, a place's name: anything stored in the database).

What stays Chinese on purpose: printable records (the dossier PDF/DOCX, minutes, posters, 台账 spreadsheets —
documents of the community, in its language), the JSON API's messages (stable codes, Chinese text), the data
people typed, and the operators' command line. See NOT_UI below and docs/i18n.md.
"""

from __future__ import annotations

import gettext as gnu_gettext
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from yishiting.common.testing import PERSONAS

from .crawl_data import CrawlData
from .english import (
    PACKAGE,
    ROOT,
    data_text,
    foreign_punctuation,
    foreign_runs,
    python_findings,
    recording_untranslated,
    rel,
    template_findings,
    template_msgids,
    untranslated,
    xgettext,
)
from .test_crawl import MISSING, OBJECTS, _Page, crawl, web_routes  # noqa: F401 — `crawl`: the data, built once

# ---- what is checked ----------------------------------------------------------------------------------------

TEMPLATES = PACKAGE / "web" / "templates"  # the pages (web/…) and the error pages (404.html …)

# Modules whose Chinese is not the site's words on a page. Each entry says why; a module that shows words on a
# page never belongs here (put it on PENDING while its translation is under way).
NOT_UI: dict[str, str] = {
    "yishiting/demo/": "the demo district's stories: data the demo seeds, shown as people's words",
    "yishiting/areas/demo/": "the demo district's names and people: data",
    "yishiting/grid/demo.py": "the demo's visits and patrols: data the demo seeds, shown as people's words",
    "yishiting/demands/suggest/": "Chinese lexicons for matching residents' Chinese text, never shown",
    "yishiting/common/testing.py": "the test personas and their area tree: data",
    "yishiting/api/": "the JSON API: stable codes with Chinese messages, and the OpenAPI descriptions",
    "yishiting/open311/": "the Open311 API (JSON/XML for machines)",
    "yishiting/handling/dossier.py": "the 一事一档 dossier: a printable record in the community's language",
    "yishiting/handling/dossier_render.py": "the dossier's PDF/DOCX rendering",
    "yishiting/handling/jobs.py": "background jobs: their summaries are the operators' log lines",
    "yishiting/handling/tick.py": "the tick's summary lines: the operators' command line and job log",
    "yishiting/mediation/dossier.py": "a mediation case's 一事一档 dossier: a printable record in the community's language",
    "yishiting/whistles/dossier.py": "a whistle's lines in the 一事一档 dossier: a printable record in the community's language",
    "yishiting/handling/notice_poster.py": "the printable notice poster",
    "yishiting/mediation/agreement_render.py": "the 调解协议书 PDF/DOCX: a printable record in the community's language",
    "yishiting/demands/posters.py": "the printable QR poster",
    "yishiting/alliances/letters.py": "the 党建联盟 rating result letter (PDF): a printable record in Chinese",
    "yishiting/demands/exports.py": "the 台账 spreadsheets (XLSX): printable records",
    "yishiting/handling/exports.py": "the 台账 spreadsheets (XLSX): printable records",
    "yishiting/common/tabular.py": "spreadsheet column headers of the 台账 and the import formats",
    "yishiting/common/xlsx.py": "spreadsheet writing",
    "yishiting/common/documents.py": "PDF/DOCX writing of printable records",
    "yishiting/common/states.py": "writes docs/states/*.md (`yishiting states`): documentation",
    "yishiting/common/events.py": "the event chain's checks, reported by `yishiting verify` (command line)",
    "yishiting/common/messaging.py": "the console/email SMS adapters' log lines",
    "yishiting/notifications/push.py": "the answers to the SMS providers' receipt pushes (JSON for machines, "
                                       "Alibaba's documented reply)",
    "yishiting/common/dbrouter.py": "the replica router's warnings: the operators' log lines",
    "yishiting/common/partitions.py": "the tick's partition step and `yishiting partitions`: the operators' command "
                                      "line and job log",
    "yishiting/demands/catalogue.py": "the example categories and consultation catalogue seeded into the database: data",
    "/management/commands/": "the operators' command line, not a page",
    "yishiting/demands/importer.py": "questionnaires and opinion cards, imported by the `import_demands` command "
                                      "only (a page that uses it must take it off this list)",
    "yishiting/cli.py": "the operators' command line, not a page",
    "yishiting/common/reconcile.py": "`yishiting verify`'s reconciliation of tables against the event chains "
                                     "(command line)",
    "yishiting/demands/reconcile.py": "what `yishiting verify` reconciles for demands (command line)",
    "yishiting/deliberation/reconcile.py": "what `yishiting verify` reconciles for topics (command line)",
    "yishiting/handling/reconcile.py": "what `yishiting verify` reconciles for handling (command line)",
    "yishiting/loop.py": "the loop's wiring (screening routes, `yishiting verify` labels): no page text",
    "yishiting/handling/reconcile_supervision.py": "what `yishiting verify` reconciles for supervision, bulletins "
                                                   "and warnings (command line)",
    "yishiting/common/anchors.py": "the anchor files `yishiting verify` writes and checks (command line)",
    "yishiting/common/backup.py": "`yishiting backup` / `restore` and the backup's manifest (command line)",
    "yishiting/oversight/reconcile.py": "what `yishiting verify` reconciles for the roll-ups (command line)",
}

# UI modules and template folders whose translation is under way, with who is doing it. The integrator empties this
# set. Their checks are expected to fail meanwhile (xfail); test_nothing_on_pending_is_already_clean fails once
# everything under an entry passes the template and Python checks, so a finished entry does not linger.
PENDING: dict[str, str] = {}
# Pages (grouped by the module of their view) that show pending work: their check is a strict xfail, which fails
# once the group's pages pass.
PENDING_PAGES: dict[str, str] = {}


def _listed(path: str, table: dict[str, str]) -> str | None:
    return next((why for prefix, why in table.items() if prefix in path if path.startswith(prefix) or
                 prefix.startswith("/")), None)


def _pending(key: str, table: dict[str, str] = PENDING) -> list:
    """xfail while under way. A pending page group is one test of its own: strict, so the day its pages pass it
    fails and says to take it off PENDING_PAGES (test_nothing_on_pending_is_already_clean does it for PENDING)."""
    owner = _listed(key, table) if table is PENDING else table.get(key)
    return [pytest.mark.xfail(reason=f"translation under way ({owner}); take it off PENDING when done",
                              strict=table is PENDING_PAGES)] if owner else []


def _python_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "/tests/" not in rel(p) and "/migrations/" not in rel(p))


def _template_dirs() -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(TEMPLATES.rglob("*.html")):
        groups[rel(path.parent)].append(path)
    return groups


def _python_dirs() -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in _python_modules():
        groups[rel(path.parent)].append(path)
    return groups


def _params(keys, table: dict[str, str] = PENDING) -> list:
    return [pytest.param(key, id=key.removeprefix("yishiting/"), marks=_pending(key, table)) for key in sorted(keys)]


# ---- 1. templates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("directory", _params(_template_dirs()))
def test_templates_show_chinese_only_through_translate_tags(directory):
    found = [f for path in _template_dirs()[directory] for f in template_findings(path)]
    assert not found, f"{len(found)} Chinese texts outside {{% translate %}}/{{% blocktranslate %}}:\n" + \
        "\n".join(found)


def test_the_template_check_reads_tags_not_text(tmp_path):
    page = tmp_path / "t.html"
    page.write_text('{% load i18n %}{# 注释 #}{% comment %}说明{% endcomment %}<h1>{% translate "首页" %}</h1>\n'
                    '{% blocktranslate with n=count %}共 {{ n }} 条{% endblocktranslate %}{{ x|default:_("无") }}\n'
                    '<p>提交</p>{{ y|default:"无" }}{% include "a.html" with label="标题" %}')
    found = template_findings(page)
    assert [f.split(": ", 1)[1] for f in found] == ["'<p>提交</p>'", "'y|default:\"无\"'",
                                                   "'include \"a.html\" with label=\"标题\"'"], found


# ---- 2. catalogs ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("directory", _params(_template_dirs()))
def test_every_string_marked_in_templates_has_english(directory):
    missing = untranslated(template_msgids(_template_dirs()[directory]))
    assert not missing, f"{len(missing)} msgids without English (add them to a locale/en django.po):\n" + \
        "\n".join(missing)


@pytest.mark.parametrize("directory", _params(_python_dirs()))
def test_every_string_marked_in_python_has_english(directory):
    missing = untranslated(xgettext(_python_dirs()[directory]))
    assert not missing, f"{len(missing)} msgids without English (add them to a locale/en django.po):\n" + \
        "\n".join(missing)


CATALOGS = sorted(PACKAGE.glob("*/locale/en/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po", CATALOGS, ids=[rel(p).split("/")[1] for p in CATALOGS])
def test_each_committed_mo_is_its_po_compiled(po, tmp_path):
    """msgfmt --check refuses a broken entry; the committed .mo must hold exactly what the .po says."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True, capture_output=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"compile it: msgfmt -o {rel(committed)} {rel(po)}"
    with fresh.open("rb") as a, committed.open("rb") as b:
        assert gnu_gettext.GNUTranslations(a)._catalog == gnu_gettext.GNUTranslations(b)._catalog, \
            f"{rel(committed)} is stale: msgfmt -o {rel(committed)} {rel(po)}"


def test_no_msgid_has_two_englishes():
    """Django merges the apps' catalogs and the first app wins: a msgid translated differently in two catalogs reads
    one way on every page, whichever its author meant. Two meanings of one Chinese word take a context."""
    from .english import parse_po

    english: dict[tuple, dict[str, str]] = defaultdict(dict)
    for po in CATALOGS:
        for fields, _comments, flags in parse_po(po.read_text()):
            if fields.get("msgid") and "fuzzy" not in flags:
                english[(fields.get("msgctxt"), fields["msgid"])][rel(po).split("/")[1]] = fields.get("msgstr", "")
    clashes = {key[1]: by_app for key, by_app in english.items() if len(set(by_app.values())) > 1}
    assert not clashes, clashes


def test_the_catalog_check_finds_a_missing_translation():
    from .english import Msg

    assert untranslated([Msg("首页"), Msg("一句没有译文的话", where="x.py:1"), Msg("%(n)s")]) == \
        ["x.py:1: '一句没有译文的话'"]


# ---- 3. Python strings ----------------------------------------------------------------------------------------

UI_MODULES = [p for p in _python_modules() if not _listed(rel(p), NOT_UI)]


@pytest.mark.parametrize("module", _params(rel(p) for p in UI_MODULES))
def test_chinese_in_modules_that_make_pages_is_marked_for_translation(module):
    found = python_findings(ROOT / module)
    assert not found, f"{len(found)} Chinese literals outside gettext (wrap them in gettext/gettext_lazy, or " \
                      f"say in NOT_UI why the module is not page text):\n" + "\n".join(found)


def test_the_python_check_sees_bare_literals_only(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""模块说明"""\nfrom django.utils.translation import gettext_lazy as _\n'
                      'A = _("首页")\nB = "裸字"\nC = f"共{1}条"\ndef f():\n    """函数说明"""\n'
                      '    return format_lazy("{}", pgettext("上下文", "词"))\n'
                      'SMS = "【议事厅】"  # zh-only: the text messages go out in Chinese\n')
    found = python_findings(module)
    assert [f.split(":")[-1].strip() for f in found] == ["'裸字'", "'共'", "'条'"], found


def test_nothing_on_pending_is_already_clean():
    """A finished PENDING entry fails here; a pending page group must name a group of pages, and its check is a
    strict xfail (see _pending), which fails the day the group's pages are all English."""
    unknown = [group for group in PENDING_PAGES if group not in _page_groups()]
    assert not unknown, f"PENDING_PAGES names no group of pages: {unknown}"
    assert all(mark.kwargs["strict"] for param in _params(PENDING_PAGES, PENDING_PAGES) for mark in param.marks)
    clean = []
    for prefix in PENDING:
        templates = [p for d, paths in _template_dirs().items() if d.startswith(prefix) for p in paths]
        modules = [p for p in UI_MODULES if rel(p).startswith(prefix)]
        assert templates or modules, f"PENDING names nothing that exists: {prefix}"
        if not any(template_findings(p) for p in templates) and not any(python_findings(p) for p in modules):
            clean.append(prefix)
    assert not clean, f"take these off PENDING (their templates and modules are clean): {clean}"


def test_no_module_is_both_pending_and_not_ui():
    both = [p for p in PENDING if _listed(p, NOT_UI)]
    assert not both, both


# ---- 4. every page, in English --------------------------------------------------------------------------------

DOCUMENT = re.compile(r"\.(pdf|docx|xlsx)$")
PER_ROUTE = 3  # objects in different states per route (the Chinese crawl in test_crawl.py opens them all)


def english_client(data: CrawlData, persona: str) -> Client:
    client = Client(raise_request_exception=True)
    client.cookies["django_language"] = "en"
    if persona != "anonymous":
        client.force_login(data.world.users[persona])
    return client


def _page_groups() -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for route in web_routes():
        if not DOCUMENT.search(str(route.pattern)):
            groups[route.callback.__module__.rsplit(".", 1)[-1]].append(route)
    return groups


def _urls(data: CrawlData, routes: list) -> list[str]:
    urls = []
    for route in routes:
        params = route.pattern.converters
        kwargs_list = OBJECTS[route.name](data)[:PER_ROUTE] if route.name in OBJECTS else [{}]
        urls += [reverse(f"web:{route.name}", kwargs=kwargs) for kwargs in kwargs_list]
        if params:
            urls.append(reverse(f"web:{route.name}", kwargs={
                key: MISSING if type(params[key]).__name__ == "IntConverter" else "no-such-slug" for key in params}))
    return urls


def english_problems(client: Client, url: str, data: str) -> list[str]:
    with recording_untranslated() as lookups:
        response = client.get(url)
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    found = [f"untranslated msgid {m!r}" for m in dict.fromkeys(lookups)]
    if "<html" in html:
        found += [] if '<html lang="en"' in html else ["<html lang> is not en"]
        found += [] if response.get("Content-Language") == "en" else \
            [f"Content-Language {response.get('Content-Language')!r}"]
    page = _Page()
    page.feed(html)
    found += [f"Chinese that is not data: {run!r}" for run in foreign_runs(" ".join(page.text), data)]
    found += [f"Chinese punctuation in the site's words: {around!r}"
              for around in foreign_punctuation(" ".join(page.text), data)]
    return [f"{url} ({response.status_code}): {problem}" for problem in found]


@pytest.mark.django_db
@pytest.mark.xdist_group("crawl")  # test_crawl.py's group: its data, built once per pass (crawl_session.py)
@pytest.mark.parametrize("group", _params(_page_groups(), PENDING_PAGES))
def test_english_pages_are_english_for_every_persona(crawl, group):  # noqa: F811 — the fixture
    urls, data = _urls(crawl, _page_groups()[group]), data_text()
    failures = []
    for persona in ["anonymous", *PERSONAS]:
        client = english_client(crawl, persona)
        failures += [f"as {persona}: {f}" for url in urls for f in english_problems(client, url, data)]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(dict.fromkeys(failures))


@pytest.mark.django_db
@pytest.mark.xdist_group("crawl")
def test_the_page_check_tells_data_from_the_sites_words(crawl):  # noqa: F811 — the fixture
    """A demand's title typed in Chinese is data; a Chinese msgid rendered untranslated is not."""
    from django.utils import translation

    data = data_text()
    title = next(line for line in data.splitlines() if len(line) >= 4)
    assert foreign_runs(f"Title: {title}", data) == []
    assert foreign_runs("Submit 提交诉求吧", data) in (["提交诉求吧"], [])
    stored = "幸福苑3栋\n社区（村）\n张三"
    assert foreign_runs("12月6日 07:19 · 张* submitted · 幸福苑3栋 · 社区（村） ·栋", stored) == ["12月6日", "栋"]
    assert foreign_runs("Typed: 12月6日 停水 · 12月8日", "12月6日停水") == ["12月8日"]
    with recording_untranslated() as lookups, translation.override("en"):
        assert translation.gettext("首页") == "Home" and translation.gettext("一句没有译文的话") == "一句没有译文的话"
        translation.gettext_lazy("另一句没有译文的话").__str__()
    assert lookups == ["一句没有译文的话", "另一句没有译文的话"]


def test_the_punctuation_check_finds_the_sites_chinese_punctuation_and_leaves_typed_text_alone():
    stored = "幸福苑3栋停水。\n社区（村）\n张三：楼道灯坏了，晚上看不见"
    assert foreign_punctuation("Pending 4，2 overdue", stored) == ["Pending 4，2 overdue"]
    assert len(foreign_punctuation("Reason：none (管理员、网格员)", stored)) == 2  # the colon and the list's 、
    assert foreign_punctuation("Title: 幸福苑3栋停水。 · 社区（村） · 张三：楼道灯坏了，晚上看不见", stored) == []
    site = foreign_punctuation("Area: 社区（村）（3 households）", stored)  # the stored name's brackets are data
    assert len(site) == 2 and site[0].endswith("（3 households")
    assert foreign_punctuation("4, 2 overdue · Reason: none", stored) == []
