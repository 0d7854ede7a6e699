"""Ship two process templates: Kenli's "345" (1+8+N, 逢十议事) and Nanchang's 幸福圆桌会 (15–25 people, monthly).
The handling issue completes the template and adds the other localities."""

from django.db import migrations

CHAIRS = {"district": ["district_official"], "street": ["street_official"],
          "community": ["community_secretary"], "estate": ["community_secretary"],
          "building": ["community_secretary"], "unit": ["community_secretary"]}
EIGHT = ["resident", "grid_worker", "deputy", "property", "owners_committee", "social_org", "legal_adviser",
         "dual_registration"]

TEMPLATES = [
    {"code": "kenli-345", "name": "“345”社区议事协商", "locality": "山东省东营市垦利区",
     "description": "“1+8+N”：社区党委（小区党支部）书记召集主持；居民群众、网格员、“两代表一委员”、物业公司、业委会、"
                    "社会组织、法律顾问、“双报到”单位八方代表参加；N 为利益相关方。“逢十议事”。"
                    "八步：集、定、议、公、办、督、评、备。",
     "meeting_forms": ["round_table", "joint", "bench", "talk", "hearing", "online"],
     "chairs": CHAIRS, "required_parties": EIGHT, "parties_block": False, "min_size": None, "max_size": None,
     "quorum_numerator": 2, "quorum_denominator": 3, "notice_days": 3, "cadence": "tens",
     "steps": ["集", "定", "议", "公", "办", "督", "评", "备"]},
    {"code": "nanchang-round-table", "name": "幸福圆桌会", "locality": "江西省南昌市西湖区",
     "description": "社区（村）党组织原则上每月围绕一个议题召开一次，一般 15 至 25 人参加：区和街道领导干部、"
                    "“两代表一委员”、驻地单位代表、居委会工作者、物业、居民代表（含业委会、楼栋长等）、利益相关方及专业人士。"
                    "七步：确定议题、征求意见、分析研判、协商议事、项目公示、项目实施、监督执行。",
     "meeting_forms": ["round_table"],
     "chairs": CHAIRS, "required_parties": ["resident", "deputy", "property", "stakeholder"],
     "parties_block": False, "min_size": 15, "max_size": 25,
     "quorum_numerator": 2, "quorum_denominator": 3, "notice_days": 3, "cadence": "monthly",
     "steps": ["确定议题", "征求意见", "分析研判", "协商议事", "项目公示", "项目实施", "监督执行"]},
]


def forward(apps, schema_editor):
    template = apps.get_model("deliberation", "ProcessTemplate")
    for spec in TEMPLATES:
        template.objects.update_or_create(code=spec["code"], defaults=spec)


def backward(apps, schema_editor):
    apps.get_model("deliberation", "ProcessTemplate").objects.filter(
        code__in=[t["code"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0002_loop")]
    operations = [migrations.RunPython(forward, backward)]
