"""Complete the process templates and ship one for every seed locality.

Each template maps its locality's step names onto the eight canonical stages 集定议公办督评备 (stage_names), and
carries the publicity, major-matter, warning and evaluation rules. Sources: the seed articles (Nanchang 幸福圆桌会,
Kenli "345", Shuangyashan 五方共议 一提二议三办四评, Altay 恰秀民意直通车, Cenxi 邻里议事会, Yangzhou
提议-合议-群议-决议-评议). Where an article is silent the platform default is used and the description says so.
"""

from django.db import migrations

CHAIRS = {"district": ["district_official"], "street": ["street_official"],
          "community": ["community_secretary"], "estate": ["community_secretary"],
          "building": ["community_secretary"], "unit": ["community_secretary"]}
# Raising the maintenance fund, rebuilding or altering, changing the use of common parts (Art. 278 (六)–(八)) and
# anything under the safety theme are major matters everywhere: they pass a legality review before handling.
MAJOR = {"owners_matters": ["fund_raise", "rebuild", "common_use"], "categories": ["安全隐患"],
         "keywords": ["加装电梯", "改建", "重建", "维修资金"]}
FIVE_PARTIES = [{"code": "residents_committee", "name": "居委会"}, {"code": "owners_committee", "name": "业委会"},
                {"code": "property", "name": "物业企业"}, {"code": "resident_unit", "name": "驻区单位"},
                {"code": "police", "name": "社区警务"}]


def stages(**names):
    keys = ["collect", "decide", "deliberate", "publicise", "handle", "supervise", "evaluate", "archive"]
    return {key: names.get(key, []) for key in keys}


UPDATES = {
    "kenli-345": {
        "stage_names": stages(collect=["集"], decide=["定"], deliberate=["议"], publicise=["公"], handle=["办"],
                              supervise=["督"], evaluate=["评"], archive=["备"]),
        "publicity_days": 5, "major_rule": MAJOR, "legal_review_level": "street",
        "evaluation_weights": {"residents": 70, "parties": 0, "organization": 30},
    },
    "nanchang-round-table": {
        "stage_names": stages(collect=["确定议题"], decide=["确定议题"], deliberate=["征求意见", "分析研判", "协商议事"],
                              publicise=["项目公示"], handle=["项目实施"], supervise=["监督执行"]),
        "publicity_days": 5, "major_rule": MAJOR, "legal_review_level": "district",
        "evaluation_weights": {"residents": 80, "parties": 0, "organization": 20},
    },
}

NEW = [
    {"code": "shuangyashan-5fang", "name": "“五方共议”一提二议三办四评", "locality": "黑龙江省双鸭山市",
     "description": "社区党组织领导下的居委会、业委会、物业企业、驻区单位、社区警务“五方”共议。"
                    "一提（提议：征求意见卡、入户访谈、网络征询收集，社区“两委”梳理筛选）、二议（商议：圆桌会议、联席会议、"
                    "专题会议）、三办（办理：明确责任主体、时限、标准，一事一档、销号管理，全程跟踪督办）、"
                    "四评（评议：群众评价、五方互评、组织考评）。公示天数文中未写，取平台默认 5 个工作日。",
     "meeting_forms": ["round_table", "joint"], "chairs": CHAIRS,
     "required_parties": ["owners_committee", "property", "dual_registration"], "parties_block": False,
     "quorum_numerator": 2, "quorum_denominator": 3, "notice_days": 3, "cadence": "none",
     "steps": ["提议", "商议", "办理", "评议"],
     "stage_names": stages(collect=["提议"], decide=["提议"], deliberate=["商议"], handle=["办理"],
                           supervise=["办理"], evaluate=["评议"], archive=["办理"]),
     "publicity_days": 5, "major_rule": MAJOR, "legal_review_level": "street",
     "evaluation_weights": {"residents": 50, "parties": 30, "organization": 20}, "mutual_parties": FIVE_PARTIES},
    {"code": "altay-qiaxiu", "name": "恰秀民意直通车", "locality": "新疆维吾尔自治区阿勒泰市恰秀路街道",
     "description": "网格议事点、小区协商站；“诉求收集—议题筛选—组织协商—结果公示—落实反馈”闭环，问题、需求、责任"
                    "“三张清单”。公示天数文中未写，取平台默认 5 个工作日。",
     "meeting_forms": ["talk", "round_table", "bench"], "chairs": CHAIRS,
     "required_parties": ["resident", "grid_worker"], "parties_block": False,
     "quorum_numerator": 2, "quorum_denominator": 3, "notice_days": 3, "cadence": "none",
     "steps": ["诉求收集", "议题筛选", "组织协商", "结果公示", "落实反馈"],
     "stage_names": stages(collect=["诉求收集"], decide=["议题筛选"], deliberate=["组织协商"],
                           publicise=["结果公示"], handle=["落实反馈"], supervise=["落实反馈"],
                           evaluate=["落实反馈"]),
     "publicity_days": 5, "major_rule": MAJOR, "legal_review_level": "street",
     "evaluation_weights": {"residents": 80, "parties": 0, "organization": 20}},
    {"code": "cenxi-linli", "name": "邻里议事会", "locality": "广西壮族自治区岑溪市",
     "description": "中心户提议、支部审议、支部及业委会联议，决议公开、结果公开，业主委员会和群团组织定期向党支部报告；"
                    "“巷子事巷子议、单元事单元议、楼栋事楼栋议、小区事小区议”。公示天数文中未写，取平台默认 5 个工作日。",
     "meeting_forms": ["joint", "bench", "round_table"], "chairs": CHAIRS,
     "required_parties": ["owners_committee", "resident"], "parties_block": True,
     "quorum_numerator": 2, "quorum_denominator": 3, "notice_days": 2, "cadence": "none",
     "steps": ["中心户提议", "支部审议", "支部及业委会联议", "决议公开", "结果公开"],
     "stage_names": stages(collect=["中心户提议"], decide=["支部审议"], deliberate=["支部及业委会联议"],
                           publicise=["决议公开"], evaluate=["结果公开"]),
     "publicity_days": 5, "major_rule": MAJOR, "legal_review_level": "street",
     "evaluation_weights": {"residents": 70, "parties": 0, "organization": 30}},
    {"code": "yangzhou-5yi", "name": "提议-合议-群议-决议-评议", "locality": "江苏省扬州市广陵区曲江街道",
     "description": "社区治理委员会（党组织、居委会、业委会、驻社区单位、社会组织、居民代表）；议事平台：开放空间、"
                    "圆桌会议、周末夜话；议事流程：民情恳谈、事务协调、工作听证、民主评议。文康苑小区加装电梯开了 40 余场"
                    "协调会，一次签约 19 部。公示天数文中未写，取平台默认 5 个工作日。",
     "meeting_forms": ["round_table", "talk", "joint", "hearing"], "chairs": CHAIRS,
     "required_parties": ["resident", "owners_committee", "social_org"], "parties_block": False,
     "quorum_numerator": 2, "quorum_denominator": 3, "notice_days": 3, "cadence": "none",
     "steps": ["提议", "合议", "群议", "决议", "评议"],
     "stage_names": stages(collect=["提议"], decide=["合议"], deliberate=["群议", "决议"], evaluate=["评议"]),
     "publicity_days": 5, "major_rule": MAJOR, "legal_review_level": "street",
     "evaluation_weights": {"residents": 60, "parties": 20, "organization": 20},
     "mutual_parties": [{"code": "residents_committee", "name": "居委会"}, {"code": "owners_committee", "name": "业委会"},
                        {"code": "resident_unit", "name": "驻社区单位"}, {"code": "social_org", "name": "社会组织"},
                        {"code": "resident_rep", "name": "居民代表"}]},
]


def forward(apps, schema_editor):
    template = apps.get_model("deliberation", "ProcessTemplate")
    for code, changes in UPDATES.items():
        template.objects.filter(code=code).update(**changes)
    for spec in NEW:
        template.objects.update_or_create(code=spec["code"], defaults=spec)


def backward(apps, schema_editor):
    apps.get_model("deliberation", "ProcessTemplate").objects.filter(code__in=[t["code"] for t in NEW]).delete()


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0004_handling_loop")]
    operations = [migrations.RunPython(forward, backward)]
