"""Writes tests/data/demand_pairs_round3.jsonl: the two kinds of pair the blind test found missing.

Run: python tests/data/build_pairs_round3.py (deterministic; the output is committed, this shows how it was made).

Round 3 was written after a blind set by others showed two kinds of miss (issue 15), before the scorer was
changed, and without looking at that blind set's texts:
- ``long``: a short summary against a longer retelling of the same problem (and hard negatives: the same
  object or place with another problem);
- ``place``: the same problem at two *named* places (estates, roads, shops, schools, parks — different
  matters) against the same named place in other words (same matter), plus the same place with another problem.
Every text below was written by hand; place pairs combine hand-written sentences with hand-picked names.
The split is fixed by a hash of the *group* a pair is drawn from (crc32(group) % 3 == 0 → test): the story
for ``long`` pairs (a hard negative goes with its pair of stories), the problem for ``place`` pairs. So a test
duplicate's sentences appear in no train duplicate (some do appear in train hard negatives, which pair two
stories or problems), and word lists tuned on train duplicates do not reach them. Decided before
any tuning: tune on ``train`` only.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from pairs_file import write_pairs

OUT = Path(__file__).with_name("demand_pairs_round3.jsonl")

# key → (short summaries, longer retellings of the same problem)
LONG = {
    "river_rubbish": (
        ["河道里全是垃圾", "河里漂着好多垃圾没人捞"],
        ["小区旁边那条河最近特别脏。水面上漂着很多塑料袋和泡沫饭盒，都卡在桥墩下面。天一热就有味道，希望安排人打捞。",
         "每天早上沿河散步，看到河面上浮着矿泉水瓶、外卖盒子还有一团团的塑料袋。已经一个多星期了也没见有船来清理，孩子们在岸边玩也不卫生。"],
    ),
    "rubbish_overflow": (
        ["垃圾桶满了没人收", "垃圾站好几天没清运"],
        ["我们楼下那几个垃圾桶从周五开始就没人来拉，现在袋子都堆到地上了。野猫把袋子扒开，剩菜汤水流了一地，路过都要捂鼻子。",
         "最近垃圾车好像不来了，分类亭那边的桶全都塞满，后来的人只能把垃圾袋放在旁边。天气热，苍蝇特别多，味道飘到二三楼。"],
    ),
    "streetlight_out": (
        ["路灯不亮", "小区路灯坏了好几盏"],
        ["晚上从公交站走回家，小区里面那条主路黑漆漆的，好几根路灯杆的灯都不亮。上周我邻居的老母亲在那摔了一跤，晚上出门真的要打手电。",
         "从上个月开始，楼前的路灯一到晚上就不亮，整段路只能靠手机照明。报给物业说等配件，到现在也没修好，下夜班的人都害怕。"],
    ),
    "stair_light": (
        ["楼道灯坏了", "楼梯间声控灯不亮"],
        ["我们单元的楼道里，声控灯怎么跺脚拍手都没反应，晚上上下楼全靠摸黑。家里老人腿脚不便，生怕在楼梯上踩空。",
         "楼梯间的感应灯坏了有一阵子了，晚上回来从一楼到六楼都是黑的，拎着东西看不清台阶，请物业派电工来换一下。"],
    ),
    "roof_leak": (
        ["顶楼漏水", "屋顶漏雨"],
        ["我家住在顶层，每次下大雨天花板就往下滴水，墙角都发霉长黑斑了。用盆接着也不是办法，楼顶的防水层应该是老化了，希望尽快维修。",
         "这几天连着下雨，顶楼的屋面渗水，卧室的吊顶已经泡坏了一块，墙皮大片大片往下掉。去年就报过一次，修完又漏了。"],
    ),
    "pipe_leak": (
        ["水管漏水", "楼道里水管爆了"],
        ["今天早上出门发现楼道里全是水，是墙上那根自来水管接口在往外喷水，一直流到楼下。请赶紧派人来关阀门修管子。",
         "一楼的供水管一直在滴水，地上积了一大滩，走路容易滑倒，墙根都泡软了。已经好几天了，水费也是大家一起分摊的，太浪费。"],
    ),
    "lift_broken": (
        ["电梯坏了", "电梯又停运了"],
        ["我们这栋楼的电梯从前天开始就停了，门口贴了张纸说在维修，可是一直没人来修。我家老人八十多岁住在十五楼，这两天根本下不了楼，买菜都要邻居帮忙。",
         "电梯这个月已经是第三次出故障了，按钮按了没反应，有时候还在两层之间卡住不动。物业每次都说报修了，可是修好没两天又坏，住高层的真的受不了。"],
    ),
    "lift_trap": (
        ["电梯困人", "有人被困在电梯里"],
        ["刚才电梯走到一半突然停了，里面关着一个老太太和一个小孩，按警铃半天没人应。最后是楼里的人打了119才把门撬开，太吓人了。",
         "昨晚十点多我坐电梯回家，电梯在七楼和八楼之间卡住了，我在里面被关了四十分钟，打维保电话一直占线。这种事情必须查清楚原因。"],
    ),
    "lift_add": (
        ["想加装电梯", "老楼加装电梯的事"],
        ["我们是九十年代的老楼，六层没有电梯，楼里一多半是老人。听说现在政府支持老楼加装电梯，我们单元大部分人都愿意出钱，想知道怎么申请、需要几户同意。",
         "楼里的老人爬楼太辛苦了，大家商量着装一部电梯，可是一楼二楼的住户担心挡光和噪音，意见一直统一不了。希望社区出面组织大家开个会。"],
    ),
    "parking_occupied": (
        ["我的车位被人占了", "固定车位老被外来车停"],
        ["我在地下车库买的固定车位，最近下班回来总有一辆白色的车停在上面，打电话给车主也不接。跟保安说了好几次，他们也说管不了，我只能停到外面路边去。",
         "我们家的车位这一周被占了四次，都是不认识的车，有一次还是外地牌照。物业的道闸根本没拦住外来车辆，业主交了钱却用不上自己的车位。"],
    ),
    "parking_fee": (
        ["停车费涨价", "车位费太贵了"],
        ["物业上周贴了通知，说下个月起地面停车每月从一百五涨到三百，也没有开业主大会讨论。大家都觉得涨得太离谱了，想问问这样收费合不合规。",
         "我们小区的月租车位一年比一年贵，今年又加了五十，临时停车一个小时也要五块。问物业收费标准的依据，他们说是公司定的，不给看文件。"],
    ),
    "noise_upstairs": (
        ["楼上太吵", "楼上半夜噪音"],
        ["楼上那户每天晚上十一二点还在屋里拖椅子、跺脚，有时候还有小孩跑来跑去，咚咚咚的声音震得我们睡不着。上去敲门说过两次，他们态度很差，说在自己家爱干嘛干嘛。",
         "我家孩子今年高考，楼上邻居天天半夜弹钢琴、放音乐，声音大得隔着楼板都听得清清楚楚。跟他们沟通没有用，希望社区能帮忙调解一下。"],
    ),
    "square_dance": (
        ["广场舞太吵", "跳广场舞的音响声音太大"],
        ["每天晚上七点到九点半，小区中间的广场有好几支队伍在跳舞，几个音响一起放，声音大得关上窗户都能听到。家里有上夜班要白天睡觉的，也有要学习的孩子，实在受不了。",
         "楼下空地上那帮跳舞的阿姨，音响开得震天响，早上六点就开始，周末也不停。我们跟她们说过小声点，她们反而说我们事多。"],
    ),
    "manhole": (
        ["井盖没了", "路上井盖坏了"],
        ["小区门口人行道上有一个井盖不知道被谁拿走了，下面黑洞洞的好几米深，就拿个破箱子挡着。晚上路过的人根本看不见，万一孩子掉下去就出大事了。",
         "单元门前那块井盖裂成了两半，一踩就晃，上周有个送快递的电动车轮子卡进去摔倒了。赶紧换个新的吧，不然迟早还要出事。"],
    ),
    "weeds": (
        ["草太高了没人剪", "绿化带杂草疯长"],
        ["小区的绿化带一整个夏天没人修剪，草长得快到人腰那么高，里面蚊子特别多，晚上在楼下坐一会儿腿上全是包。物业收了绿化费却不干活。",
         "楼后面那片草地荒了，杂草比小孩还高，还有人往里面扔垃圾，前几天还看到有蛇。希望园林的人来割一下草、打打药。"],
    ),
    "tree_danger": (
        ["大树要倒了", "树歪了有危险"],
        ["我们楼前面那棵老槐树，前两天刮大风以后明显往一边歪，根部的土都翘起来了。树底下就是停车的地方和孩子放学走的路，万一倒下来后果不堪设想。",
         "路边有棵大树的树干已经裂开一条大缝，树枝压在电线上，一刮风就来回晃。请园林部门来看看，该砍的砍，该修的修。"],
    ),
    "dog_poop": (
        ["到处是狗屎", "遛狗不清理粪便"],
        ["早上送孩子上学，小区的路上、草坪边上隔几步就是一摊狗屎，一不小心就踩到。有些人遛狗从来不带袋子，狗拉完扭头就走。",
         "最近养狗的越来越多，单元门口和电梯口经常有狗的粪便，还有尿渍，味道特别大。希望物业贴个告示，督促狗主人自己清理。"],
    ),
    "dog_unleashed": (
        ["遛狗不拴绳", "大狗不牵绳吓人"],
        ["小区里有个人养了一条很大的金毛，每天晚上放出来乱跑从来不拴绳。昨天突然冲过来扑我家孩子，孩子吓得哇哇哭，狗主人还说它不咬人。",
         "好几户人家遛狗都不牵狗绳，大狗在广场上追着老人和小孩跑，上个月还咬伤了一个快递员。希望社区出台规定，文明养犬。"],
    ),
    "street_vendor": (
        ["门口摆摊占道", "路边小摊把路堵了"],
        ["每天下午四点以后，小区大门外的人行道上就摆满了卖水果、卖烤串的小摊，行人只能走到机动车道上，车一多特别危险。收摊以后地上还留一堆垃圾。",
         "学校门口那段路被卖早点的三轮车和摊位占了一大半，接送孩子的家长和电动车挤在一起，经常堵得走不动。城管来了就跑，走了又回来。"],
    ),
    "corridor_clutter": (
        ["楼道里堆满杂物", "楼道被旧家具堵了"],
        ["我们这个单元的楼道里，有人把旧沙发、纸箱子、破自行车都堆在楼梯拐角，只剩一个人侧身能过。万一着火，大家根本跑不出去。",
         "楼梯口常年放着邻居家的花盆、鞋柜和一堆废纸板，晚上灯又暗，老人上下楼已经被绊过好几次了。跟他说过挪一挪，就是不动。"],
    ),
    "ebike_charging": (
        ["有人在楼道给电动车充电", "飞线充电太危险"],
        ["三楼的邻居每天晚上把电瓶车推到楼道里，从自己家窗户拉一根电线下来充电，插线板就放在地上。楼道里还堆着纸箱，真起火了整栋楼都跑不了。",
         "最近发现好几户从楼上往下吊电线，给停在楼下的电动车充电，线就挂在半空中晃来晃去，下雨的时候还冒过火花。小区的充电桩太少，大家只能这么干。"],
    ),
    "drain_blocked": (
        ["下水道堵了", "下水管道返水"],
        ["我们单元的下水管道又堵了，一楼住户的厨房地漏往上冒脏水，整个屋子都是臭味，地板都泡了。物业来通了一次，没几天又堵上了。",
         "这两天楼下的排水管一直不通，卫生间里的水下不去，脏水从地漏里翻上来。听说是主管道堵塞，要从外面井里疏通，请尽快安排。"],
    ),
    "bbq_smoke": (
        ["烧烤店油烟大", "楼下烧烤摊烟熏得受不了"],
        ["楼下新开的烧烤店每天从傍晚烤到后半夜，油烟从排风口直接往上冒，我们家在三楼，窗户一开满屋子都是烟味，晾在外面的衣服也熏黑了。",
         "临街那几家烧烤摊把炉子摆在路边，炭火烟一阵阵往小区里飘，晚上根本不敢开窗，老人有哮喘闻了就咳嗽。希望管管他们的油烟。"],
    ),
    "flyposting": (
        ["小广告贴得到处都是", "楼道墙上全是小广告"],
        ["单元门、电梯里、楼道墙上贴满了开锁、通下水、办证的小广告，撕了又贴，有的还直接用油漆喷上电话号码。刚刷过的墙又被弄得乱七八糟。",
         "最近每天都有人进楼塞传单、贴广告，门把手上都挂着宣传单，墙面一层叠一层。门禁好像形同虚设，外人随便就能进来。"],
    ),
    "gym_broken": (
        ["健身器材坏了", "扭腰器断了"],
        ["小区广场上的健身器材用了好多年，太空漫步机的踏板掉了一个，扭腰器的转盘也松了，一转就咣当响。老人们每天都在上面锻炼，怕出危险。",
         "楼下那几个健身器械锈得厉害，单杠上的螺丝都松了，上个星期有个小孩在上面玩差点摔下来。希望有人来检修或者换新的。"],
    ),
    "door_access": (
        ["单元门禁坏了", "单元门锁不上"],
        ["我们单元的门禁坏了快两周，门一直关不上，谁都能随便进来。前几天还有陌生人在楼道里转来转去，晚上挺让人害怕的。",
         "单元门的电磁锁失灵了，刷卡没反应，门只能虚掩着，风一吹就哐当哐当响。物业说要等厂家来修，可是一直没动静。"],
    ),
    "water_pressure": (
        ["水压太低", "高层没水"],
        ["我们住在十八楼，最近一到早晚用水高峰水龙头就只有细细一股，热水器都打不着火，洗澡根本没法洗。问了楼下的邻居，他们家倒还正常。",
         "这段时间高层经常停水，白天有时候一点水都没有，要晚上十一点以后才来。估计是二次供水的水泵出了问题，请水务公司来查一查。"],
    ),
    "heating": (
        ["暖气不热", "供暖温度不够"],
        ["今年供暖都开始半个多月了，我家的暖气片摸着只是温的，屋里只有十五六度，老人在家得穿着棉袄。打热力公司的电话说会派人来，到现在也没来。",
         "我们楼靠边的几户暖气一直不热，放了气也没用，晚上睡觉要开电热毯。暖气费一分没少交，温度却达不到标准。"],
    ),
    "high_throw": (
        ["有人高空抛物", "楼上往下扔东西"],
        ["昨天下午我在楼下推婴儿车，突然从楼上掉下来一个装满水的塑料瓶，就砸在离我们一米远的地方。不知道是哪一层扔的，太可怕了，希望装个监控查一下。",
         "我们楼下经常能看到烟头、果皮、甚至还有旧拖把从楼上扔下来，停在楼下的车被砸了好几个坑。这是要出人命的事，请社区和物业重视。"],
    ),
    "pigeons": (
        ["邻居养鸽子太脏", "鸽子粪落得到处都是"],
        ["隔壁楼顶有人搭了个鸽子棚，养了几十只鸽子，每天成群在楼上飞，我家阳台和窗台上全是鸽子屎，晾的衣服也被弄脏了，还有股怪味。",
         "顶楼那户在天台上养鸽子，鸽粪顺着雨水管流下来，楼道里都能闻到味道。听说鸽子还会传播疾病，家里有小孩很担心。"],
    ),
}

# Pairs of groups about the same object or the same kind of place with another problem: hard negatives.
NEAR = [
    ("lift_broken", "lift_add"), ("lift_trap", "lift_add"), ("streetlight_out", "stair_light"),
    ("roof_leak", "pipe_leak"), ("parking_occupied", "parking_fee"), ("noise_upstairs", "square_dance"),
    ("dog_poop", "dog_unleashed"), ("weeds", "tree_danger"), ("rubbish_overflow", "river_rubbish"),
    ("corridor_clutter", "ebike_charging"), ("corridor_clutter", "stair_light"), ("drain_blocked", "pipe_leak"),
    ("street_vendor", "bbq_smoke"), ("flyposting", "door_access"), ("water_pressure", "heating"),
    ("high_throw", "pigeons"), ("gym_broken", "weeds"), ("manhole", "drain_blocked"),
    ("rubbish_overflow", "dog_poop"), ("ebike_charging", "parking_occupied"), ("stair_light", "door_access"),
    ("roof_leak", "heating"), ("street_vendor", "parking_occupied"), ("square_dance", "gym_broken"),
]

# Short, colloquial or mistyped summaries of the same problems (homophone typos as pinyin input makes them).
TYPOS = {
    "streetlight_out": "路等不亮了黑咕隆咚的",
    "lift_broken": "电悌又趴窝了",
    "rubbish_overflow": "垃极桶满出来没人管",
    "manhole": "井该不见了",
    "roof_leak": "楼顶漏谁了",
    "noise_upstairs": "楼上天天半夜咚咚咚的",
    "drain_blocked": "下水到堵死了",
    "parking_occupied": "俺的车位又让人占了",
    "dog_poop": "满地狗粑粑",
    "weeds": "草长得老高了也没人管",
}

# Round 3b, written after the first measurement on round 3 (test recall 0.51) and before any tuning on these:
# more stories about the same everyday problems in other words, so the word lists meet more ways of saying them.
LONG_B = {
    "construction_dump": (
        ["楼下乱倒建筑垃圾", "装修垃圾堆在绿地上"],
        ["不知道哪家装修，把砖头、水泥块和破瓷砖一袋袋扔在楼下草坪边上，已经堆了半人高。物业说不是他们倒的不管，下雨一冲全是泥浆。",
         "最近有好几户同时在装修，装修队图省事，把拆下来的旧门窗、碎砖和石膏板直接卸在花坛旁边，越堆越多，孩子在上面爬很危险。"],
    ),
    "lamp_flicker": (
        ["路灯一闪一闪的", "路灯忽明忽暗"],
        ["小区西侧那排路灯这半个月一直在闪，亮一下灭一下，晚上开车经过晃得眼睛难受，走路也看不清脚下。估计是线路接触不良。",
         "我家窗户正对着一盏路灯，每天晚上一闪一闪跟打信号一样，拉上窗帘都能感觉到，孩子说害怕睡不着，请派人检修一下。"],
    ),
    "upstairs_leak": (
        ["楼上漏水到我家", "楼上卫生间渗水"],
        ["我家卫生间的天花板最近一直往下滴水，吊顶都泡变形了，水是黄色的还有味道。上楼找邻居，他们说自己家没问题不肯让我们进去看。",
         "楼上那户装修以后，我家厨房顶上就开始渗水，墙角起了一片霉点。跟楼上说了几次让他们做个闭水试验，一直拖着不处理，想请社区帮忙协调。"],
    ),
    "lift_noise": (
        ["电梯运行有异响", "电梯咣当咣当响"],
        ["这几天坐电梯，一到六七楼的位置就会咣当一下，还有金属摩擦的吱吱声，整个轿厢都在抖，家里老人都不敢坐了。希望维保单位尽快检查。",
         "电梯上下的时候总有咯噔咯噔的怪声，停靠也不平，有时候比楼层高出一截，进出要抬腿。担心哪天出事，请安排检修。"],
    ),
    "shared_bikes": (
        ["共享单车堵了门口", "门口共享单车乱停"],
        ["每天早上小区门口的人行道上横七竖八停满了共享单车，有的倒在地上，推婴儿车和坐轮椅的根本过不去，只能绕到马路上走。",
         "地铁口到我们小区大门这段路，共享单车停得密密麻麻，连盲道都占了。运维的人很少来清，晚上回来经常被绊到。"],
    ),
    "renovation_noise": (
        ["邻居装修太吵", "周末一大早就装修电钻声"],
        ["隔壁在装修，每天早上七点不到就开始用电钻打墙，中午也不停，周末照样干。我家有刚满月的孩子，天天被吵醒，跟工人说了也没用。",
         "楼下那户装修已经两个多月，切割机和砸墙的声音一阵接一阵，整栋楼都在震。物业规定的施工时间根本没人遵守。"],
    ),
    "cats": (
        ["流浪猫太多了", "楼道里有人喂野猫"],
        ["小区里的流浪猫越来越多，晚上在楼下打架叫得像小孩哭，还翻垃圾桶，把垃圾扒得满地都是。有人天天拿猫粮在楼道口喂，越喂越多。",
         "我们单元门口常年放着几个喂猫的碗，剩的猫粮招来很多苍蝇和老鼠，楼道里一股猫尿味，有孩子还被猫抓伤过。"],
    ),
    "shop_encroach": (
        ["商铺把货摆到人行道上", "店门口占道经营"],
        ["临街那几家水果店和五金店，把货架、纸箱一直摆到人行道中间，行人只能侧着身子挤过去，下雨天还支起大伞，把路全挡住了。",
         "小区底商的饭馆把桌椅摆在门口人行道上招揽客人，晚上还在外面洗碗倒污水，地上又脏又滑，走路都得绕开。"],
    ),
    "green_destroyed": (
        ["有人毁绿种菜", "绿化带被挖了种菜"],
        ["楼下的绿化带被几户人家圈起来种了葱和白菜，还用竹竿围了栅栏，浇粪水的时候臭得不行。原来的草坪和冬青全被铲掉了。",
         "最近发现小区公共绿地被人挖开一块块开荒种菜，还堆了好几个沤肥的桶，招了不少蚊虫。公共绿地能私自占用吗？"],
    ),
    "barking_dog": (
        ["邻居家狗天天叫", "狗叫得睡不着"],
        ["对门邻居白天上班把狗关在家里，那条狗从早叫到晚，一刻都不停，我在家办公根本没法开会。跟他们说过几次，他们说狗叫管不了。",
         "楼下那户养了两条大狗，每天半夜有点动静就狂叫，整栋楼都能听到，已经好几个月了，好多人都睡不好。"],
    ),
    "manhole_smell": (
        ["下水井往外冒臭气", "污水井满了往外溢"],
        ["小区中间那个污水井这几天一直往外冒黑水，井盖周围全是污水，臭味飘得老远，路过都得捂着鼻子绕着走。",
         "楼后面的化粪池好像满了，井口边上往外溢脏水，流到了路边的排水沟，天一热臭气熏天，苍蝇成群。"],
    ),
    "fire_lane": (
        ["消防通道被车堵了", "私家车占了消防通道"],
        ["我们楼前面的消防通道上每天晚上都停满了私家车，地上画的黄线和禁止停车的字完全没人管。万一着火，消防车根本开不进来。",
         "小区的消防通道长期被几辆车占着，有一辆好像半年都没动过，车身上全是灰。物业贴过条也没用，请相关部门处理。"],
    ),
}

NEAR_B = [
    ("construction_dump", "green_destroyed"), ("lamp_flicker", "manhole_smell"), ("upstairs_leak", "renovation_noise"),
    ("lift_noise", "renovation_noise"), ("shared_bikes", "shop_encroach"), ("shared_bikes", "fire_lane"),
    ("cats", "barking_dog"), ("green_destroyed", "cats"), ("fire_lane", "shop_encroach"),
    ("construction_dump", "manhole_smell"), ("barking_dog", "renovation_noise"), ("lamp_flicker", "lift_noise"),
]

AT_PLACE_B = {
    "bikes": ["{p}门口共享单车堆成一堆", "{p}外面的共享单车乱停乱放，人走不过去", "{p}附近单车停得满地都是"],
    "water_out": ["{p}停水了一整天", "{p}一直没有水，也没通知", "{p}那片突然停水了，什么时候来水"],
    "fallen_sign": ["{p}的广告牌快掉下来了", "{p}门口招牌松了，风一吹就晃", "{p}上面的牌子歪了，随时会砸下来"],
    "flood": ["{p}一下雨就积水", "{p}门口积水很深，过不去", "{p}那段路下雨全是水，鞋都湿透"],
    "stray_cats": ["{p}流浪猫太多", "{p}附近野猫成群，晚上乱叫", "{p}有好多流浪猫翻垃圾"],
}

ESTATES = ["阳光花园", "金桂小区", "幸福苑", "锦绣家园", "翠湖湾", "丽景苑", "和谐家园", "桃源新村", "紫荆府",
           "御景庭", "怡和花园", "凤凰城", "青松小区", "滨江花园", "书香苑", "银杏家园"]
ROADS = ["人民路", "解放路", "建设大道", "中山北路", "文化街", "青石巷", "长江路", "和平街", "友谊大道", "光明路",
         "朝阳路", "西湖巷"]
SHOPS = ["华联超市", "永辉超市", "好邻居便利店", "红星农贸市场", "东关菜市场", "老王烧烤店", "大润发超市",
         "惠民药店"]
FACILITIES = ["实验小学", "第二中学", "人民医院", "滨河公园", "中心广场", "育才小学", "城东公园", "妇幼医院"]
GATES = ["南门", "北门", "东门", "西门"]

# Problems at a named place: {p} is the place. Each line is one way of saying it.
AT_PLACE = {
    "light": ["{p}的路灯坏了", "{p}那边路灯不亮，晚上黑乎乎的", "晚上走到{p}附近，一排路灯全灭了",
              "{p}门口的路灯好几天都不亮了", "{p}路灯坏了好久没人修"],
    "rubbish": ["{p}的垃圾好几天没人清", "{p}旁边垃圾堆成山了，臭得很", "{p}那里垃圾桶都满出来了",
                "{p}附近的垃圾没人收，苍蝇到处飞"],
    "manhole": ["{p}有个井盖没了", "{p}门口井盖破了一个大洞", "{p}旁边的井盖松了，一踩就翘起来"],
    "road": ["{p}路面坑坑洼洼的", "{p}那段路全是坑，下雨一地积水", "{p}的路面塌陷了一块"],
    "vendor": ["{p}门口摆摊的把路都占了", "{p}外面的小摊占道经营", "{p}附近流动摊贩太多，人都过不去"],
    "parking": ["{p}门口乱停车", "{p}外面的车停得乱七八糟，堵住了路", "{p}附近车辆乱停，消防通道都堵了"],
    "noise": ["{p}晚上施工太吵", "{p}那边半夜还在施工，吵得睡不着", "{p}工地夜里打桩，噪音太大"],
    "dog": ["{p}有条大狗不拴绳", "{p}那边有人遛狗不牵绳，吓到小孩", "{p}附近的狗到处乱跑没人管"],
    "smoke": ["{p}的烧烤油烟太大", "{p}旁边烧烤烟味熏人", "{p}那边晚上烧烤摊油烟呛人"],
    "drain": ["{p}下水道堵了，污水漫到路上", "{p}门口下水道冒脏水", "{p}那里的排水沟堵了，臭水横流"],
    "tree": ["{p}的大树歪了，怕倒下来", "{p}有棵树快倒了，很危险", "{p}路边的树枝断了挂在半空"],
    "flypost": ["{p}的墙上贴满了小广告", "{p}附近电线杆上全是小广告", "{p}门口到处是乱贴的广告"],
}

# Typos and colloquial variants of some place sentences (the place itself spelled right).
AT_PLACE_TYPO = {
    "light": "{p}的路等不亮了",
    "rubbish": "{p}垃极没人拉",
    "manhole": "{p}井该没了",
    "noise": "{p}大半夜叮叮当当施工",
    "drain": "{p}下水到堵了",
}


def split_of(group: str) -> str:
    return "test" if zlib.crc32(group.encode()) % 3 == 0 else "train"


def build() -> list[dict]:
    rng = random.Random(15)
    rows: list[dict] = []

    def add(kind: str, duplicate: bool, a: str, b: str) -> None:
        pair_id = f"r3-{kind}-{len(rows) + 1:04d}"
        if rng.random() < 0.5:
            a, b = b, a
        rows.append({"id": pair_id, "split": split_of(group), "group": group, "kind": kind,
                     "duplicate": duplicate, "same_area": True, "a": a, "b": b})

    # Short against long, same problem; typo'd summaries too; long against long.
    group = ""
    for key, (shorts, longs) in LONG.items():
        group = key
        for short in shorts:
            for long in longs:
                add("long", True, short, long)
        if key in TYPOS:
            add("long", True, TYPOS[key], rng.choice(longs))
        add("long", True, longs[0], longs[1])
    # Short against long, same object or place kind, other problem.
    for k1, k2 in NEAR:
        group = "+".join(sorted((k1, k2)))
        for x, y in ((k1, k2), (k2, k1)):
            add("long", False, rng.choice(LONG[x][0]), rng.choice(LONG[y][1]))
        add("long", False, LONG[k1][1][0], LONG[k2][1][1])
    # Named places. Each problem is placed at names of one kind: estates and gates, roads, shops, facilities.
    pools = [ESTATES, ROADS, SHOPS, FACILITIES]
    for problem, sentences in AT_PLACE.items():
        group = problem
        for _ in range(4):
            pool = rng.choice(pools)
            p, q = rng.sample(pool, 2)
            s1, s2 = rng.sample(sentences, 2)
            add("place", True, s1.format(p=p), s2.format(p=p))                 # same place, other words
            add("place", False, s1.format(p=p), s2.format(p=q))                # other place, other words
            add("place", False, s1.format(p=p), s1.format(p=q))                # other place, same words
            other = rng.choice([k for k in AT_PLACE if k != problem])
            add("place", False, s1.format(p=p), rng.choice(AT_PLACE[other]).format(p=p))  # same place, other problem
        if problem in AT_PLACE_TYPO:
            p = rng.choice(ESTATES + ROADS)
            add("place", True, AT_PLACE_TYPO[problem].format(p=p), rng.choice(sentences).format(p=p))
    # Estate with a gate: same estate and gate in other words; two estates; one estate, two gates.
    for problem in ("light", "rubbish", "manhole", "parking", "vendor", "drain"):
        group, sentences = problem, AT_PLACE[problem]
        for _ in range(3):
            e1, e2 = rng.sample(ESTATES, 2)
            g1, g2 = rng.sample(GATES, 2)
            s1, s2 = rng.sample(sentences, 2)
            add("place", True, s1.format(p=e1 + g1), s2.format(p=e1 + g1))
            add("place", True, s1.format(p=e1 + g1), s2.format(p=g1))          # the estate is the area already
            add("place", False, s1.format(p=e1 + g1), s2.format(p=e2))
            add("place", False, s1.format(p=e1 + g1), s1.format(p=e2 + g1))
    # Round 3b: appended, so the ids above stay as they were.
    for key, (shorts, longs) in LONG_B.items():
        group = key
        for short in shorts:
            for long in longs:
                add("long", True, short, long)
        add("long", True, longs[0], longs[1])
    for k1, k2 in NEAR_B:
        group = "+".join(sorted((k1, k2)))
        for x, y in ((k1, k2), (k2, k1)):
            add("long", False, rng.choice(LONG_B[x][0]), rng.choice(LONG_B[y][1]))
    for problem, sentences in AT_PLACE_B.items():
        group = problem
        for _ in range(4):
            pool = rng.choice(pools)
            p, q = rng.sample(pool, 2)
            s1, s2 = rng.sample(sentences, 2)
            add("place", True, s1.format(p=p), s2.format(p=p))
            add("place", False, s1.format(p=p), s2.format(p=q))
            other = rng.choice([k for k in AT_PLACE_B if k != problem])
            add("place", False, s1.format(p=p), rng.choice(AT_PLACE_B[other]).format(p=p))
    return rows


def main() -> None:
    write_pairs(build(), OUT)


if __name__ == "__main__":
    main()
