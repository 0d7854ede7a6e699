"""Word lists and generators for the demo district: people's names, places, organizations, mobiles, ID numbers.

Everything is drawn from a `random.Random` the caller seeds, so the same seed gives the same district.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from yishiting.areas.validation import id_number_checksum

# The most common surnames, most frequent first; weights fall off so 王/李/张/刘/陈 dominate as in real life.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = [max(1.0, 60.0 / (i + 1) ** 0.8) for i in range(len(SURNAMES))]
_GIVEN_TEXT = (
    "建国 建华 建军 建平 国强 国庆 国平 志强 志明 志刚 志勇 永刚 永强 海涛 晓东 晓明 俊杰 浩然 子涵 欣怡 "
    "雨萱 梓轩 思远 佳琪 秀英 秀兰 秀珍 秀梅 桂英 桂兰 玉兰 玉珍 玉梅 淑珍 淑华 凤英 凤兰 丽华 丽娟 金凤 "
    "金花 秋菊 红霞 红梅 文静 文斌 春燕 海燕 丹丹 婷婷 晶晶 雪梅 美玲 慧敏 晓燕 晓丽 晓雯 立新 卫东 德胜 "
    "宏伟 振华 新民 宇航 博文 天宇 浩宇 子轩 一鸣 嘉怡 诗涵 可馨 雨桐 欣妍 梦瑶 思琪 佳慧 亚军 小燕 明辉 "
    "少华 学军 跃进 爱华 爱民 春梅 冬梅 秋月 海波 海军 俊峰 成龙 家豪 家乐 梓涵 若曦 紫萱 皓轩 宇轩 铭泽 "
    "晨阳 佳怡 静怡 雅琴 雅婷 玉凤 瑞芳 惠英 淑兰 素梅 春花 建新 建设 利民 长江 长青 保国 解放 光辉 光明"
)
GIVEN_NAMES = _GIVEN_TEXT.split()
SINGLE_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华红梅鹏辉宇晨浩琳倩婷峰斌波亮飞"

STREET_NAMES = ["东风街道", "和平街道", "光明街道", "朝阳街道", "新华街道", "建设街道", "胜利街道", "人民路街道",
                "解放街道", "长江路街道", "青山镇", "白沙镇"]
# Two-character place words for communities and estates.
_PLACE_TEXT = (
    "幸福 和平 锦绣 阳光 翠湖 金桂 丽景 华苑 滨江 春晖 紫荆 碧水 银杏 康乐 安居 明珠 东湖 西湖 南山 北苑 "
    "龙泉 凤凰 玉兰 桃源 梧桐 香樟 红星 建新 友谊 团结 育才 文昌 书香 长青 常青 新河 清河 绿洲 怡景 嘉禾 "
    "盛世 天润 御景 海棠 枫林 百合 丹桂 芙蓉 青云 锦江 金城 民主 兴华 振兴 永安 广厦 朝晖 晨光 晓园 鸿福 "
    "吉祥 如意 和谐 美景 望江 观澜 临湖 秀水 柳岸 荷塘 松鹤 杏林 竹园 梅岭 兰亭 芳草 映月 星河 云栖 水岸 "
    "德馨 润泽 祥和 宜居 乐园 同心 福寿 安康 平安 新城 花溪 金沙 银河 双井 古塔 钟楼 鼓楼 铁路 电厂 棉纺"
)
PLACE_WORDS = _PLACE_TEXT.split()
PLACE_VARIANTS = ["", "东", "西", "南", "北", "新", "中", "一", "二", "三", "前", "后", "上"]
ESTATE_SUFFIXES = ["苑", "里", "花园", "家园", "小区", "新村", "公寓", "雅居", "名苑", "华庭", "佳园", "嘉园", "府"]

GOVERNMENT_AGENCIES = ["区住房和城乡建设局", "区城市管理局", "区市场监督管理局", "区民政局", "区卫生健康委员会",
                       "区教育局", "区生态环境分局", "区司法局", "区应急管理局", "区交通运输局"]
LAW_FIRMS = ["正义律师事务所", "明理律师事务所", "公信律师事务所"]
DUAL_UNITS = ["区人民医院", "区税务局第二税务所", "市第十三中学", "国网幸福供电公司", "区图书馆", "区总工会",
              "区农业农村局", "区财政局", "市自来水公司第三营业所", "区妇幼保健院", "区文化馆", "区人民检察院"]
RESIDENT_UNITS = ["第二实验小学", "社区卫生服务中心", "邮政支局", "幼儿园", "农贸市场", "中国银行支行"]
SOCIAL_ORGS = ["志愿服务队", "老年协会", "邻里互助会", "文体队", "调解委员会", "关爱儿童服务站"]
PROPERTY_BRANDS = ["安居物业服务有限公司", "和家物业管理有限公司", "城市之光物业服务有限公司", "悦居物业有限公司",
                   "诚信物业管理有限公司", "恒安物业服务有限公司"]
EXPERT_TITLES = ["城乡规划专家", "建筑结构专家", "法律专家", "心理咨询师", "财务审计专家", "物业管理专家",
                 "电梯安全专家", "社会工作专家"]
DEPUTY_TITLES = ["区人大代表", "区政协委员", "区党代表", "市人大代表"]
DISTRICT_TITLES = ["区委副书记", "副区长", "区委组织部部长", "区民政局局长"]
STREET_TITLES = ["街道党工委书记", "街道办事处主任", "街道办事处副主任"]
STAFF_TITLES = ["居委会副主任", "居委会委员", "社区专职工作者", "社区专职工作者"]

# Typical pairs of flat sizes (m²) on one floor of one unit; a building draws one pair and keeps it per floor.
LAYOUTS = [(45.62, 58.90), (62.35, 78.50), (76.80, 89.12), (89.12, 89.12), (96.40, 118.60), (105.30, 126.80),
           (118.60, 143.20), (132.75, 96.40), (143.20, 165.30), (165.30, 178.20)]
# 6-digit region codes (the seeds' cities: Nanchang, Kenli, Shuangyashan, Altay, Cenxi, Yangzhou, Yibin).
REGION_CODES = ["360102", "360103", "360111", "370521", "230502", "654301", "451481", "321002", "511502"]
MOBILE_PREFIXES = [str(p) for p in [*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 176, 177,
                                    *range(180, 190), 191, 198, 199]]


class NameMaker:
    """Person names, unique mobiles and unique ID numbers (valid GB 11643 check digit)."""

    def __init__(self) -> None:
        self.mobiles: set[str] = set()
        self.id_numbers: set[str] = set()

    @staticmethod
    def person(rng: random.Random) -> str:
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        if rng.random() < 0.3:
            return surname + rng.choice(SINGLE_GIVEN)
        return surname + rng.choice(GIVEN_NAMES)

    def mobile(self, rng: random.Random) -> str:
        while True:
            number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def id_number(self, rng: random.Random) -> str:
        while True:
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
            first17 = f"{rng.choice(REGION_CODES)}{born:%Y%m%d}{rng.randrange(1000):03d}"
            number = first17 + id_number_checksum(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number


def place_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct two- or three-character place words ("幸福", "和平东" …), in a seeded order."""
    rest = PLACE_WORDS[1:]
    rng.shuffle(rest)
    words = [PLACE_WORDS[0], *rest]  # the first community is always 幸福社区, as in the docs and tests
    names = list(words)
    for variant in PLACE_VARIANTS[1:]:
        if len(names) >= count:
            break
        names += [w + variant for w in words]
    if count > len(names):
        names += [f"{words[i % len(words)]}{i // len(words)}" for i in range(len(names), count)]
    return names[:count]


def estate_name(rng: random.Random, word: str) -> str:
    return word + rng.choice(ESTATE_SUFFIXES)
