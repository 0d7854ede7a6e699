from django.db import models
from django.utils.translation import gettext_lazy


class LeaderLevel(models.TextChoices):
    DISTRICT = "district", gettext_lazy("区领导")
    STREET = "street", gettext_lazy("街道领导")


class DeputyKind(models.TextChoices):
    PARTY = "party", gettext_lazy("党代表")
    NPC = "npc", gettext_lazy("人大代表")
    CPPCC = "cppcc", gettext_lazy("政协委员")


class ContactMethod(models.TextChoices):
    RECEPTION = "reception", gettext_lazy("接待日")
    VISIT = "visit", gettext_lazy("走访")
    FORUM = "forum", gettext_lazy("座谈")


def deputy_kind_for(title: str) -> str:
    """A deputy's kind from their role's title (区人大代表, 区政协委员, 区党代表 …); 党代表 when it names neither."""
    if "人大" in (title or ""):  # zh-only: matched against the stored role title
        return DeputyKind.NPC
    return DeputyKind.CPPCC if "政协" in (title or "") else DeputyKind.PARTY  # zh-only: the stored role title
