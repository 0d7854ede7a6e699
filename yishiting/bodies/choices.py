from django.db import models
from django.utils.translation import gettext_lazy


class MemberRole(models.TextChoices):
    """A member's place in a standing body (议事会): who convenes it, who keeps its records, who sits in it."""

    CONVENER = "convener", gettext_lazy("召集人")
    SECRETARY = "secretary", gettext_lazy("秘书")
    MEMBER = "member", gettext_lazy("成员")

