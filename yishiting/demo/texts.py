"""What the demo's residents, staff and officials write: Chinese texts fitting the seeds and the domain.

`{estate}`, `{building}` and `{community}` are filled in with the place the text is about.
"""

from __future__ import annotations

# (category, urgency, text): demands from across the district, entered from the 12345 hotline and the grids.
HOTLINE = [
    ("设施维护", "urgent", "{estate}{building}电梯这个月停了三次，上周有老人被困二十分钟，请尽快检修。"),
    ("设施维护", "normal", "{estate}南门到{building}之间的路灯有四盏不亮，晚上回家路很黑。"),
    ("环境整治", "normal", "{estate}垃圾分类投放点太少，{building}门口的桶天天满溢，夏天味道很大。"),
    ("物业管理", "normal", "{estate}地面停车位不够，消防通道上天天停满车，救护车进不来。"),
    ("安全隐患", "urgent", "{estate}{building}楼道里堆满了纸箱和旧家具，还有电动车在楼道充电，存在火灾隐患。"),
    ("矛盾纠纷", "normal", "{estate}广场舞音响每天晚上放到十点以后，{building}的住户休息不好。"),
    ("设施维护", "normal", "{estate}{building}屋顶漏水，顶楼两户墙面发霉，物业说要等维修资金。"),
    ("生活关爱", "normal", "{building}有位独居老人腿脚不便，希望社区安排志愿者定期上门看看。"),
    ("环境整治", "normal", "{estate}绿化带里有人种菜、堆放杂物，蚊虫很多，请清理。"),
    ("政策咨询", "normal", "想了解老旧小区改造加装电梯的补贴政策，{estate}能不能申请？"),
    ("物业管理", "normal", "{estate}的电动车充电桩只有一处，排队充电要等很久，希望增加。"),
    ("文体娱乐", "normal", "{community}能不能在周末开放活动室，给孩子们办个读书角？"),
]

# A complaint the catalogue says is not for deliberation (纯属个人私事), and why staff say so.
PRIVATE = ("物业管理", "normal", "楼上邻居家装修把我家卫生间吊顶弄坏了，他们不肯赔，请社区出面让他们赔偿。")
PRIVATE_REASON = "属于两户之间的财产赔偿，已告知可通过人民调解或诉讼解决，并提供了社区人民调解室电话。"

# The resident persona's own demands, one for each stage they can follow.
RESIDENT_OWN = {
    "new": ("设施维护", "normal", "{building}{unit}的楼道声控灯坏了两盏，晚上下楼看不清台阶。"),
    "elevator": ("设施维护", "normal", "{building}是七层老楼，没有电梯，楼里老人多，希望能加装电梯。"),
    "direct": ("生活关爱", "normal", "家里老人行动不便，想申请社区助餐服务，每天中午送一餐。"),
    "light": ("设施维护", "normal", "{estate}中心花园和南门的路灯坏了一大半，晚上散步很不安全。"),
    "clutter": ("安全隐患", "urgent", "{building}各层楼道堆满杂物，还有人把电动车推进楼道充电，很危险。"),
}

# The topics of the persona community, each stopped at its own point of the loop.
TOPICS = {
    "sorting": {
        "title": "{estate}垃圾分类投放点调整",
        "demand": ("环境整治", "normal", "{estate}垃圾分类投放点离{building}太远，桶也不够，经常满溢。"),
        "opinions": [("support", "同意在1号楼和3号楼之间增设一个投放点，离家近。"),
                     ("support", "希望定时定点投放时段延长到晚上八点半，上班族来得及。"),
                     ("oppose", "投放点别放在我家窗户下面，夏天味道大。"),
                     ("other", "建议配一名督导员，光加桶不管用。"),
                     ("support", "赞成，顺便把厨余桶的盖子修一修。")],
    },
    "parking": {
        "title": "{estate}停车位规划和消防通道整治",
        "demand": ("物业管理", "normal", "{estate}消防通道天天被私家车占着，停车位太少，晚上回来根本没地方停。"),
        "opinions": [("support", "支持划线管理，消防通道必须清出来。"),
                     ("other", "可以把北侧绿地边改成生态停车位。"),
                     ("oppose", "不同意收费，老小区本来就没规划车位。")],
        "analysis": "小区现有车位 126 个，登记车辆 203 辆；消防通道占用集中在晚 7 点后。北侧可新增生态车位约 30 个。",
        "plan": "划定消防通道禁停线并安装地桩；北侧增设生态停车位；错时共享附近单位停车场。",
    },
    "noise": {
        "title": "{estate}广场舞噪音协调",
        "demand": ("矛盾纠纷", "normal", "{estate}中心广场的广场舞音响太响，每天放到晚上十点，孩子没法写作业。"),
        "opinions": [("other", "跳舞是好事，音量小一点、九点前结束就行。"),
                     ("support", "支持定个公约，时间和音量都写清楚。")],
        "analysis": "晚 7:30—9:30 实测噪声 68 分贝，超过居住区夜间标准；舞蹈队 3 支，约 60 人。",
        "plan": "制定《广场文明公约》：活动时间 19:00—21:00，音量不超过 55 分贝，配发定向音箱。",
    },
    "elevator": {
        "title": "{estate}{building}加装电梯",
        "analysis": "该楼 7 层 28 户，60 岁以上住户 19 人；管线迁移和地基条件经勘察可行，政府补贴 20 万元。",
        "plan": "由全体业主表决后委托有资质的施工单位加装一部电梯，费用按楼层分摊。",
        "vote": "是否同意{building}加装电梯并按楼层分摊费用？",
        "meeting_vote": "是否同意将加装电梯方案提交全体业主表决？",
    },
    "light": {
        "title": "{estate}路灯修复和照明改造",
        "analysis": "小区共有路灯 48 盏，损坏 27 盏，线路老化；更换为太阳能 LED 路灯约需 6.5 万元。",
        "plan": "由物业公司更换全部损坏路灯为太阳能 LED 路灯，30 日内完成，费用从公共收益列支。",
        "resolution": "同意由物业公司更换 27 盏损坏路灯为太阳能 LED 路灯，30 日内完成，费用从小区公共收益列支，"
                      "完工后由居民代表验收。",
        "objection": "公共收益的账目能不能一起公示？我们想知道还剩多少钱。",
        "answer": "公共收益收支明细已张贴在小区公告栏，并在社区公众号同步公布，欢迎查阅。",
    },
    "clutter": {
        "title": "{estate}楼道堆物和电动车充电整治",
        "analysis": "全小区 12 栋楼中 9 栋楼道有堆物；电动车入户充电 40 余辆，存在重大火灾隐患。",
        "plan": "集中清理楼道堆物；增设 2 处电动车集中充电棚；建立楼栋长巡查制度。",
        "resolution": "同意 3 月内集中清理楼道堆物，由街道综合行政执法队牵头，物业配合；在小区东、西两侧各建一处"
                      "电动车集中充电棚。",
        "reports": ["已入户宣传 120 户，发放告知书，张贴通告。", "已清理 1—4 号楼楼道堆物约 6 车。",
                    "东侧充电棚基础已浇筑，正在安装顶棚。"],
    },
    "lift_repair": {
        "title": "{estate}{building}电梯更换主机",
        "demand": ("设施维护", "urgent", "{estate}{building}电梯隔三差五停运，维修工说主机老化要换。"),
        "analysis": "电梯已使用 18 年，主机和控制柜老化；维保单位检测建议更换，需动用维修资金约 12 万元。",
        "plan": "经业主同意后更换主机和控制柜，工期 15 天，停梯期间安排志愿者帮助老人上下楼。",
        "resolution": "同意更换电梯主机和控制柜，工期 15 天，停梯期间物业安排人员协助老人上下楼。",
        "reports": ["主机和控制柜已到货，张贴停梯通知。", "新主机安装完成，正在调试。"],
    },
    "draft": {
        "title": "{estate}健身器材更新",
        "demand": ("文体娱乐", "normal", "{estate}健身器材锈坏了好几件，孩子玩的时候差点被划伤。"),
        "analysis": "现有健身器材 14 件，锈蚀损坏 6 件，已超出使用年限。",
        "plan": "拆除损坏器材，申请全民健身器材配送，更新 8 件。",
        "resolution": "同意拆除 6 件损坏器材，向区文体局申请配送新器材 8 件，安装后由居民代表验收。",
    },
    "archived": [
        {"title": "{estate}{building}楼道照明改造",
         "demand": ("设施维护", "normal", "{estate}{building}的楼道灯坏了一个多月，晚上上下楼全靠手机照明。"),
         "analysis": "全楼 6 个单元 84 盏楼道灯，损坏 31 盏，线路老化。",
         "plan": "更换全部楼道灯为声控 LED 灯，由物业实施。",
         "resolution": "同意更换全部楼道灯为声控 LED 灯，由物业公司 20 日内完成。",
         "reports": ["已采购声控 LED 灯 90 盏。", "全部更换完成并试亮。"]},
        {"title": "{estate}非机动车棚整修",
         "demand": ("物业管理", "normal", "{estate}非机动车棚顶棚破了，下雨天车都淋湿了，里面还有很多僵尸车。"),
         "analysis": "车棚 3 处，顶棚破损 2 处，僵尸车约 70 辆。",
         "plan": "公告认领后清理僵尸车，修补顶棚，增设充电插座。",
         "resolution": "同意公告 15 日后清理无人认领的僵尸车，修补车棚顶棚，由物业公司实施。",
         "reports": ["公告期满，清理僵尸车 68 辆。", "顶棚修补完成。"]},
    ],
}

RATINGS = [("satisfied", "路灯亮了，晚上出门放心多了。"), ("satisfied", ""), ("basic", "总体不错，希望以后及时维护。"),
           ("satisfied", "办得快，点赞。"), ("dissatisfied", "我家楼下那盏还是不太亮，希望再看看。")]

MEETING_STEPS = [("opening", "", "介绍议题来源和前期征求意见情况"),
                 ("speech", "resident", "希望尽快实施，楼里老人多，等不起。"),
                 ("speech", "property", "物业可以配合实施，需要明确费用来源和验收标准。"),
                 ("speech", "legal_adviser", "程序合法，决议形成后须按规定公示。"),
                 ("summary", "", "与会各方意见基本一致，形成决议。")]
