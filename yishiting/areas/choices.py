from django.db import models


class Role(models.TextChoices):
    """Every role a person can hold, always at an area (and for some, in an organization)."""

    RESIDENT = "resident", "居民"
    OWNER = "owner", "业主"
    GRID_WORKER = "grid_worker", "网格员"
    GRID_LEADER = "grid_leader", "网格长"
    BUILDING_HEAD = "building_head", "楼栋长"
    UNIT_HEAD = "unit_head", "单元长"
    PARTY_MEMBER = "party_member", "党员"
    INSERVICE_PARTY_MEMBER = "inservice_party_member", "在职党员"
    CENTRAL_HOUSEHOLD = "central_household", "党员中心户"
    DEPUTY = "deputy", "两代表一委员"
    ORG_REPRESENTATIVE = "org_representative", "单位代表"
    COMMUNITY_STAFF = "community_staff", "社区工作人员"
    COMMUNITY_SECRETARY = "community_secretary", "社区书记"
    STREET_OFFICIAL = "street_official", "街道干部"
    DISTRICT_OFFICIAL = "district_official", "区级干部"
    HANDLER = "handler", "承办单位经办人"
    EXPERT = "expert", "专家"
    LAWYER = "lawyer", "法律顾问"
    ADMIN = "admin", "系统管理员"
    # A person who registered themselves and has no verified household yet: may report demands, nothing more.
    REGISTRANT = "registrant", "注册居民"


class OrganizationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", "党委"
    PARTY_BRANCH = "party_branch", "党支部"
    PARTY_GROUP = "party_group", "党小组"
    RESIDENTS_COMMITTEE = "residents_committee", "居民委员会"
    VILLAGE_COMMITTEE = "village_committee", "村民委员会"
    OWNERS_COMMITTEE = "owners_committee", "业主委员会"
    PROPERTY_COMPANY = "property_company", "物业服务企业"
    RESIDENT_UNIT = "resident_unit", "驻区单位"
    DUAL_REGISTRATION_UNIT = "dual_registration_unit", "“双报到”单位"
    SOCIAL_ORGANIZATION = "social_organization", "社会组织"
    COMMUNITY_POLICE = "community_police", "社区警务室"
    LAW_FIRM = "law_firm", "律师事务所"
    GOVERNMENT_AGENCY = "government_agency", "职能部门"
    STREET_OFFICE = "street_office", "街道办事处"


class ExpertLevel(models.IntegerChoices):
    DISTRICT = 1, "区级"
    STREET = 2, "街道级"
    COMMUNITY = 3, "社区级"


class ClaimRelation(models.TextChoices):
    """How a person who claims a household is related to it."""

    OWNER = "owner", "业主"
    TENANT = "tenant", "租户"
    FAMILY = "family", "家庭成员"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已认证"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"
