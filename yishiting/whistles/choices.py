from django.db import models
from django.utils.translation import gettext_lazy

from yishiting.areas.choices import OrganizationKind


class WhistleStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("应哨中")
    ANSWERED = "answered", gettext_lazy("已全部应哨")
    CLOSED = "closed", gettext_lazy("已办结")
    CANCELLED = "cancelled", gettext_lazy("已撤回")


class ResponseStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待报到")
    ARRIVED = "arrived", gettext_lazy("已报到")
    RESPONDED = "responded", gettext_lazy("已应哨")
    MISSED = "missed", gettext_lazy("未应哨")
    CANCELLED = "cancelled", gettext_lazy("已撤回")


class ClosedHow(models.TextChoices):
    HANDLED = "handled", gettext_lazy("事项办结后自动办结")
    STAFF = "staff", gettext_lazy("工作人员办结")


# The units a whistle calls (街乡吹哨、部门报到: departments, the street office, the estate's property company,
# the community police, units in the area); others (party branches, committees) are not "报到" units.
UNIT_KINDS = [OrganizationKind.GOVERNMENT_AGENCY, OrganizationKind.STREET_OFFICE, OrganizationKind.PROPERTY_COMPANY,
              OrganizationKind.COMMUNITY_POLICE, OrganizationKind.RESIDENT_UNIT,
              OrganizationKind.DUAL_REGISTRATION_UNIT, OrganizationKind.SOCIAL_ORGANIZATION]
