"""The checks behind test_english.py: where Chinese may stand in a template or a module, which strings are marked
for translation (found the way `makemessages` finds them: templatize + xgettext), and which gettext lookups a
request made that came back untranslated.

Msgids are the Chinese shown by default; English lives in each app's locale/en/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import ast
import functools
import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.template.base import Lexer, TokenType
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]  # the repository
PACKAGE = ROOT / "yishiting"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MARKED = re.compile(r"""\b_\(\s*(?:"[^"]*"|'[^']*')\s*\)""")  # _("…") inside a template variable or tag

# The calls that mark a string (the ones makemessages knows, plus the lazy forms and format_lazy's pattern).
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy",
           "npgettext", "npgettext_lazy", "format_lazy"}
XGETTEXT_KEYWORDS = ["gettext_noop", "gettext_lazy", "ngettext_lazy:1,2", "pgettext:1c,2", "npgettext:1c,2,3",
                     "pgettext_lazy:1c,2", "npgettext_lazy:1c,2,3", "ngettext:1,2", "gettext", "_"]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# ---- templates: Chinese only inside {% translate %}, {% blocktranslate %} and comments ------------------------

def template_findings(path: Path) -> list[str]:
    """Every piece of Chinese in a template that is neither marked for translation nor a comment."""
    found, inside = [], []  # inside: the block tags we are in ("blocktranslate", "comment", "verbatim")
    for token in Lexer(path.read_text()).tokenize():
        words = token.contents.split()
        first = words[0] if words and token.token_type == TokenType.BLOCK else ""
        if first in ("blocktranslate", "blocktrans", "comment"):
            inside.append(first)
            continue
        if first in ("endblocktranslate", "endblocktrans", "endcomment") and inside:
            inside.pop()
            continue
        if inside or token.token_type == TokenType.COMMENT or first in ("translate", "trans"):
            continue
        text = MARKED.sub("", token.contents)
        if HAN.search(text):
            found.append(f"{rel(path)}:{token.lineno}: {text.strip()[:80]!r}")
    return found


# ---- Python: Chinese literals only inside a gettext call ----------------------------------------------------

def _called(node: ast.AST) -> str | None:
    func = node.func if isinstance(node, ast.Call) else None
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


ZH_ONLY = "# zh-only"  # at the end of a line: its Chinese is meant to stay (an SMS text, a stored record)


def python_findings(path: Path) -> list[str]:
    """Every Chinese string literal of a module that is not inside a gettext call (docstrings aside, and the lines
    that say `# zh-only` and why)."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if _called(node) in GETTEXT:
            exempt.update(id(sub) for sub in ast.walk(node))
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            exempt.add(id(body[0].value))
    return [f"{rel(path)}:{node.lineno}: {node.value[:80]!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value)
            and id(node) not in exempt and ZH_ONLY not in lines[node.end_lineno - 1]]


# ---- the marked strings, found the way makemessages finds them ----------------------------------------------

@dataclass(frozen=True)
class Msg:
    msgid: str
    plural: str | None = None
    context: str | None = None
    where: str = ""


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def parse_po(text: str) -> list[tuple[dict[str, str], list[str], list[str]]]:
    """(fields, #-comment lines, flags) of every entry of a .po text; enough of the format for xgettext's output
    and our catalogs."""
    entries, fields, comments, key, parts = [], {}, [], None, []

    def close_field() -> None:
        nonlocal key, parts
        if key:
            fields[key] = _unquote(parts)
        key, parts = None, []

    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if not line:
            close_field()
            if fields:
                flags = [f.strip() for c in comments if c.startswith("#,") for f in c[2:].split(",")]
                entries.append((fields, comments, flags))
            fields, comments = {}, []
        elif line.startswith("#"):
            close_field()
            comments.append(line)
        elif line.startswith('"'):
            parts.append(line)
        else:
            close_field()
            key, _, rest = line.partition(" ")
            parts = [rest]
    return entries


def xgettext(sources: list[Path], language: str = "Python") -> list[Msg]:
    if not sources:
        return []
    command = ["xgettext", f"--language={language}", "--from-code=UTF-8", "--output=-", "--sort-output",
               *[f"--keyword={k}" for k in XGETTEXT_KEYWORDS], *[str(s) for s in sources]]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [Msg(f["msgid"], f.get("msgid_plural"), f.get("msgctxt"),
                " ".join(c[3:] for c in comments if c.startswith("#:")).replace(f"{ROOT}/", ""))
            for f, comments, _ in parse_po(out) if f.get("msgid")]


def template_msgids(templates: list[Path]) -> list[Msg]:
    """The msgids of templates: Django's templatize turns each into the Python that xgettext reads."""
    from django.utils.translation.template import templatize

    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for i, path in enumerate(templates):
            target = Path(tmp) / f"{i}__{path.name}.py"
            target.write_text(templatize(path.read_text(), origin=str(path)))
            sources.append(target)
        msgs = xgettext(sources)
    names = {f"{i}__{path.name}.py": rel(path) for i, path in enumerate(templates)}
    return [Msg(m.msgid, m.plural, m.context,
                re.sub(r"\S*?(\d+__[^:\s]+\.py)", lambda g: names.get(Path(g.group(1)).name, g.group(1)), m.where))
            for m in msgs]


def untranslated(msgs: list[Msg]) -> list[str]:
    """The marked Chinese strings that have no English in the merged catalog (missing, empty or fuzzy: msgfmt
    leaves fuzzy entries out of the .mo)."""
    missing = []
    with translation.override("en"):
        for m in msgs:
            if not HAN.search(m.msgid):
                continue
            if m.plural:
                english = [translation.npgettext(m.context, m.msgid, m.plural, n) if m.context
                           else translation.ngettext(m.msgid, m.plural, n) for n in (1, 2)]
                done = english[0] != m.msgid and english[1] != m.plural
            else:
                english = translation.pgettext(m.context, m.msgid) if m.context else translation.gettext(m.msgid)
                done = english != m.msgid
            if not done:
                missing.append(f"{m.where}: {m.msgid!r}" + (f" (context {m.context!r})" if m.context else ""))
    return missing


# ---- at run time: the lookups that came back in Chinese ----------------------------------------------------

@contextmanager
def recording_untranslated() -> Iterator[list[str]]:
    """While active, every gettext lookup made with English active that returns its Chinese msgid unchanged is
    appended to the yielded list: Django's translation functions all go through `translation._trans`."""
    trans = translation._trans
    seen: list[str] = []
    originals = {name: getattr(trans, name) for name in ("gettext", "ngettext", "pgettext", "npgettext")}

    def english() -> bool:  # and not a language's own name (the switch shows 简体中文 in every language)
        return (translation.get_language() or "").startswith("en")

    def gettext(message):
        result = originals["gettext"](message)
        if english() and result == message and HAN.search(str(message)) and str(message) not in OWN_NAMES:
            seen.append(str(message))
        return result

    def pgettext(context, message):
        result = originals["pgettext"](context, message)
        if english() and result == message and HAN.search(str(message)):
            seen.append(f"{message} (context {context})")
        return result

    def ngettext(singular, plural, number):
        result = originals["ngettext"](singular, plural, number)
        if english() and result in (singular, plural) and HAN.search(str(singular)):
            seen.append(str(singular))
        return result

    def npgettext(context, singular, plural, number):
        result = originals["npgettext"](context, singular, plural, number)
        if english() and result in (singular, plural) and HAN.search(str(singular)):
            seen.append(f"{singular} (context {context})")
        return result

    replacements = {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
    try:
        for name, function in replacements.items():
            setattr(trans, name, function)
        yield seen
    finally:
        for name, function in originals.items():
            setattr(trans, name, function)


def data_text() -> str:
    """Every piece of text stored in the database (names, titles, descriptions, event payloads …), one per line:
    Chinese on an English page is fine when it is a person's words, not the site's."""
    from django.apps import apps
    from django.db import models

    pieces: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            pieces.append(value) if HAN.search(value) else None
        elif isinstance(value, dict):
            [walk(v) for v in value.values()]
        elif isinstance(value, list):
            [walk(v) for v in value]

    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if names:
            for row in model._default_manager.values_list(*names):
                walk(list(row))
    return "\n".join(pieces)


# The language switch names each language in its own language, and its label is in both (语言 / Language), so that
# a person who cannot read the page's language still finds it.
OWN_NAMES = {"简体中文", "语言"}


CHINESE_DAY = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日")  # 12月8日, 2025年12月8日: common.dates.day_text


class _Stored:
    """The stored text of `data_text()` as the page checks ask it: its whole values, and whether a piece stands
    in it anywhere, each piece searched once (thousands of pages ask about the same names and words)."""

    def __init__(self, data: str) -> None:
        self.data = data
        self.items = set(data.splitlines())
        self._found: dict[str, bool] = {}

    def __contains__(self, piece: str) -> bool:
        found = self._found.get(piece)
        if found is None:
            found = self._found[piece] = piece in self.data
        return found


@functools.lru_cache(maxsize=4)
def _stored(data: str) -> _Stored:
    return _Stored(data)


def foreign_runs(visible_text: str, data: str) -> list[str]:
    """The runs of Chinese characters on a page that appear nowhere in the stored data. A single character counts
    as data only with its neighbours (3栋, 社区（村）), as a masked name (张*) or as a whole stored value: 月 or 日
    alone is in every text people type. A date written the Chinese way (12月8日) is data only when stored whole:
    on an English page the site writes 8 Dec (common.dates.page_day)."""
    stored = _stored(data)
    items = stored.items
    found = {day for day in CHINESE_DAY.findall(visible_text) if day not in stored}  # the site's date format
    visible_text = CHINESE_DAY.sub(lambda day: " " if day.group() in found else day.group(), visible_text)
    for match in HAN_RUN.finditer(visible_text):
        run, start, end = match.group(), match.start(), match.end()
        if run in OWN_NAMES:
            continue
        if len(run) == 1:
            left, right = visible_text[max(0, start - 2):end].strip(), visible_text[start:end + 2].strip()
            known = visible_text[end:end + 1] == "*" or run in items or \
                (len(left) == 3 and left in stored) or (len(right) == 3 and right in stored)
            found |= set() if known else {run}
        elif run not in stored:
            found.add(run)
    return sorted(found)


# Chinese (full-width) punctuation: on an English page it belongs to what people typed, never to the site's own
# sentences ("4，2 overdue", "Reason：…"): the separator is part of the translated string or a translated list
# separator (common.text.list_words).
FULL_WIDTH = "，。：；（）、"
FULL_WIDTH_MARK = re.compile(f"[{FULL_WIDTH}]")
CONTEXT = 12  # characters each side quoted in a finding


def foreign_punctuation(visible_text: str, data: str) -> list[str]:
    """The full-width punctuation marks on a page that stored data does not explain, each quoted with what is
    around it. A mark is data when it stands in the stored text with a neighbour: the two characters before it
    and the mark ("停水。", "社区（"), or the mark and the two characters after it ("（村）", "：3栋")."""
    found, stored = [], _stored(data)
    for match in FULL_WIDTH_MARK.finditer(visible_text):
        at = match.start()
        before, after = visible_text[max(0, at - 2):at + 1], visible_text[at:at + 3]
        if (len(before) == 3 and before in stored) or (len(after) == 3 and after in stored):
            continue
        found.append(visible_text[max(0, at - CONTEXT):at + CONTEXT + 1].replace("\n", " "))
    return list(dict.fromkeys(found))
