"""What the duplicate scorer looks at in one text: sound bigrams, objects, problems and places.

- ``sounds`` / ``grams``: toneless pinyin syllables and syllable bigrams of the normalised text, after
  dropping numbers, function words and words every demand uses (小区, 希望…). Pinyin rather than characters
  so a homophone typo still meets its correct spelling (路等/路灯 share ``lu deng``).
- ``objects`` / ``issues``: canonical names from ``concepts`` (电瓶车 → 电动车, 停了 → 故障).
- ``places``: ``b3`` building 3, ``u2`` unit 2, ``f5`` floor 5, ``r302`` room 302, ``p东门`` landmark, and
  named places ``n<kind><name>`` (``ne阳光`` 阳光花园, ``nr人民`` 人民路, ``ns华联`` 华联超市, ``nc实验`` 实验小学):
  a name followed by what kind of place it is (see ``named_places``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from yishiting.demands.suggest.concepts import (
    ISSUE_COMBINED,
    ISSUE_OBJECTS,
    ISSUE_PARENTS,
    NOT_CONCEPTS,
    OBJECT_COMBINED,
    OBJECT_FACETS,
    OBJECT_ISSUES,
    OBJECT_PARENTS,
    concept_table,
)
from yishiting.demands.suggest.matcher import SOUND_ALIKES, Matcher, syllable
from yishiting.demands.suggest.normalize import normalize

# Texts are cut here before analysis: the first few hundred characters say what the matter is, and a
# 2,000-character complaint must not cost more than a short one.
MAX_CHARS = 400

STOP_CHARS = frozenset("的了是在有我你他她它们这那就都也还很太又把被给让吗呢么个一啥咋")
GENERIC_WORDS = (
    "小区", "社区", "居民", "我们", "我家", "你们", "他们", "能不能", "可不可以", "可以", "希望", "建议", "现在",
    "一直", "已经", "好几", "总是", "老是", "天天", "每天", "问题", "反映", "怎么", "什么", "没有", "有没有",
    "一个", "这个", "那个", "就是", "时候", "需要", "帮忙", "尽快", "处理", "晚上", "白天",
)
_GENERIC = re.compile("|".join(GENERIC_WORDS))
_PLACE_PATTERNS = (
    (re.compile(r"(\d+)栋"), "b"),
    (re.compile(r"(\d+)单元"), "u"),
    (re.compile(r"(\d+)层"), "f"),
    # A bare 3–4 digit number is a price or a year as often as a flat: only read it as a room right after a
    # building or unit, before 室, or beside 与/和 (302与402).
    (re.compile(r"(?:(?<=栋)|(?<=单元)|(?<=[与和跟、]))(\d{3,4})(?!\d)"), "r"),
    (re.compile(r"(?<!\d)(\d{3,4})(?=室|[与和跟、]\d)"), "r"),
)
# An estate's name (幸福苑, 阳光花园) says where, which the demand's area already says; left in, its rare
# syllables would become index keys shared by every demand of the estate.
_ESTATE = re.compile(r"(?<!老旧)[\u4e00-\u9fff]{2,3}(?:小区|花园|家园|新村|新城|公寓|苑)")
_DIGITS = re.compile(r"\d+(?:栋|单元|层|室|号)?")

# Named places: a name of 2–4 characters, then what kind of place it is. Kinds: e estate, r road or street,
# s shop or market, c school, hospital, park, square, river or lake. Longer endings first (菜市场 before 市场 before 店).
NAMED_ENDINGS = {
    "e": "小区 花园 家园 新村 新城 公寓 花苑 名苑 苑 府 湾 城 村 园 庭 里 轩 坊 居 郡 阁",
    "r": "大道 大街 胡同 路 街 巷",
    "s": "农贸市场 菜市场 菜场 市场 商场 超市 便利店 药店 药房 饭店 酒店 店 面馆 饭馆 餐馆 餐厅 诊所 ktv 网吧 酒吧 宾馆",
    "c": "幼儿园 小学 中学 学校 医院 卫生院 公园 广场 体育馆 图书馆 银行 派出所 加油站 公交站 地铁站 站台 大桥 桥 河 湖",
}
# What may follow an ending for it to end a name (路灯 and 路口 are no roads, 城管 no town, 广场舞 no square).
_NOT_AFTER = {"路": "灯口面过线段人旁况子基", "街": "道上边坊头口", "城": "管市区乡", "村": "民委里",
              "店": "里主员铺面家", "广场": "舞", "园": "林区艺丁", "里": "面头边外屋", "居": "民委住家",
              "桥": "下上头面洞墩", "阁": "楼", "坊": "间",
              "河": "道沟堤床南北", "湖": "泊南北"}
# Characters that end a name on its left: what is said before a name, never part of it.
_NAME_BREAK = frozenset("的了在是有我你他她它们这那就都也还把被给到从往对跟个边里上下前后旁口外内间头面近附处条段"
                        "栋层楼门号说去来走到过每该某几多个其称映进出停挡嫌能系参增早侧" "，。、 ")
# Left parts that are no names (隔壁小区, 老旧小区, 一家超市, 烧烤店 is named by 烧烤 and kept).
GENERIC_NAMES = ("隔壁", "对面", "旁边", "附近", "整个", "老旧", "咱们", "我们", "周边", "周围", "其他", "别的", "新建",
                 "新开", "新开的", "一家", "这家", "那家", "这条", "那条", "一条", "主", "小区", "社区", "政", "家", "法",
                 "幼儿", "花", "公", "菜", "果", "校", "乐", "马", "小", "大", "老", "土", "水泥", "柏油", "高速公",
                 "发现", "看到", "回到", "进入", "路过", "经过", "住在", "走到", "出了", "进了", "整片", "全",
                 "希望", "建议", "春天", "夏天", "秋天", "冬天", "今年", "去年", "明年", "每年", "平时", "小商", "跳蚤",
                 "巡查", "人工")
# Words before an estate ending (…里, …居) that are things, not names, and are in no concept list.
THING_NAMES = ("巷子", "院子", "屋子", "房子", "家里", "水面", "地面", "路面", "这片", "那片", "夜里", "心里", "城里",
               "村里", "手里", "嘴里", "眼里", "店里", "居民", "邻居")
# …里 is "in …" more often than an estate: no estate name ends in these (夜里, 屋里, 车库里, 缸里).
_GENERIC_PREFIXES = tuple(g for g in GENERIC_NAMES if len(g) >= 2)
_ROAD_ENDINGS = frozenset(NAMED_ENDINGS["r"].split())
_NOT_BEFORE_LI = frozenset("夜晚天年月日子家屋院楼场库区池塘河湖缸桶箱房间厅室店馆所车心道堂舍台部站处厂群单同邻")
# Likewise before …居 (独居, 邻居, 定居) and …坊 (街坊, 作坊, 磨坊).
_NOT_BEFORE = {"居": "独定邻民起家同新旧寄移蜗隐聚群散", "坊": "街作磨油染酒茶", "庭": "家法天前"}
# 二中, 三小, 十一中门口: a numbered school, read only where a place word follows (三小时 is three hours).
_NUMBERED_SCHOOL = re.compile(r"(?<![\u4e00-\u9fff])?([一二三四五六七八九十\d]{1,3})(中|小)(?=门|校|旁|附近|对面|的|学生|[东西南北])")
# What is said before 门口 that is no name: people, offices and parts of a building.
FRONT_WORDS = ("物业", "居委会", "居委", "门卫", "保安室", "保安", "大家", "自家", "别人", "人家", "邻居家", "家家户户",
               "每家", "各家", "楼栋", "单元楼", "地铁", "车站", "仓库", "食堂", "单元", "楼道", "办公室", "服务中心", "社区医院", "医院",
               "学校", "公司", "工厂", "厂子", "银行", "警务室", "派出所", "卫生站")
_FRONT = re.compile("门口|门前")
_KIND_OF_ENDING = {e: kind for kind, endings in NAMED_ENDINGS.items() for e in endings.split()}
# One alternation, longest ending first; what may not follow an ending is checked after the match.
_ENDING = re.compile("|".join(re.escape(e) for e in sorted(_KIND_OF_ENDING, key=len, reverse=True)))

_CONCEPTS = Matcher(concept_table(), blockers=SOUND_ALIKES + NOT_CONCEPTS)


@dataclass(frozen=True, slots=True)
class Features:
    sounds: frozenset[str]
    grams: frozenset[str]
    objects: frozenset[str]
    issues: frozenset[str]
    places: frozenset[str]

    def of_kind(self, prefix: str) -> frozenset[str]:
        return frozenset(p for p in self.places if p.startswith(prefix))


def named_places(text: str) -> set[str]:
    """``n<kind><name>`` for each named place in normalised text: 阳光花园南门 → ``ne阳光``, 人民路 → ``nr人民``.

    The name is the 2–4 characters before the ending, stopped on the left by words said around a place (的, 在,
    门口…); generic left parts (隔壁小区, 一家超市, 马路) name nothing.
    """
    found: set[str] = set()
    previous_end = 0  # a name never reaches back into the place before it (水果店和五金店: 水果, 五金)
    for match in _ENDING.finditer(text):
        ending, start, end = match.group(), match.start(), match.end()
        if end < len(text) and text[end] in _NOT_AFTER.get(ending, "") and text[end : end + 2] != "旁边":
            continue  # 路灯 is no road — but 光明路旁边 is one
        after = _ENDING.match(text, end)
        if after and len(after.group()) >= 2 and text[after.end() : after.end() + 1] not in _NOT_AFTER.get(after.group(), "_"):
            continue  # 铁路小学, 翠湖公园, 清河小区: the first ending is part of the next place's name (not so before
            # a one-character ending, mostly a word: 河里 is "in the river", 市场路边 the roadside by a market)
        left, boundary, previous_end = start, previous_end, end
        while left > boundary and start - left < 4 and text[left - 1] not in _NAME_BREAK and "\u4e00" <= text[left - 1] <= "\u9fff":
            left -= 1
        name = text[left:start]
        if left == boundary and boundary and name[:1] in "和与跟及":
            name = name[1:]  # 水果店和五金店: the second is 五金
        for generic in ("小区", "社区"):
            name = name.rpartition(generic)[2]
        name = name.removeprefix("家")
        for generic in _GENERIC_PREFIXES:  # 巡查发现阳光花园, 今年老旧小区: what is said before the name
            if name.startswith(generic) and len(name) - len(generic) >= 2:
                name = name[len(generic):]
                break
        if ending in _ROAD_ENDINGS and any(not m.fuzzy and m.end - m.start >= 2 for m in _CONCEPTS.find(name)):
            continue  # 路灯线路: a lamp's wiring, no road
        if ending == "里" and name and (name[-1] in _NOT_BEFORE_LI or any(not m.fuzzy for m in _CONCEPTS.find(name))):
            previous_end = boundary  # 工地夜里, 家里, 池子里: "in", not an estate called …里
            continue
        if name[-1:] in _NOT_BEFORE.get(ending, ""):
            previous_end = boundary  # 独居老人, 好邻居便利店, 老街坊: words, not an estate called …居, …坊
            continue
        if len(name) < 2:
            previous_end = boundary  # 滨湖新苑: 滨 names no lake, and 滨湖 stays in the estate's name
            continue
        if name not in GENERIC_NAMES and not (name.endswith("政") or name.endswith("家") and len(name) < 3) and not _names_a_thing(name):
            found.add(f"n{_KIND_OF_ENDING[ending]}{name}")
    found.update(f"nc{m.group(1)}{m.group(2)}" for m in _NUMBERED_SCHOOL.finditer(text))
    found.update(_fronted(text, found))
    return found


def _fronted(text: str, found: set[str]) -> set[str]:
    """Places named by a brand or name alone, before 门口/门前 (沃尔玛门口, 肯德基门前): ``ns<name>``, unless the
    name is a thing, a word said around a place, or a place already read (超市门口: the ending was read)."""
    names: set[str] = set()
    for match in _FRONT.finditer(text):
        left = start = match.start()
        while left > 0 and start - left < 4 and text[left - 1] not in _NAME_BREAK and "\u4e00" <= text[left - 1] <= "\u9fff":
            left -= 1
        name = text[left:start]
        if (len(name) >= 2 and name not in GENERIC_NAMES and name not in FRONT_WORDS and not _names_a_thing(name)
                and not any(m.fuzzy is False for m in _CONCEPTS.find(name))
                and not name.endswith("家") and not _ENDING.search(name) and not any(name in p or p[2:] in name for p in found)):
            names.add(f"ns{name}")
    return names


def _names_a_thing(name: str) -> bool:
    """Whether a would-be name is a thing rather than a place's name: 河道里, 楼道里, 草丛里 and 巷子里 end in an
    estate ending (…里) but name an object, so they are no estates (老王烧烤店 is named: 老王 is no object)."""
    covered = sum(m.end - m.start for m in _CONCEPTS.find(name) if not m.fuzzy)
    return covered >= len(name) or name in THING_NAMES


def _places(text: str) -> set[str]:
    return {f"{kind}{int(m.group(1))}" for pattern, kind in _PLACE_PATTERNS for m in pattern.finditer(text)}


def content_sounds(text: str) -> list[list[str]]:
    """Per segment, the syllables of the characters that carry content (see ``grams``)."""
    text = _DIGITS.sub(" ", _GENERIC.sub(" ", text))
    return [[syllable(c) for c in segment if c not in STOP_CHARS] for segment in text.split()]


def _sounds_and_grams(text: str) -> tuple[frozenset[str], frozenset[str]]:
    sounds: set[str] = set()
    grams: set[str] = set()
    for segment in content_sounds(text):
        sounds.update(segment)
        grams.update(f"{a} {b}" for a, b in zip(segment, segment[1:], strict=False))
    return frozenset(sounds), frozenset(grams)


def extract(text: str | None) -> Features:
    """The features of one text (uncached; ``features`` is the cached entry point)."""
    norm = normalize((text or "")[:MAX_CHARS])
    named = named_places(norm)
    norm = _ESTATE.sub(" ", norm)
    objects, issues, places = set(), set(), _places(norm) | named
    for match in _CONCEPTS.find(norm):
        kind, canonical = match.payload
        {"o": objects, "i": issues, "p": places}[kind].add(canonical if kind != "p" else f"p{canonical}")
    issues.update(ISSUE_PARENTS[i] for i in list(issues) if i in ISSUE_PARENTS)
    objects.update(ISSUE_OBJECTS[i] for i in issues if i in ISSUE_OBJECTS)
    for (thing, issue), made in ISSUE_COMBINED.items():
        if thing in objects and (issue in issues or made in objects):  # 没有电梯，想加装电梯: one object
            objects = (objects - {thing}) | {made}
    objects.update(made for parts, made in OBJECT_COMBINED.items() if objects.issuperset(parts))
    objects.update(OBJECT_PARENTS[o] for o in list(objects) if o in OBJECT_PARENTS)
    issues.update(OBJECT_ISSUES[o] for o in objects if o in OBJECT_ISSUES)
    # Until nothing changes, so the result does not hang on the order a set is walked in (河道 + 漂浮 gives 脏,
    # and rubbish that is 脏 is rubbish not cleared, 清运, whichever object comes first).
    while added := {OBJECT_FACETS[o][0] for o in objects if o in OBJECT_FACETS and issues & set(OBJECT_FACETS[o])} - issues:
        issues.update(added)
    return Features(*_sounds_and_grams(norm), frozenset(objects), frozenset(issues), frozenset(places))


@lru_cache(maxsize=65536)
def features(text: str | None) -> Features:
    return extract(text)
