from django.db import models
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    """Every role a person can hold, always at an area (and for some, in an organization)."""

    RESIDENT = "resident", gettext_lazy("居民")
    OWNER = "owner", gettext_lazy("业主")
    GRID_WORKER = "grid_worker", gettext_lazy("网格员")
    GRID_LEADER = "grid_leader", gettext_lazy("网格长")
    # The grid chain below the grid worker (Shuangyashan: 总网格长—网格员—片区长—区域长—楼长—单元长; the 总网格长 is a
    # grid_leader with that title, the 楼长 a building_head).
    SECTOR_HEAD = "sector_head", gettext_lazy("片区长")
    ZONE_HEAD = "zone_head", gettext_lazy("区域长")
    BUILDING_HEAD = "building_head", gettext_lazy("楼栋长")
    UNIT_HEAD = "unit_head", gettext_lazy("单元长")
    PARTY_MEMBER = "party_member", gettext_lazy("党员")
    INSERVICE_PARTY_MEMBER = "inservice_party_member", gettext_lazy("在职党员")
    CENTRAL_HOUSEHOLD = "central_household", gettext_lazy("党员中心户")
    # The party chain below the community's party committee (Kenli: 社区党委—小区党支部—楼栋党小组—党员中心户;
    # Shuangyashan: …—小区党支部—网格党小组—红色楼栋长—党员中心户), each held at the area it leads.
    ESTATE_BRANCH_SECRETARY = "estate_branch_secretary", gettext_lazy("小区党支部书记")
    GRID_PARTY_GROUP_LEADER = "grid_party_group_leader", gettext_lazy("网格党小组长")
    BUILDING_PARTY_GROUP_LEADER = "building_party_group_leader", gettext_lazy("楼栋党小组长")
    RED_BUILDING_HEAD = "red_building_head", gettext_lazy("红色楼栋长")
    DEPUTY = "deputy", gettext_lazy("两代表一委员")
    ORG_REPRESENTATIVE = "org_representative", gettext_lazy("单位代表")
    COMMUNITY_STAFF = "community_staff", gettext_lazy("社区工作人员")
    COMMUNITY_SECRETARY = "community_secretary", gettext_lazy("社区书记")
    STREET_OFFICIAL = "street_official", gettext_lazy("街道干部")
    DISTRICT_OFFICIAL = "district_official", gettext_lazy("区级干部")
    HANDLER = "handler", gettext_lazy("承办单位经办人")
    EXPERT = "expert", gettext_lazy("专家")
    LAWYER = "lawyer", gettext_lazy("法律顾问")
    # Participation (issue 19): a registered volunteer of the community, and the staff of a 幸福食堂.
    VOLUNTEER = "volunteer", gettext_lazy("志愿者")
    CANTEEN_STAFF = "canteen_staff", gettext_lazy("食堂工作人员")
    ADMIN = "admin", gettext_lazy("系统管理员")
    # A person who registered themselves and has no verified household yet: may report demands, nothing more.
    REGISTRANT = "registrant", gettext_lazy("注册居民")


class OrganizationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", gettext_lazy("党委")
    PARTY_BRANCH = "party_branch", gettext_lazy("党支部")
    PARTY_GROUP = "party_group", gettext_lazy("党小组")
    RESIDENTS_COMMITTEE = "residents_committee", gettext_lazy("居民委员会")
    VILLAGE_COMMITTEE = "village_committee", gettext_lazy("村民委员会")
    OWNERS_COMMITTEE = "owners_committee", gettext_lazy("业主委员会")
    PROPERTY_COMPANY = "property_company", gettext_lazy("物业服务企业")
    RESIDENT_UNIT = "resident_unit", gettext_lazy("驻区单位")
    DUAL_REGISTRATION_UNIT = "dual_registration_unit", gettext_lazy("“双报到”单位")
    SOCIAL_ORGANIZATION = "social_organization", gettext_lazy("社会组织")
    COMMUNITY_POLICE = "community_police", gettext_lazy("社区警务室")
    LAW_FIRM = "law_firm", gettext_lazy("律师事务所")
    GOVERNMENT_AGENCY = "government_agency", gettext_lazy("职能部门")
    STREET_OFFICE = "street_office", gettext_lazy("街道办事处")


class ExpertLevel(models.IntegerChoices):
    DISTRICT = 1, gettext_lazy("区级")
    STREET = 2, gettext_lazy("街道级")
    COMMUNITY = 3, gettext_lazy("社区级")


class ClaimRelation(models.TextChoices):
    """How a person who claims a household is related to it."""

    OWNER = "owner", gettext_lazy("业主")
    TENANT = "tenant", gettext_lazy("租户")
    FAMILY = "family", gettext_lazy("家庭成员")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待审核")
    APPROVED = "approved", gettext_lazy("已认证")
    REJECTED = "rejected", gettext_lazy("未通过")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤回")


# Office staff: who run a level's work (and are told when work under it slips).
OFFICE_ROLES = [Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL]
# Roles whose holders act in office: public records (timelines, notices, dossiers) name them in full with the
# role, as Chinese public notices do; residents stay masked (docs/masking.md).
IN_OFFICE_ROLES = frozenset(OFFICE_ROLES + [Role.GRID_LEADER, Role.GRID_WORKER, Role.HANDLER, Role.ADMIN])
