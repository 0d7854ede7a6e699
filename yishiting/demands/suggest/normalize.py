"""Chinese text normalisation for demands: one spelling for the same thing before anything is compared.

What is folded, and why:
- full-width letters, digits and punctuation (３栋, ＡＢＣ) → half-width (NFKC), letters lower-cased;
- building, unit and floor numbers written in Chinese numerals or with 号楼/幢/座/# → one form,
  so 3栋 = 三号楼 = 3号楼 = 3#楼 = 第三幢 all read ``3栋``; 二单元 → ``2单元``; 三楼 → ``3层`` (in speech
  "三楼" is a floor, "三号楼" a building);
- a few spellings of one place (楼道的灯 → 楼道灯);
- punctuation and emoji → a space (a segment break);
- filler that carries no matter (您好、麻烦、请问、谢谢、辛苦了、一下、sentence particles), unless the caller
  keeps it: the classifier does, because 请问 hints at a policy question.
Homophone typos (电悌, 路等) are not corrected here: the lexicon matcher compares pinyin (see ``matcher``).
"""

from __future__ import annotations

import re
import unicodedata

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# 两 is left out on purpose: "两栋楼" means two buildings, never building no. 2.
_CN_NUM = "[零〇一二三四五六七八九十百]+"
_NUM = rf"(?:\d+|{_CN_NUM})"

# 五栋楼道 is building 5's stairwell: 栋楼 takes the 楼 only when no word goes on with it (楼道, 楼下, 楼顶…).
_BUILDING = re.compile(rf"第?({_NUM})\s*(?:号楼|号栋|栋楼(?![道梯上下顶前后门里])|栋|幢|座|#楼|#)")
_UNIT = re.compile(rf"第?({_NUM})\s*(?:单元|门洞)")
_FLOOR = re.compile(rf"({_NUM})\s*(?:楼|层)(?!栋|号)")
_ROOM = re.compile(r"(\d{3,4})\s*(?:室|房间|号房)")

PLACE_SPELLINGS = (
    ("楼道的灯", "楼道灯"),
    ("楼道里的灯", "楼道灯"),
    ("楼梯灯", "楼道灯"),
    ("楼梯间的灯", "楼道灯"),
)

FILLERS = (
    "您好", "你好", "麻烦你们", "麻烦您", "麻烦", "请问一下", "请问", "想问一下", "问一下", "问下", "谢谢你们", "谢谢了", "谢谢", "多谢",
    "感谢", "辛苦了", "辛苦", "拜托了", "拜托", "一下", "领导",
    # Hotline records: who called says nothing about the matter (来电人反映：…, 市民来电称…).
    "市民来电反映", "市民来电称", "市民来电", "来电人反映", "来电人称", "来电人咨询", "来电人表示", "来电反映", "来电人",
)
PARTICLES = "啊呀吧呢哦嘛啦呗哇噢呃"
# Kept by the classifier: a policy question is often only recognisable by how it is asked.
QUESTION_FILLERS = ("请问一下", "请问", "想问一下", "问一下", "问下")

_PUNCT = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def cn_to_int(token: str) -> int | None:
    """Read a number written in digits or Chinese numerals (三 → 3, 十二 → 12, 二十三 → 23, 一百零三 → 103)."""
    if token.isdigit():
        return int(token)
    if len(token) > 1 and not ("十" in token or "百" in token):
        return None  # 一二楼 is "floors one and two", not floor twelve
    total, current = 0, 0
    for ch in token:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _numbered(pattern: re.Pattern[str], suffix: str, text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        number = cn_to_int(match.group(1))
        return match.group(0) if number is None else f"{number}{suffix}"

    return pattern.sub(repl, text)


def fold_width(text: str) -> str:
    """Full-width to half-width, lower-case, and the ideographic space to a plain one."""
    return unicodedata.normalize("NFKC", text).lower()


def fold_places(text: str) -> str:
    """One spelling per building, unit, floor and room number (see the module docstring)."""
    text = _numbered(_BUILDING, "栋", text)
    text = _numbered(_UNIT, "单元", text)
    text = _numbered(_FLOOR, "层", text)
    text = _ROOM.sub(r"\1室", text)
    for spelling, canonical in PLACE_SPELLINGS:
        text = text.replace(spelling, canonical)
    return text


def drop_fillers(text: str, *, keep: tuple[str, ...] = ()) -> str:
    for filler in FILLERS:
        if filler not in keep:
            text = text.replace(filler, " ")
    return text.translate({ord(ch): " " for ch in PARTICLES})


def normalize(text: str | None, *, keep_questions: bool = False) -> str:
    """The canonical form used for matching: segments separated by single spaces, no punctuation.

    ``keep_questions`` keeps 请问 and turns ？ into ``?`` (the classifier uses both as hints).
    """
    if not text:
        return ""
    text = fold_places(fold_width(text))
    text = drop_fillers(text, keep=QUESTION_FILLERS if keep_questions else ())
    if keep_questions:
        text = text.replace("?", " ? ")
        return _SPACES.sub(" ", re.sub(r"[^\w?]+", " ", text)).strip()
    return _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip().replace("_", " ")
