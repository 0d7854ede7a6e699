from django.db import models
from django.utils.translation import gettext_lazy


class RecordKind(models.TextChoices):
    """What a field record is: a household visit, a patrol, a joint patrol of an estate, a 三方对话会."""

    VISIT = "visit", gettext_lazy("走访")
    PATROL = "patrol", gettext_lazy("巡查")
    JOINT_PATROL = "joint_patrol", gettext_lazy("联合巡查")
    TRIPARTITE = "tripartite", gettext_lazy("三方对话会")


# Which demand channel a finding of each kind enters by (demands.choices.Channel values).
FINDING_CHANNEL = {RecordKind.VISIT: "home_visit", RecordKind.PATROL: "patrol",
                   RecordKind.JOINT_PATROL: "patrol", RecordKind.TRIPARTITE: "patrol"}
# Kinds that an estate holds with the property company and owners' representatives (community staff record them).
ESTATE_KINDS = (RecordKind.JOINT_PATROL, RecordKind.TRIPARTITE)
