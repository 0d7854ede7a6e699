"""举一反三: the settings of cluster and recurrence detection, and the 类案 raised from a cluster.

Clusters are computed from the similar-demand index (``demands.DemandKey``, ``oversight.clusters``) and kept per
area and period (``ClusterRun`` and its ``StoredCluster`` rows), so the list is read, not recomputed, on each
request. What an official decided is stored too — a cluster raised as one street- or district-level topic
(``ClusterTopic``) and the demands that went with it (``ClusterMember``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, PathField


class ClusterSettings(models.Model):
    """Per process template (the district's default template's row is the one read): how many communities make
    a cluster, how alike the texts must be, and how long after an archived matter the same problem counts as
    recurring (复发). An empty threshold means the app's one duplicate threshold (``suggest.DUPLICATE_THRESHOLD``)."""

    template = models.OneToOneField("deliberation.ProcessTemplate", verbose_name=gettext_lazy("议事规则模板"),
                                    on_delete=models.CASCADE, related_name="cluster_settings")
    min_communities = models.PositiveSmallIntegerField(
        gettext_lazy("类案最少涉及社区数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=gettext_lazy("同一类别、内容相似的诉求出现在至少这么多个社区，才列为类案"))
    similarity_threshold = models.DecimalField(
        gettext_lazy("相似度阈值"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=gettext_lazy("留空则与“已有相似诉求”使用同一阈值"))
    recurrence_months = models.PositiveSmallIntegerField(
        gettext_lazy("复发认定期（月）"), default=6, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=gettext_lazy("同一地点的同一问题在已归档事项之后这么多个月内再次出现，标为复发"))

    class Meta:
        verbose_name = gettext_lazy("举一反三设置")
        verbose_name_plural = gettext_lazy("举一反三设置")

    def __str__(self) -> str:
        return str(self.template)


class _Keyed:
    """What a raised 类案 and a kept computed cluster share: a label, a size, and the id in URLs (category and
    key, one encoding for both)."""

    label: str
    size: int

    def __str__(self) -> str:
        return self.label

    @property
    def ident(self) -> str:
        from ..clusters import cluster_id  # the one encoding (that module reads these models)

        return cluster_id(self.category_id, self.key)

    @property
    def count(self) -> int:
        return self.size


class ClusterTopic(_Keyed, models.Model):
    """A cluster raised as one topic (类案) at a street or district. At most one open 类案 per level, category
    and cluster key (the database refuses a second: two officials raising at once get one topic)."""

    category = models.ForeignKey("demands.Category", verbose_name=gettext_lazy("类别"), on_delete=models.PROTECT,
                                 related_name="+")
    key = models.CharField(gettext_lazy("类案键"), max_length=64)
    label = models.CharField(gettext_lazy("类案名称"), max_length=200)
    seed_text = models.TextField(gettext_lazy("代表诉求内容"), max_length=2000)
    level_area = models.ForeignKey(Area, verbose_name=gettext_lazy("层级"), on_delete=models.PROTECT, related_name="+")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    topic = models.OneToOneField("deliberation.Topic", verbose_name=gettext_lazy("议题"), null=True,
                                 on_delete=models.PROTECT, related_name="cluster")
    is_open = models.BooleanField(gettext_lazy("进行中"), default=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("发起人"), on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(gettext_lazy("发起时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("类案")
        verbose_name_plural = gettext_lazy("类案")
        ordering = ["-raised_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["level_area", "category", "key"],
                                               condition=models.Q(is_open=True), name="clustertopic_one_open")]
        indexes = [models.Index(fields=["key", "category"], condition=models.Q(is_open=True),
                                name="clustertopic_open_key_idx")]

    @property
    def scope_path(self) -> str:
        return self.path


class ClusterMember(models.Model):
    """A demand of a 类案: merged into its topic at raising or at screening, or — already on another path when
    the cluster was raised — linked, so its page still names the 类案."""

    class How(models.TextChoices):
        MERGED = "merged", gettext_lazy("已并入类案议题")
        LINKED = "linked", gettext_lazy("已在办理，关联类案")

    cluster = models.ForeignKey(ClusterTopic, verbose_name=gettext_lazy("类案"), on_delete=models.CASCADE,
                                related_name="members")
    demand = models.ForeignKey("demands.Demand", verbose_name=gettext_lazy("诉求"), on_delete=models.CASCADE,
                               related_name="+")
    how = models.CharField(gettext_lazy("方式"), max_length=16, choices=How.choices)
    joined_at = models.DateTimeField(gettext_lazy("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("类案诉求")
        verbose_name_plural = gettext_lazy("类案诉求")
        ordering = ["joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["cluster", "demand"], name="clustermember_unique")]
        indexes = [models.Index(fields=["demand"], name="clustermember_demand_idx")]

    def __str__(self) -> str:
        return f"{self.cluster_id}:{self.demand_id}"


class ClusterRun(models.Model):
    """The clusters of one area and period as last computed, so the list page reads them instead of computing
    them: `yishiting tick` keeps the default period (the last 90 days) of every district and street fresh; any
    other period is computed on its first request and kept. The page states `computed_at`."""

    area = models.ForeignKey(Area, verbose_name=gettext_lazy("区域"), on_delete=models.CASCADE, related_name="+")
    start = models.DateField(gettext_lazy("开始日期"))
    end = models.DateField(gettext_lazy("结束日期"))
    min_communities = models.PositiveSmallIntegerField(gettext_lazy("类案最少涉及社区数"))
    threshold = models.FloatField(gettext_lazy("相似度阈值"))
    computed_at = models.DateTimeField(gettext_lazy("计算时间"))
    seconds = models.FloatField(gettext_lazy("计算耗时（秒）"), default=0)
    # {a candidate group's members (digest): [central member id or null, ids of the members not kept]} — the
    # next refresh re-ranks only the groups whose members changed (oversight.clusters._kept)
    memo = models.JSONField(gettext_lazy("复算备忘"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = gettext_lazy("类案计算")
        verbose_name_plural = gettext_lazy("类案计算")
        constraints = [models.UniqueConstraint(fields=["area", "start", "end"], name="clusterrun_once")]
        indexes = [models.Index(fields=["computed_at"], name="clusterrun_age_idx")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.start}–{self.end}"


class StoredCluster(_Keyed, models.Model):
    """One cluster of a run: what the list shows (label, size, spread with the communities' names and counts)
    and its member demands' ids, so its page and raising it read the same members the list counted."""

    run = models.ForeignKey(ClusterRun, verbose_name=gettext_lazy("类案计算"), on_delete=models.CASCADE,
                            related_name="clusters")
    position = models.PositiveIntegerField(gettext_lazy("顺序"))
    category = models.ForeignKey("demands.Category", verbose_name=gettext_lazy("类别"), on_delete=models.CASCADE,
                                 related_name="+")
    key = models.CharField(gettext_lazy("类案键"), max_length=64)
    seed = models.ForeignKey("demands.Demand", verbose_name=gettext_lazy("代表诉求"), on_delete=models.CASCADE,
                             related_name="+")
    label = models.CharField(gettext_lazy("类案名称"), max_length=200)
    size = models.PositiveIntegerField(gettext_lazy("诉求数"))
    spread = models.PositiveIntegerField(gettext_lazy("涉及社区数"))
    street_count = models.PositiveIntegerField(gettext_lazy("涉及街道数"))
    communities = models.JSONField(gettext_lazy("社区分布"), default=list)  # [[area id, name, count], …] widest first
    member_ids = models.JSONField(gettext_lazy("诉求"), default=list)

    class Meta:
        verbose_name = gettext_lazy("类案")
        verbose_name_plural = gettext_lazy("类案")
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "category", "key"], name="storedcluster_once")]
        indexes = [models.Index(fields=["run", "position"], name="storedcluster_order_idx")]

