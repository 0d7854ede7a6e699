"""The shipped defaults: the category catalogue and an example 协商目录 (both editable in the admin)."""

DEFAULT_CATEGORIES = [
    # name, code, list kind, screening days
    ("安全隐患", "safety", "problem", 1),
    ("环境整治", "environment", "problem", 2),
    ("文体娱乐", "culture", "need", 2),
    ("生活关爱", "care", "need", 2),
    ("普惠公益", "welfare", "need", 2),
    ("物业管理", "property", "problem", 2),
    ("设施维护", "facilities", "problem", 2),
    ("矛盾纠纷", "dispute", "problem", 2),
    ("政策咨询", "policy", "need", 2),
]

# No official list exists; this is a clearly labelled example drawn from common local practice.
EXAMPLE_RULES = [
    ("deliberate", "涉及居民切身利益的公共事务、公益事业"),
    ("deliberate", "小区公共设施建设、改造和维护（如加装电梯、停车、充电设施）"),
    ("deliberate", "居民普遍关心、反映强烈的环境卫生与治安问题"),
    ("deliberate", "社区公共服务项目与惠民资金的安排"),
    ("deliberate", "居民公约、小区管理规约的制定和修改"),
    ("exclude", "违反法律法规和政策规定的事项"),
    ("exclude", "已由法律法规明确规定、应依法办理的事项"),
    ("exclude", "涉及国家秘密、商业秘密和个人隐私的事项"),
    ("exclude", "纯属个人私事、不涉及公共利益的事项（可转直接办理）"),
    ("exclude", "已进入诉讼、仲裁、信访等法定程序的事项"),
]


def seed_catalogue(category_model, rule_model) -> None:
    if not category_model.objects.exists():
        category_model.objects.bulk_create([
            category_model(name=n, code=c, list_kind=k, screening_days=d, sort_order=i)
            for i, (n, c, k, d) in enumerate(DEFAULT_CATEGORIES)])
    if not rule_model.objects.exists():
        rule_model.objects.bulk_create([rule_model(kind=k, text=t, is_example=True, sort_order=i)
                                        for i, (k, t) in enumerate(EXAMPLE_RULES)])
