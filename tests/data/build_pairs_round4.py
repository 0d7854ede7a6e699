"""Writes tests/data/demand_pairs_round4.jsonl: fresh labelled pairs after the second blind test (issue 16).

Run: python tests/data/build_pairs_round4.py (deterministic; the output is committed, this shows how it was made).

Written by hand before the scorer was changed for issue 16, without looking at any blind set, and in styles the
earlier rounds lack: hotline records (来电人反映……), dialect and spoken forms (俺们, 咋整, 黑灯瞎火), pinyin typos,
numbers in words and in digits, long retellings against one-line summaries, and places that are *named* — estates,
lanes, shops, stops, schools, gates — in names the earlier rounds never used (…里, …坊, …轩, 面馆, 诊所, 公交站).

Kinds of pair:
- ``retell``: a summary or a retelling against another retelling of the same problem (duplicates);
- ``near``: two texts about the same object, or in the same spot, with another problem (not duplicates);
- ``place``: hand-written pairs about named or numbered places — same problem at two places (not duplicates),
  the same place in other words (duplicates);
- ``number``: 十二号楼 against 12栋 (same) and against 21栋 (not).

Held-out split, fixed before any tuning by a hash of the pair id's group part: a pair id is
``r4-<kind>-<group>-<n>``, and the pair is ``test`` when crc32 of any group name in ``<group>`` (``a+b`` for a
pair drawn from two groups) is even (about half the groups). So no held-out text appears in a train pair, and words added to the
concept lists from train pairs do not reach the held-out ones. Tune on ``train`` only.
"""

from __future__ import annotations

import random
import zlib
from itertools import combinations
from pathlib import Path

from pairs_file import write_pairs

OUT = Path(__file__).with_name("demand_pairs_round4.jsonl")

# group → (short summaries, longer retellings). Every text written for this round.
STORIES = {
    "pond_floating": (
        ["小区池塘上飘满了垃圾", "水塘里好多白色垃圾漂着"],
        ["来电人反映：该小区中心景观池塘水面漂浮大量塑料瓶、零食包装袋和泡沫块，已有半个多月无人打捞，水体发绿，"
         "夏天蚊子很多，要求物业尽快清理。",
         "我每天带孙子去池塘边喂鱼，现在水面上全是塑料袋、饮料瓶，还有人把外卖盒子直接扔进去，鱼都死了好几条，"
         "看着心里难受，能不能派人捞一捞。",
         "景观水池里漂着一层垃圾，泡沫板、塑料袋什么都有，风一吹全堆在角落，味道也不好闻。"],
    ),
    "lane_light": (
        ["巷子里的路灯全坏了", "后巷路灯不亮，黑灯瞎火的"],
        ["俺们这条后巷的路灯从上个月就不亮了，晚上下班回来黑咕隆咚的，啥也看不见，前天隔壁大姐还崴了脚，"
         "找谁也没人管，咋整啊。",
         "市民来电：反映其居住小区后面巷道内路灯约五六盏均不亮，持续一个月左右，夜间出行不便，存在安全隐患，"
         "希望相关部门尽快维修。",
         "晚上九点多从后面小路走回家，整条路一盏灯都没亮，手机电筒照着走，女孩子一个人真不敢走，麻烦修一下路灯。"],
    ),
    "stair_light": (
        ["楼道声控灯坏了", "楼梯灯跺脚也不亮"],
        ["我们单元楼梯间的声控灯坏了快两个星期，怎么拍手跺脚都不亮，晚上上下楼只能摸黑，家里老人不敢出门。",
         "来电人称其所住楼栋楼道内感应灯失灵，从一楼到顶层全部不亮，已向物业报修但一直未处理。",
         "楼道里的灯又坏了，每次回家都要打着手机手电一层一层往上爬，上次差点踩空，物业电工啥时候能来换个灯泡？"],
    ),
    "pipe_burst": (
        ["楼下水管爆了一直在喷水", "地下的自来水管漏水了"],
        ["早上起来看到楼前草地上一直往外冒水，好像是地下的自来水管破了，水流到路上结了一大片，"
         "一上午都没人来关阀门，太浪费了。",
         "来电人反映：小区内主干道旁供水管道破裂漏水，大量自来水外溢，路面积水严重，请供水公司或物业尽快抢修。",
         "楼门口的水管裂了，哗哗往外淌水，半条路都是水，小孩踩着水玩，冬天结冰了肯定要摔人。"],
    ),
    "ceiling_leak": (
        ["楼上渗水到我家了", "我家天花板漏水，是楼上的"],
        ["我家厨房的吊顶这几天一直往下滴水，墙角也发霉发黑了，应该是楼上卫生间的防水坏了，去敲门说过两次，"
         "他们总说没空，麻烦社区帮忙协调一下。",
         "来电人称楼上住户家中漏水，渗到其家中卧室天花板，墙皮大面积起鼓脱落，与楼上沟通无果，请求调解。",
         "住我楼上那家不知道干了啥，我家卫生间顶上全是水印子，一直滴滴答答的，接了好几盆，找他他也不认账。"],
    ),
    "dance_noise": (
        ["广场舞音响太吵了", "跳舞的喇叭声音太大"],
        ["每天晚上七点到九点半，小区广场上跳舞的把音响开得震天响，我家孩子初三了根本没法写作业，"
         "跟领队说了让小点声，人家根本不理。",
         "来电人反映：小区健身广场有居民跳广场舞，音响音量过大，持续至晚上十点后，严重影响周边住户休息，"
         "要求协调降低音量或调整时间。",
         "楼下那帮大妈天天放音乐跳舞，动次打次的，窗户关着都能听见，我上夜班白天睡觉，晚上还得被吵，受不了了。"],
    ),
    "night_site": (
        ["工地半夜还在施工", "晚上施工噪音太大睡不着"],
        ["小区对面那个工地最近天天干到凌晨一两点，打桩机咚咚咚地响，还有大车进进出出，整个楼都在震，"
         "老人孩子都睡不好，打过环保电话也没用。",
         "来电人反映其小区附近建筑工地夜间违规施工，噪音扰民，时间多在晚上十一点以后，请求相关部门查处。",
         "隔壁在盖楼，夜里十二点还在灌混凝土，搅拌车一辆接一辆，轰隆隆的，已经连续一个礼拜了，能不能管管。"],
    ),
    "lane_parking": (
        ["消防车道上停满了私家车", "车把生命通道堵死了"],
        ["我们楼后面那条消防车道每天晚上都停得满满的，地上写着禁止停车也没人管，前几天救护车来接病人都进不来，"
         "担架是抬出去的。",
         "来电人反映：小区内消防通道长期被私家车辆占用，物业劝阻无效，一旦发生火情后果严重，请求相关部门处理。",
         "生命通道天天被车占着，有几辆车一停就是好几天，贴了条子也不管用，真出事了谁负责？"],
    ),
    "lift_trapped": (
        ["电梯把人困里面了", "电梯卡住困人"],
        ["昨天晚上我妈一个人坐电梯，到五楼突然停了，门也打不开，按了紧急按钮半天没人应，困了四十多分钟才被救出来，"
         "现在都不敢坐电梯了。",
         "来电人称其所住楼栋电梯本周已发生两次困人事件，维保单位到场较慢，要求对电梯进行全面检修。",
         "电梯又把人关在里面了，这个月第二回了，小孩在里面哭得不行，维保的人一个多小时才到，太吓人了。"],
    ),
    "lift_install": (
        ["老楼想加装电梯", "咨询老楼装电梯的事"],
        ["我们这栋是八十年代的六层老楼，没电梯，住的大多是七八十岁的老人，大家都想装一部电梯，"
         "想问问社区怎么申请，政府能补贴多少。",
         "来电人咨询：既有住宅加装电梯的申请流程、需要多少户业主签字同意，以及费用如何分摊。",
         "楼里老人越来越多，爬六楼太费劲了，听说现在可以给老楼装电梯，我们单元想弄，不知道从哪开始办。"],
    ),
    "bin_overflow": (
        ["垃圾桶满了没人倒", "垃圾好几天没拉走了"],
        ["我们楼下的几个垃圾桶已经三天没人清了，袋子堆得比桶还高，汤汤水水流了一地，天热一捂全是苍蝇，"
         "路过的人都捂着鼻子。",
         "来电人反映：小区垃圾收集点垃圾清运不及时，垃圾满溢，散发恶臭，要求环卫或物业及时清运。",
         "垃圾房那边堆成小山了，环卫车好几天没来，野猫野狗翻得到处都是，真是又脏又臭。"],
    ),
    "drain_backflow": (
        ["下水道堵了往上返水", "厨房下水返脏水"],
        ["一楼的厨房地漏这两天一直往上冒脏水，还带着菜叶子和油，臭得没法做饭，应该是楼里的主下水管堵了，"
         "物业说要等，等到啥时候？",
         "来电人称其家中下水管道堵塞，污水从地漏反涌，疑为楼栋公共排污管堵塞，请物业疏通。",
         "楼上的人往下水里倒剩饭，我们一楼天天返水，卫生间地上全是污水，都泡了两回了。"],
    ),
    "dog_poop": (
        ["遛狗不捡狗屎", "草坪上全是狗粪"],
        ["早上出门，单元门口、花坛边上全是狗屎，一不留神就踩一脚，那些遛狗的从来不带袋子，拉完就走。",
         "来电人反映：小区内部分居民遛狗不清理犬只粪便，公共区域粪便随处可见，影响环境卫生，要求加强管理。",
         "小区草地上到处都是狗拉的，孩子在上面玩弄得一身，有的狗主人看见了还装没看见，太没素质了。"],
    ),
    "bbq_smoke": (
        ["楼下烧烤油烟熏人", "烧烤店的烟太大了"],
        ["我家楼下新开了个烧烤店，每天傍晚开始烤，烟全往楼上飘，窗户都不敢开，衣服晾在阳台上全是烤串味，"
         "老人咳嗽了好几天。",
         "来电人反映小区底商烧烤店油烟未经净化直排，油烟浓重，影响楼上住户正常生活。",
         "一到晚上楼下就烟雾缭绕的，全是炭火烤肉的味道，呛得嗓子疼，开店的说装了油烟机，根本没用。"],
    ),
    "ebike_charging": (
        ["有人从楼上扯电线给电动车充电", "楼道里给电瓶车充电"],
        ["我们楼有人从三楼窗户扯了根电线下来，吊在半空给楼下的电动车充电，晚上就这么插着，下雨天还滋滋冒火花，"
         "太吓人了。",
         "来电人反映：其所住楼栋有居民私拉电线为电动自行车充电，存在严重火灾隐患，请求相关部门处理。",
         "二单元有两户天天把电瓶车推进楼道里充电，插线板就放地上，楼道本来就窄，万一着火人都跑不出去。"],
    ),
    "throwing": (
        ["楼上往下扔东西", "有人高空抛物"],
        ["今天中午我在楼下走，一个啤酒瓶从楼上掉下来碎在我脚边，差一点就砸到我头上了，也不知道是哪层扔的，"
         "希望装个朝上的摄像头。",
         "来电人反映小区某楼栋经常有高空抛物现象，曾有物品砸坏楼下车辆，要求物业排查并加装监控。",
         "楼下花坛里经常有从上面扔下来的烟头、剩饭，还有一次掉了个花盆，楼下停的车都砸了，哪天砸到人就完了。"],
    ),
    "pothole": (
        ["路上有个大坑", "路面坑坑洼洼"],
        ["小区进门那段路坑坑洼洼的，下雨天积一坑一坑的水，骑电动车的一不注意就栽进去，上周还有人摔伤了。",
         "来电人反映：小区主干道路面破损严重，多处坑洼，雨天积水，影响居民出行安全，请求修缮。",
         "门口那条水泥路烂得不成样子了，到处是坑，开车过去颠得不行，推婴儿车都推不动。"],
    ),
    "manhole_gone": (
        ["路边井盖不见了", "井盖被偷了一个"],
        ["小区北边人行道上的一个井盖不知道什么时候没了，下面黑洞洞的，就用几根树枝挡着，晚上根本看不见，"
         "要是有人掉下去可怎么办。",
         "来电人反映：某路段人行道上窨井盖缺失，仅有简易遮挡，存在安全隐患，请相关部门尽快补装。",
         "我们这有个下水井的盖子丢了，口子敞着，小孩放学都从那里过，我先搬了块砖挡着，快来补一个吧。"],
    ),
    "low_pressure": (
        ["高层水压太低", "楼上水流太小"],
        ["我家住二十二楼，一到早上和晚上做饭的时候，水龙头就剩一根筷子那么细的水，热水器都点不着，洗澡只能等半夜。",
         "来电人反映其所住高层住宅供水压力不足，高峰时段基本无法正常用水，请求加压。",
         "我们这栋楼上面几层的水跟滴眼药水似的，洗衣机都进不了水，物业说是二次供水的泵有问题，一直没弄好。"],
    ),
    "heating_cold": (
        ["暖气不热", "家里暖气冰凉"],
        ["都供暖半个月了，我家暖气片还是温吞吞的，屋里才十四五度，老人在家得穿棉袄，打了热力公司电话说排气，"
         "排了也不管用。",
         "来电人反映：其家中供暖温度不达标，室温长期低于十六度，要求供热单位上门检查。",
         "今年暖气跟没开一样，摸着凉冰冰的，孩子都冻感冒了，交了那么多取暖费，这算怎么回事。"],
    ),
    "vendor_block": (
        ["门口小摊占道", "摆摊的把路堵了"],
        ["每天早上小区大门口全是卖早点、卖菜的三轮车，把人行道和半边马路都占了，上学的孩子只能在车缝里钻，"
         "太危险了。",
         "来电人反映：小区出入口处流动摊贩占道经营，造成交通拥堵，且遗留垃圾较多，请求城管处理。",
         "大门外那一溜摊子越摆越多，卖水果的、卖烤红薯的，车开不出去人也走不过去，收摊了满地烂菜叶。"],
    ),
    "weeds": (
        ["绿化带草长得老高", "小区杂草没人剪"],
        ["楼前的绿化带好几个月没人修剪了，草长得齐腰高，里面全是蚊子，晚上还有蛇爬出来过，孩子都不敢在那玩。",
         "来电人反映：小区公共绿地杂草丛生，长期无人养护，滋生蚊虫，请物业及时修剪。",
         "花坛里的草都长疯了，比人还高，把路灯都挡住了，物业的绿化工好像不来了。"],
    ),
    "parking_fee": (
        ["停车费又涨价了", "月租车位费太贵"],
        ["物业突然贴通知说地面停车月租从一百五涨到二百五，也没开业主大会，也没公示依据，一下涨这么多谁受得了。",
         "来电人反映：小区物业单方面上调停车收费标准，未征求业主意见，请求相关部门核查收费依据。",
         "今年停车费一下子涨了快一倍，问物业为什么，说上面定的，收据都不给开，太霸道了。"],
    ),
    "door_broken": (
        ["单元门关不上了", "楼下的门禁坏了"],
        ["我们单元的门禁坏了一个多月，门一直敞着，刷卡也没反应，晚上经常有不认识的人进来睡在楼道里，吓死人了。",
         "来电人称其楼栋单元门门禁系统故障，门无法关闭，外来人员随意进出，存在治安隐患。",
         "楼门的电子锁坏了，门合不上，风一刮咣当咣当响，谁都能进，快递员推销的天天进来敲门。"],
    ),
}

# Pairs of groups about one object or one spot but another problem: hard negatives.
NEAR = [
    ("lane_light", "stair_light"), ("lift_trapped", "lift_install"), ("lane_parking", "parking_fee"),
    ("pipe_burst", "low_pressure"), ("pipe_burst", "ceiling_leak"), ("drain_backflow", "ceiling_leak"),
    ("dance_noise", "night_site"), ("bin_overflow", "pond_floating"), ("bin_overflow", "dog_poop"),
    ("pothole", "manhole_gone"), ("vendor_block", "lane_parking"), ("ebike_charging", "lane_parking"),
    ("throwing", "bin_overflow"), ("weeds", "lane_light"), ("door_broken", "stair_light"),
    ("bbq_smoke", "vendor_block"), ("heating_cold", "low_pressure"), ("dog_poop", "weeds"),
]

# Typo'd or dialect summaries of some stories (pinyin slips: 路等, 电t, 垃极…).
TYPOS = {
    "lane_light": "巷子路等都不亮了",
    "lift_trapped": "电悌困人了快来人",
    "bin_overflow": "垃极桶满出来没人管",
    "drain_backflow": "下水到堵了返臭水",
    "heating_cold": "暖器一点都不热",
    "pothole": "路面有个大坑洼咋没人修",
}

# Hand-written pairs about places. (group, duplicate, a, b). Names the earlier rounds never used.
PLACES = [
    # Street lights at named places.
    ("light_named", False, "桂花里南门的路灯坏了", "翠竹轩门口路灯不亮"),
    ("light_named", False, "和平坊那边的路灯晚上全黑", "建新里的路灯好几天没亮了"),
    ("light_named", True, "桂花里南门的路灯坏了", "桂花里南门口那几盏路灯晚上都是黑的"),
    ("light_named", False, "桂花里南门的路灯坏了", "桂花里北门的路灯坏了"),
    ("light_named", False, "胜利路公交站旁边的路灯不亮", "东风路公交站那儿的路灯灭了"),
    ("light_named", True, "胜利路公交站旁边的路灯不亮", "胜利路站台边上的灯一到晚上就不亮"),
    ("light_named", False, "育英中学门口路灯坏了，学生晚自习回家很黑", "铁路小学门前的路灯坏了，孩子放学天都黑了"),
    ("light_named", True, "育英中学门口路灯坏了，学生晚自习回家很黑", "育英中学大门外那段路灯好久没修了"),
    # Rubbish at named places.
    ("rubbish_named", False, "福寿街菜场后面垃圾堆成山", "兴隆市场后头的垃圾没人清"),
    ("rubbish_named", True, "福寿街菜场后面垃圾堆成山", "福寿街菜市场后门那堆垃圾好几天没拉了，臭死了"),
    ("rubbish_named", False, "老杨家面馆门口泔水桶臭得很", "好再来饭馆门口泔水没人收，味道很大"),
    ("rubbish_named", True, "老杨家面馆门口泔水桶臭得很", "老杨面馆外面的泔水桶天天冒臭味"),
    ("rubbish_named", False, "滨湖新苑的垃圾站满了", "枫林雅居的垃圾站满了"),
    ("rubbish_named", True, "滨湖新苑的垃圾站满了", "滨湖新苑垃圾房都堆出来了没人运"),
    # Water and drains at named places.
    ("drain_named", False, "惠民诊所门口下水道堵了，污水漫到路上", "仁和药房门口下水道冒污水"),
    ("drain_named", True, "惠民诊所门口下水道堵了，污水漫到路上", "惠民诊所前面的下水口堵住了，脏水流了一地"),
    ("drain_named", False, "长青路和新华街路口一下雨就淹", "光华路和民主街路口下雨积水很深"),
    ("drain_named", True, "长青路和新华街路口一下雨就淹", "新华街长青路那个十字路口每次下雨都是一大片水"),
    # Parking and vendors at named places.
    ("park_named", False, "实验幼儿园门口接孩子的车乱停", "红星幼儿园门口接送的车停得乱七八糟"),
    ("park_named", True, "实验幼儿园门口接孩子的车乱停", "实验幼儿园大门口放学时车辆乱停乱放，路都堵了"),
    ("park_named", False, "万家福超市门口摆摊的占了人行道", "百佳超市门口摊贩占道"),
    ("park_named", True, "万家福超市门口摆摊的占了人行道", "万家福门口那些卖菜的小摊把人行道都占满了"),
    ("park_named", False, "滨江一号西门外车乱停", "滨江一号东门外车乱停"),
    # Noise at named places.
    ("noise_named", False, "人民公园早上的广场舞太吵", "劳动公园晚上跳广场舞声音太大"),
    ("noise_named", True, "人民公园早上的广场舞太吵", "一大早人民公园那边放音乐跳舞，吵得人睡不着"),
    ("noise_named", False, "金鼎KTV半夜还很吵", "欢乐颂KTV半夜唱歌扰民"),
    ("noise_named", True, "金鼎KTV半夜还很吵", "楼下金鼎ktv天天闹到两三点"),
    # Same named place, other problem.
    ("same_place_other", False, "桂花里南门的路灯坏了", "桂花里南门的垃圾没人收"),
    ("same_place_other", False, "福寿街菜场后面垃圾堆成山", "福寿街菜场门口的井盖松了"),
    ("same_place_other", False, "胜利路公交站旁边的路灯不亮", "胜利路公交站的候车亭玻璃碎了"),
    ("same_place_other", False, "实验幼儿园门口接孩子的车乱停", "实验幼儿园旁边的工地太吵"),
    ("same_place_other", False, "人民公园早上的广场舞太吵", "人民公园的健身器材坏了"),
    # Numbered places: numbers in words and in digits.
    ("numbered", True, "十二号楼的电梯又坏了", "12栋电梯停了好几天"),
    ("numbered", False, "十二号楼的电梯又坏了", "21栋电梯坏了"),
    ("numbered", True, "三单元楼道灯不亮", "3单元的声控灯坏了"),
    ("numbered", False, "三单元楼道灯不亮", "5单元楼道的灯坏了"),
    ("numbered", True, "7号楼前面积水好深", "七栋门口一下雨就是一滩水"),
    ("numbered", False, "7号楼前面积水好深", "9号楼门口积水很深"),
    ("numbered", True, "二十五栋顶楼漏雨", "25号楼顶层的屋面防水坏了，一下雨就漏"),
    ("numbered", False, "二十五栋顶楼漏雨", "15号楼顶楼漏雨"),
    ("numbered", False, "402和502的邻居因为漏水吵起来了", "301和401因为漏水闹矛盾"),
    ("numbered", True, "4号楼2单元的门禁坏了", "四号楼二单元门禁刷不开，门也关不上"),
]


def split_of(group: str) -> str:
    return "test" if any(zlib.crc32(g.encode()) % 2 == 0 for g in group.split("+")) else "train"


def build() -> list[dict]:
    rng = random.Random(16)
    rows: list[dict] = []

    def add(kind: str, group: str, duplicate: bool, a: str, b: str) -> None:
        if rng.random() < 0.5:
            a, b = b, a
        rows.append({"id": f"r4-{kind}-{group}-{len(rows) + 1:04d}", "split": split_of(group), "group": group,
                     "kind": kind, "duplicate": duplicate, "same_area": True, "a": a, "b": b})

    for group, (shorts, longs) in STORIES.items():
        for short in shorts:
            for long in rng.sample(longs, 2):
                add("retell", group, True, short, long)
        for x, y in rng.sample(list(combinations(longs, 2)), 2):
            add("retell", group, True, x, y)
        if group in TYPOS:
            add("retell", group, True, TYPOS[group], rng.choice(longs))
    for g1, g2 in NEAR:
        group = "+".join(sorted((g1, g2)))
        for x, y in ((g1, g2), (g2, g1)):
            add("near", group, False, rng.choice(STORIES[x][0]), rng.choice(STORIES[y][1]))
        add("near", group, False, rng.choice(STORIES[g1][1]), rng.choice(STORIES[g2][1]))
        add("near", group, False, rng.choice(STORIES[g1][0]), rng.choice(STORIES[g2][0]))
    for group, duplicate, a, b in PLACES:
        add("number" if group == "numbered" else "place", group, duplicate, a, b)
    return rows


def main() -> None:
    write_pairs(build(), OUT)


if __name__ == "__main__":
    main()
