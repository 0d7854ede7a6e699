"""党建联盟 (seeds 000 Nanjiang, 003 Cenxi, 004 Altay): an alliance of the party organisations of an area's units,
with its 盟约 as versioned clauses, member units (applied, reviewed by the liaison office, admitted by the
assembly's vote), committees (专委) led by a unit, quarterly task lists, joint meetings and a year-end rating.
Units are areas.Organization rows; every record keeps the alliance's area path, so scope is one prefix match."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Organization, PathField, Person

from .choices import (
    AllianceKind,
    AllianceStatus,
    Choice,
    MeetingKind,
    MemberStatus,
    RatingStatus,
    TaskSource,
    TaskStatus,
    VersionStatus,
    VoteMatter,
    VoteStatus,
)

IN_PLAY = [MemberStatus.APPLIED, MemberStatus.REVIEWED, MemberStatus.ADMITTED]


class Scoped(models.Model):
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)

    class Meta:
        abstract = True

    @property
    def scope_path(self) -> str:
        return self.path


class Alliance(Scoped):
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所属区域"), on_delete=models.PROTECT,
                             related_name="alliances")
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=AllianceKind.choices,
                            default=AllianceKind.COMMUNITY)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=AllianceStatus.choices,
                              default=AllianceStatus.FOUNDING)
    grades = models.CharField(gettext_lazy("评定等次"), max_length=8, default="ABC",
                              help_text=gettext_lazy("ABC 或 ABCD"))
    # The assembly's quorum as a fraction of the member units (default 2/3, the local rules seen in the seeds).
    quorum_numerator = models.PositiveSmallIntegerField(gettext_lazy("法定人数（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(gettext_lazy("法定人数（分母）"), default=3)
    created_at = models.DateTimeField(gettext_lazy("设立时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("党建联盟")
        verbose_name_plural = gettext_lazy("党建联盟")
        ordering = ["path", "pk"]
        indexes = [models.Index(fields=["path"], name="alliance_path_idx")]
        constraints = [models.CheckConstraint(
            condition=Q(quorum_numerator__gte=1, quorum_denominator__gte=1,
                        quorum_numerator__lte=models.F("quorum_denominator")), name="alliance_quorum_fraction")]

    def __str__(self) -> str:
        return self.name

    def quorum_of(self, electorate: int) -> int:
        """Units that must vote for a vote to count: ⌈electorate × numerator / denominator⌉, at least one."""
        return max(1, -(-electorate * self.quorum_numerator // self.quorum_denominator))


class CovenantVersion(Scoped):
    """One version of the 盟约: drafted, consulted on with every member (comments per clause), adopted by vote."""

    alliance = models.ForeignKey(Alliance, verbose_name=gettext_lazy("党建联盟"), on_delete=models.CASCADE,
                                 related_name="versions")
    number = models.PositiveSmallIntegerField(gettext_lazy("版本号"))
    title = models.CharField(gettext_lazy("标题"), max_length=100)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    adopted_at = models.DateTimeField(gettext_lazy("通过时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("起草时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("盟约版本")
        verbose_name_plural = gettext_lazy("盟约版本")
        ordering = ["alliance", "-number"]
        constraints = [models.UniqueConstraint(fields=["alliance", "number"], name="covenant_version_unique"),
                       models.UniqueConstraint(fields=["alliance"], condition=Q(status="adopted"),
                                               name="covenant_one_adopted")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"  # zh-only: a document's own title


class Clause(models.Model):
    version = models.ForeignKey(CovenantVersion, verbose_name=gettext_lazy("盟约版本"), on_delete=models.CASCADE,
                                related_name="clauses")
    number = models.PositiveSmallIntegerField(gettext_lazy("条"))
    text = models.TextField(gettext_lazy("条文"), max_length=1000)

    class Meta:
        verbose_name = gettext_lazy("盟约条款")
        verbose_name_plural = gettext_lazy("盟约条款")
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="clause_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class Member(Scoped):
    """A unit in the alliance: its application, the 盟约 version it accepted, its liaison party member."""

    alliance = models.ForeignKey(Alliance, verbose_name=gettext_lazy("党建联盟"), on_delete=models.PROTECT,
                                 related_name="members")
    organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("单位"), on_delete=models.PROTECT,
                                     related_name="alliance_memberships")
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=MemberStatus.choices,
                              default=MemberStatus.APPLIED)
    accepted_version = models.ForeignKey(CovenantVersion, verbose_name=gettext_lazy("承诺遵守的盟约版本"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="acceptors")
    liaison = models.ForeignKey(Person, verbose_name=gettext_lazy("联络党员"), on_delete=models.PROTECT,
                                related_name="alliance_liaisons")
    superior = models.CharField(gettext_lazy("上级党组织"), max_length=100, blank=True,
                                help_text=gettext_lazy("单位的上级组织未在系统登记时填写"))
    application = models.TextField(gettext_lazy("入盟申请"), max_length=1000, blank=True)
    review_note = models.CharField(gettext_lazy("联络办审核意见"), max_length=200, blank=True)
    applied_at = models.DateTimeField(gettext_lazy("申请时间"), auto_now_add=True)
    admitted_on = models.DateField(gettext_lazy("入盟日期"), null=True, blank=True)
    ended_on = models.DateField(gettext_lazy("退出日期"), null=True, blank=True)
    end_reason = models.CharField(gettext_lazy("退出或除名原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("成员单位")
        verbose_name_plural = gettext_lazy("成员单位")
        ordering = ["alliance", "pk"]
        constraints = [models.UniqueConstraint(fields=["alliance", "organization"], condition=Q(status__in=IN_PLAY),
                                               name="alliance_member_once")]
        indexes = [models.Index(fields=["path"], name="alliance_member_path_idx")]

    def __str__(self) -> str:
        return str(self.organization)

    def owner_person_ids(self) -> list[int]:
        return [self.liaison_id]

    @property
    def superior_name(self) -> str:
        parent = self.organization.parent
        return parent.name if parent is not None else self.superior


class ClauseComment(models.Model):
    clause = models.ForeignKey(Clause, verbose_name=gettext_lazy("条款"), on_delete=models.CASCADE,
                               related_name="comments")
    member = models.ForeignKey(Member, verbose_name=gettext_lazy("成员单位"), on_delete=models.PROTECT,
                               related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("填写人"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(gettext_lazy("意见"), max_length=500)
    created_at = models.DateTimeField(gettext_lazy("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("盟约意见")
        verbose_name_plural = gettext_lazy("盟约意见")
        ordering = ["clause", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


class JointMeeting(Scoped):
    """A 联席会 or an assembly session, with its minutes and the units present."""

    alliance = models.ForeignKey(Alliance, verbose_name=gettext_lazy("党建联盟"), on_delete=models.PROTECT,
                                 related_name="meetings")
    kind = models.CharField(gettext_lazy("会议类型"), max_length=16, choices=MeetingKind.choices,
                            default=MeetingKind.JOINT)
    held_on = models.DateField(gettext_lazy("召开日期"))
    place = models.CharField(gettext_lazy("地点"), max_length=100)
    subject = models.CharField(gettext_lazy("议题"), max_length=200)
    minutes = models.TextField(gettext_lazy("会议纪要"), max_length=5000, blank=True)
    attendees = models.ManyToManyField(Member, verbose_name=gettext_lazy("出席单位"), blank=True,
                                       related_name="meetings")
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("联席会")
        verbose_name_plural = gettext_lazy("联席会")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.subject}"


class AssemblyVote(Scoped):
    """The assembly's vote: one ballot per member unit admitted when it opened (the electorate), cast by its
    liaison party member or entered by the liaison office; passes with a quorum and a majority of those voting."""

    alliance = models.ForeignKey(Alliance, verbose_name=gettext_lazy("党建联盟"), on_delete=models.PROTECT,
                                 related_name="votes")
    matter = models.CharField(gettext_lazy("表决事项"), max_length=16, choices=VoteMatter.choices)
    member = models.ForeignKey(Member, verbose_name=gettext_lazy("申请单位"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="admission_votes")
    version = models.ForeignKey(CovenantVersion, verbose_name=gettext_lazy("盟约版本"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="votes")
    year = models.PositiveSmallIntegerField(gettext_lazy("评定年度"), null=True, blank=True)
    meeting = models.ForeignKey(JointMeeting, verbose_name=gettext_lazy("大会"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="votes")
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=VoteStatus.choices, default=VoteStatus.OPEN)
    electorate = models.JSONField(gettext_lazy("有表决权的成员单位"), default=list)
    quorum = models.PositiveSmallIntegerField(gettext_lazy("法定人数"))
    yes = models.PositiveSmallIntegerField(gettext_lazy("同意"), default=0)
    no = models.PositiveSmallIntegerField(gettext_lazy("反对"), default=0)
    abstain = models.PositiveSmallIntegerField(gettext_lazy("弃权"), default=0)
    opened_at = models.DateTimeField(gettext_lazy("发起时间"), auto_now_add=True)
    closed_at = models.DateTimeField(gettext_lazy("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("大会表决")
        verbose_name_plural = gettext_lazy("大会表决")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(status="open"), name="assembly_vote_one_admission"),
            models.UniqueConstraint(fields=["version"], condition=Q(status="open"), name="assembly_vote_one_covenant"),
            models.UniqueConstraint(fields=["alliance", "year"], condition=Q(status="open", matter="rating"),
                                    name="assembly_vote_one_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.get_matter_display()} #{self.pk}"

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain


class AssemblyBallot(models.Model):
    vote = models.ForeignKey(AssemblyVote, verbose_name=gettext_lazy("表决"), on_delete=models.CASCADE,
                             related_name="ballots")
    member = models.ForeignKey(Member, verbose_name=gettext_lazy("成员单位"), on_delete=models.PROTECT,
                               related_name="ballots")
    choice = models.CharField(gettext_lazy("意见"), max_length=8, choices=Choice.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("投票人或录入人"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    cast_at = models.DateTimeField(gettext_lazy("投票时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("大会选票")
        verbose_name_plural = gettext_lazy("大会选票")
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="assembly_ballot_once")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_choice_display()}"


class Committee(Scoped):
    """A 专委 with its lead unit and member units."""

    alliance = models.ForeignKey(Alliance, verbose_name=gettext_lazy("党建联盟"), on_delete=models.PROTECT,
                                 related_name="committees")
    name = models.CharField(gettext_lazy("名称"), max_length=60)
    duty = models.CharField(gettext_lazy("职责"), max_length=300, blank=True)
    lead = models.ForeignKey(Member, verbose_name=gettext_lazy("牵头单位"), on_delete=models.PROTECT,
                             related_name="led_committees")
    members = models.ManyToManyField(Member, verbose_name=gettext_lazy("成员单位"), blank=True,
                                     related_name="committees")

    class Meta:
        verbose_name = gettext_lazy("专委")
        verbose_name_plural = gettext_lazy("专委")
        ordering = ["alliance", "pk"]
        constraints = [models.UniqueConstraint(fields=["alliance", "name"], name="committee_unique_name")]

    def __str__(self) -> str:
        return self.name


class Task(Scoped):
    """One item of a quarter's task list: collected, sorted by the liaison office, assigned at the assembly to a
    committee and an owner unit, tracked to done with evidence."""

    alliance = models.ForeignKey(Alliance, verbose_name=gettext_lazy("党建联盟"), on_delete=models.PROTECT,
                                 related_name="tasks")
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    quarter = models.PositiveSmallIntegerField(gettext_lazy("季度"))
    title = models.CharField(gettext_lazy("任务"), max_length=120)
    detail = models.TextField(gettext_lazy("说明"), max_length=1000, blank=True)
    source = models.CharField(gettext_lazy("来源"), max_length=16, choices=TaskSource.choices)
    demand = models.ForeignKey("demands.Demand", verbose_name=gettext_lazy("来源诉求"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="alliance_tasks")
    proposed_by = models.ForeignKey(Member, verbose_name=gettext_lazy("提出单位"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="proposed_tasks")
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.COLLECTED)
    committee = models.ForeignKey(Committee, verbose_name=gettext_lazy("专委"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="tasks")
    owner = models.ForeignKey(Member, verbose_name=gettext_lazy("责任单位"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_tasks")
    owner_person = models.ForeignKey(Person, verbose_name=gettext_lazy("责任人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="alliance_tasks")
    meeting = models.ForeignKey(JointMeeting, verbose_name=gettext_lazy("分派会议"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="assigned_tasks")
    deadline = models.DateField(gettext_lazy("完成时限"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(gettext_lazy("进度（%）"), default=0)
    hours = models.DecimalField(gettext_lazy("服务时长（小时）"), max_digits=7, decimal_places=1, default=0)
    evidence = models.TextField(gettext_lazy("完成佐证"), max_length=1000, blank=True)
    drop_reason = models.CharField(gettext_lazy("不列入原因"), max_length=200, blank=True)
    done_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("收集时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("季度任务")
        verbose_name_plural = gettext_lazy("季度任务")
        ordering = ["-year", "-quarter", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="task_quarter_range"),
                       models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_range")]
        indexes = [models.Index(fields=["path"], name="alliance_task_path_idx")]

    def __str__(self) -> str:
        return self.title


class TaskUpdate(models.Model):
    task = models.ForeignKey(Task, verbose_name=gettext_lazy("任务"), on_delete=models.CASCADE, related_name="updates")
    progress = models.PositiveSmallIntegerField(gettext_lazy("进度（%）"))
    hours = models.DecimalField(gettext_lazy("本次服务时长（小时）"), max_digits=6, decimal_places=1, default=0)
    note = models.CharField(gettext_lazy("进展"), max_length=300)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("填报人"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("任务进展")
        verbose_name_plural = gettext_lazy("任务进展")
        ordering = ["task", "created_at", "pk"]

    def __str__(self) -> str:
        return self.note[:30]


class TaskRating(models.Model):
    """A resident's rating (1–5) of a done task; feeds the year-end rating of its owner unit."""

    task = models.ForeignKey(Task, verbose_name=gettext_lazy("任务"), on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("评价人"), on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField(gettext_lazy("评分"))
    created_at = models.DateTimeField(gettext_lazy("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("居民评价")
        verbose_name_plural = gettext_lazy("居民评价")
        constraints = [models.UniqueConstraint(fields=["task", "person"], name="alliance_task_rating_once"),
                       models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="alliance_stars_range")]

    def __str__(self) -> str:
        return f"{self.task} {self.stars}"


class UnitRating(Scoped):
    """A member unit's year-end rating: the figures it rests on, the office's proposal, the assembly's grade."""

    alliance = models.ForeignKey(Alliance, verbose_name=gettext_lazy("党建联盟"), on_delete=models.PROTECT,
                                 related_name="ratings")
    member = models.ForeignKey(Member, verbose_name=gettext_lazy("成员单位"), on_delete=models.PROTECT,
                               related_name="ratings")
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    tasks_done = models.PositiveSmallIntegerField(gettext_lazy("完成任务数"), default=0)
    hours = models.DecimalField(gettext_lazy("服务时长（小时）"), max_digits=8, decimal_places=1, default=0)
    resident_score = models.DecimalField(gettext_lazy("居民评价均分"), max_digits=3, decimal_places=2, null=True,
                                         blank=True)
    grade = models.CharField(gettext_lazy("等次"), max_length=1)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=RatingStatus.choices,
                              default=RatingStatus.PROPOSED)
    vote = models.ForeignKey(AssemblyVote, verbose_name=gettext_lazy("大会表决"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="ratings")
    # An adopted grade is changed only by a new vote of the assembly (VoteMatter.AMENDMENT): the grade proposed
    # waits here while that vote is open; once it passes, the grade it replaced is kept for the letter.
    pending_grade = models.CharField(gettext_lazy("提请更正的等次"), max_length=1, blank=True)
    amend_reason = models.CharField(gettext_lazy("更正理由"), max_length=200, blank=True)
    previous_grade = models.CharField(gettext_lazy("更正前的等次"), max_length=1, blank=True)

    class Meta:
        verbose_name = gettext_lazy("年度评定")
        verbose_name_plural = gettext_lazy("年度评定")
        ordering = ["alliance", "-year", "grade", "pk"]
        constraints = [models.UniqueConstraint(fields=["alliance", "member", "year"], name="alliance_unit_rating_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.member} {self.grade}"

    def owner_person_ids(self) -> list[int]:
        return [self.member.liaison_id]
