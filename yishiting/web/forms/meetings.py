"""Forms of meeting pages: a venue, the meeting plan (with its invitee table), the steps a clerk records, a
vote opened at the table, show-of-hands counts and the resolution."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP, Area, Household, Person, RoleAssignment
from yishiting.areas.pickers import PersonRow, rows_for
from yishiting.bodies.selectors import current_seat_people
from yishiting.common.forms import Form
from yishiting.common.masking import mask_name
from yishiting.deliberation.bodies import level_body
from yishiting.deliberation.choices import (
    EIGHT_PARTIES,
    MeetingForm,
    NextStep,
    OwnersMatter,
    Party,
    StepKind,
    VenueKind,
    VoteMethod,
    VoteRule,
)
from yishiting.deliberation.models import Participant, ProcessTemplate, Topic, Venue
from yishiting.deliberation.rules import beyond_view_roles_q, invitable_q
from yishiting.deliberation.selectors.meetings import leaders_above, suggested_party
from yishiting.deliberation.selectors.parties import held_parties, party_scope
from yishiting.deliberation.selectors.votes import households_in_vote_scope
from yishiting.deliberation.tally import OWNERS_OPTIONS

from .demands import AreaChoiceField, DomainErrorsMixin
from .pickers import HouseholdPickField, PersonPickField

MAX_CANDIDATES = 60
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

class VenueForm(DomainErrorsMixin, Form):
    name = forms.CharField(label=_("名称"), max_length=100, error_messages={"required": _("请填写场所名称。")})
    kind = forms.ChoiceField(label=_("类型"), choices=VenueKind.choices)
    area = AreaChoiceField(label=_("所属区域"), queryset=Area.objects.none(), empty_label=None)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=2000,
                                  error_messages={"required": _("请填写容纳人数。"), "min_value": _("容纳人数至少为 1。")})
    address = forms.CharField(label=_("地址（选填）"), max_length=200, required=False)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()


class MeetingPlanForm(DomainErrorsMixin, Form):
    title = forms.CharField(label=_("会议名称"), max_length=200, error_messages={"required": _("请填写会议名称。")})
    # Shown, never chosen: the topic's template (its area's) decides (docs/templates.md).
    template = forms.ModelChoiceField(label=_("议事规则模板"), queryset=ProcessTemplate.objects.filter(is_active=True),
                                      empty_label=None, disabled=True,
                                      help_text=_("按议题所在区域适用的模板确定，不能另选。"))
    form = forms.ChoiceField(label=_("形式"), choices=MeetingForm.choices)
    venue = forms.ModelChoiceField(label=_("场所（网上议事可不选）"), queryset=Venue.objects.none(), required=False,
                                   empty_label="—")
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"],
                                    error_messages={"required": _("请填写开始时间。"), "invalid": _("时间格式不正确。")})
    ends_at = forms.DateTimeField(label=_("结束时间（网上议事为截止时间）"), widget=DATETIME,
                                  input_formats=["%Y-%m-%dT%H:%M"],
                                  error_messages={"required": _("请填写结束时间。"), "invalid": _("时间格式不正确。")})
    chair = PersonPickField("chair", label=_("主持人"), queryset=Person.objects.none(),
                            hint=_("输入姓名、拼音首字母或角色（如 书记、街道）；只列出议事规则模板允许主持本层级会议的人员，本层级的排在前面。"),
                            error_messages={"required": _("请查找并选择主持人。"),
                                            "invalid_choice": _("所选人员不能主持本层级的会议，请重新查找。")})
    requirements = forms.CharField(label=_("会议要求和注意事项（选填）"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    field_aliases = {"participants": None, "topics": None}

    def __init__(self, *args, venues=None, chairs=None, topic=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues if venues is not None else Venue.objects.none()
        self.fields["chair"].configure(chairs if chairs is not None else Person.objects.none(),
                                       topic=topic.pk if topic is not None else None)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("结束时间须晚于开始时间。"))
        return data


@dataclass
class Candidate:
    person: Person
    label: str
    party: str
    council: bool
    invited: bool
    extra: bool = False  # added from the picker (the page keeps it with a hidden `extra` field)
    listed: bool = False  # a match who is already on the list: shown as such, not offered again


def _labels(actor, pairs: list[tuple[Person, RoleAssignment | None]], request=None) -> list[str]:
    """The name, the role with its organization, where the person lives or works and the mobile's last four
    digits: the same row as the pickers' (areas.pickers) — the name in clear for a planner who may unmask that
    person (audited, one entry per page), else masked."""
    return [row.label for row in rows_for(actor, pairs, request=request, reason="plan:invitees")]


# Roles the plan does not list by default: residents and members are found in the picker (name, building, unit).
NOT_BY_DEFAULT = [Role.RESIDENT, Role.OWNER, Role.PARTY_MEMBER, Role.ADMIN, Role.INSERVICE_PARTY_MEMBER]
MAX_OPINIONS = 20
# Above the level only its leaders are listed (who chairs a matter referred upwards); deputies, lawyers, experts
# and agencies' handlers of the whole district are found in the picker ("人大代表", "律师", "城管").
LEADERS = [Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL]


def _default_paths(level_area: Area, topic: Topic | None) -> list[str]:
    """The level itself and the places between it and the topic's scope (its estate, its building); a topic
    of the whole level: the level's own parts (a community's estates)."""
    scope = topic.opinion_path if topic is not None else level_area.path
    between = [scope[:n] for n in range(len(level_area.path), len(scope) + 1, PATH_STEP)]
    if scope == level_area.path:
        between += list(Area.objects.filter(parent=level_area).values_list("path", flat=True))
    return between


def candidates(level_area: Area, topic: Topic | None, chosen: QueryDict | None, actor=None,
               request=None) -> list[Candidate]:
    """Who the plan lists before anyone searches — the usual parties, so a secretary need not look for them:
    the leaders above the level (street, district), everyone in office at the level itself (its
    staff, grid leader, police, lawyer, deputies, units' representatives) and at the places between the level
    and the topic's scope (the estate's grid worker, property manager, owners' committee; the building's head),
    and those who gave an opinion on the topic (stakeholders) — each with the party their role suggests — plus
    anyone added from the picker (`extra`) whom `actor` may invite. Residents are found in the picker. Names as
    the picker shows them to `actor` (clear where they may unmask, audited); no actor: all masked."""
    roles = (RoleAssignment.objects.filter(is_active=True, path__in=_default_paths(level_area, topic))
             .exclude(role__in=NOT_BY_DEFAULT)
             .select_related("person", "person__area", "organization", "area").order_by("path", "role")[:MAX_CANDIDATES])
    found: dict[int, tuple] = {}  # person → (person, role, party, council member, note)
    leaders = leaders_above(level_area).filter(role__in=LEADERS).select_related("person__area")
    for r in [*leaders, *roles]:
        found.setdefault(r.person_id, (r.person, r, suggested_party(r),
                                       r.role in (Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY), ""))
    _add_body_members(found, level_area, topic)
    if topic is not None:
        for opinion in topic.opinions.select_related("person", "person__area")[:MAX_OPINIONS]:
            # a resident of the topic's scope who spoke speaks for the residents; anyone else as a stakeholder
            party = Party.RESIDENT if opinion.person.path.startswith(topic.opinion_path) else Party.STAKEHOLDER
            found.setdefault(opinion.person_id, (opinion.person, None, party, False, " · " + gettext("发表过意见")))
    labels = _labels(actor, [(person, role) for person, role, *_rest in found.values()], request)
    seen = {person.pk: Candidate(person, label + note, party, council, False)
            for (person, _role, party, council, note), label in zip(found.values(), labels, strict=True)}
    if chosen is not None and actor is not None:
        _add_picked(seen, actor, level_area, chosen.getlist("extra"), request)
    fit_parties(list(seen.values()), party_scope(level_area, [topic] if topic is not None else []))
    if chosen is not None:
        _apply_choices(seen.values(), chosen)
    return list(seen.values())


def _level_template(topic: Topic | None) -> ProcessTemplate | None:
    return topic.template if topic is not None and topic.template_id else (
        ProcessTemplate.objects.filter(is_default=True).first())


def _add_body_members(found: dict[int, tuple], level_area: Area, topic: Topic | None) -> None:
    """The current members of the level's standing body (issue 20: the template names its kind) are listed as
    council members, with the party their role suggests (else residents), noted as the body's members."""
    body = level_body(_level_template(topic), level_area)
    if body is None:
        return
    note = " · " + gettext("%(body)s成员") % {"body": body.name}
    for person in current_seat_people(body):
        person_, role, party, _council, was = found.get(person.pk, (person, None, Party.RESIDENT, True, ""))
        found[person.pk] = (person_, role, party, True, was + note)


def invite_body_members(rows: list[Candidate], level_area: Area, topic: Topic | None,
                        chair: Person | None = None) -> None:
    """First view of the plan: the body's members are ticked (invited by default); the chair is not."""
    body = level_body(_level_template(topic), level_area)
    seated = {p.pk for p in current_seat_people(body)} if body is not None else set()
    for row in rows:
        if row.person.pk in seated and not (chair and row.person.pk == chair.pk):
            row.invited = row.council = True


def fit_parties(rows: list[Candidate], scope) -> None:
    """Each row's default party one the person really holds in the matter's place (selectors.parties): the one
    their role suggests when they hold it, else another of the eight they hold, else 利益相关方 — so the table
    as first shown never offers a label the check would not count."""
    held = held_parties([row.person.pk for row in rows if row.party in EIGHT_PARTIES], scope)
    for row in rows:
        if row.party in EIGHT_PARTIES and row.party not in held.get(row.person.pk, ()):
            row.party = next((p for p in EIGHT_PARTIES if p in held[row.person.pk]), Party.STAKEHOLDER)


def preselect(rows: list[Candidate], parties: list[str], chair: Person | None) -> None:
    """Tick one listed person for each party the template requires (the first listed: the level's own before
    those below it), so a plan with the usual people needs no search and no ticking; the chair is not ticked
    (they chair). Only for the first view: a posted form keeps what the planner ticked."""
    for party in parties:
        row = next((r for r in rows if r.party == party and not (chair and r.person.pk == chair.pk)), None)
        if row is not None:
            row.invited = True


def _apply_choices(rows, chosen: QueryDict) -> None:
    """What the table's ticks and selects say for each row (invite, party, council member)."""
    for c in rows:
        c.invited = chosen.get(f"invite-{c.person.pk}") == "on"
        c.party = chosen.get(f"party-{c.person.pk}") if chosen.get(f"party-{c.person.pk}") in Party.values else c.party
        c.council = chosen.get(f"council-{c.person.pk}") == "on"


def added_invitees(chosen: QueryDict, actor, level_area: Area) -> list[Candidate]:
    """The picker's rows ticked on a planned meeting's page (追加参会人员): only people `actor` may invite to
    its level (rules `deliberation.invite`), anything else in the POST ignored, as on the plan."""
    seen: dict[int, Candidate] = {}
    _add_picked(seen, actor, level_area, chosen.getlist("extra"), shown=False)
    _apply_choices(seen.values(), chosen)
    return [c for c in seen.values() if c.invited]


class WithdrawForm(DomainErrorsMixin, Form):
    reason = forms.CharField(label=_("撤回理由（会告知本人）"), max_length=500,
                             error_messages={"required": _("请说明撤回理由。"), "max_length": _("理由不能超过 500 字。")})


def picked_rows(rows: list[PersonRow]) -> list[Candidate]:
    """The picker's matches (areas.pickers) as rows of the invitee table (ticked: picking someone means inviting
    them), with the party their role suggests."""
    return [Candidate(row.person, row.label, suggested_party(row.role), False, True) for row in rows]


def _add_picked(seen: dict[int, Candidate], actor, level_area: Area, ids: list[str], request=None, *,
                shown: bool = True) -> None:
    """People added from the picker, kept on the table when the form comes back — only those `actor` may invite
    (rules `deliberation.invite`); anything else in the POST is ignored."""
    wanted = {int(i) for i in ids if str(i).isascii() and str(i).isdigit() and len(str(i)) < 19} - set(seen)
    if not wanted:
        return
    people = Person.objects.filter(invitable_q(actor, level_area), pk__in=wanted).select_related("area")
    roles = {r.person_id: r for r in RoleAssignment.objects.filter(beyond_view_roles_q(level_area), person__in=people)
             .select_related("organization", "area")}
    people = list(people)
    # labels read in clear (audited) only when the page shows them; 追加参会人员 only saves (messages mask)
    labels = _labels(actor if shown else None, [(person, roles.get(person.pk)) for person in people], request)
    for person, label in zip(people, labels, strict=True):
        seen[person.pk] = Candidate(person, label, suggested_party(roles.get(person.pk)), False, False, extra=True)


class StepForm(DomainErrorsMixin, Form):
    kind = forms.ChoiceField(label=_("环节"), choices=[c for c in StepKind.choices if c[0] not in ("vote", "resolution")])
    topic = forms.ModelChoiceField(label=_("议题"), queryset=Topic.objects.none(), required=False, empty_label=_("（会议开场）"))
    speaker = forms.ModelChoiceField(label=_("发言人"), queryset=Participant.objects.none(), required=False,
                                     empty_label="—")
    text = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请填写发言或说明的内容。")})

    def __init__(self, *args, meeting=None, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "step-%s", **kwargs})
        if meeting is not None:
            self.fields["topic"].queryset = Topic.objects.filter(agenda_items__meeting=meeting)
            self.fields["speaker"].queryset = meeting.participants.select_related("person")
            self.fields["speaker"].label_from_instance = lambda p: f"{mask_name(p.person.name)} · {p.get_party_display()}"


class VoteOpenForm(DomainErrorsMixin, Form):
    id_prefix = "vote"  # on the meeting-run page beside StepForm and ResolutionForm
    topic = forms.ModelChoiceField(label=_("议题"), queryset=Topic.objects.none(), empty_label=None)
    question = forms.CharField(label=_("表决事项"), max_length=300, error_messages={"required": _("请填写表决事项。")})
    method = forms.ChoiceField(label=_("方式"), choices=[c for c in VoteMethod.choices if c[0] != VoteMethod.OWNERS])
    rule = forms.ChoiceField(label=_("通过规则"), choices=[c for c in VoteRule.choices if c[0] != VoteRule.ART278])
    threshold_numerator = forms.IntegerField(label=_("自定义比例：分子"), required=False, min_value=1)
    threshold_denominator = forms.IntegerField(label=_("自定义比例：分母"), required=False, min_value=1)
    options = forms.CharField(label=_("选项（每行一个；留空为 同意/反对/弃权）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting=None, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "vote-%s", **kwargs})
        if meeting is not None:
            self.fields["topic"].queryset = Topic.objects.filter(agenda_items__meeting=meeting)

    def option_list(self) -> list[str] | None:
        lines = [line.strip() for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]
        return lines or None


class ResolutionForm(DomainErrorsMixin, Form):
    id_prefix = "resolution"
    topic = forms.ModelChoiceField(label=_("议题"), queryset=Topic.objects.none(), empty_label=None)
    text = forms.CharField(label=_("决议内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("请填写决议内容。")})
    next_step = forms.ChoiceField(label=_("下一步"), choices=NextStep.choices)
    reason = forms.CharField(label=_("理由（退回或不再推进时必填）"), required=False, max_length=2000)

    def __init__(self, *args, meeting=None, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "resolution-%s", **kwargs})
        if meeting is not None:
            self.fields["topic"].queryset = Topic.objects.filter(agenda_items__meeting=meeting)


class OwnersVoteForm(DomainErrorsMixin, Form):
    """An owners' joint decision (Civil Code Art. 278) on a topic, over a building, unit or estate."""

    question = forms.CharField(label=_("表决事项"), max_length=300, error_messages={"required": _("请填写表决事项。")})
    matter = forms.ChoiceField(label=_("事项类别（民法典第二百七十八条）"), choices=OwnersMatter.choices)
    scope_area = AreaChoiceField(label=_("表决范围（楼栋、单元或小区）"), queryset=Area.objects.none(), empty_label=None)
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"], required=False)

    def __init__(self, *args, topic: Topic | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if topic is not None:
            self.fields["scope_area"].queryset = (Area.objects.filter(path__startswith=topic.scope.path,
                                                                      level__code__in=["estate", "building", "unit"])
                                                  .order_by("path"))


HOUSEHOLD_HINT = _("输入楼栋单元和房号（如 3栋1单元1201、1201）或住户的完整姓名；每次最多列出 20 户。")
PROXY_HINT = _("输入完整姓名、手机号、拼音或楼栋单元房号（如 3栋1单元1201）；只列出表决范围内的人员。")


class PaperBallotForm(DomainErrorsMixin, Form):
    """A paper ballot entered by staff: the household is found by typing (a district holds tens of thousands)."""

    household = HouseholdPickField("household", label=_("专有部分（户）"), queryset=Household.objects.none(),
                                   hint=HOUSEHOLD_HINT,
                                   error_messages={"required": _("请查找并选择户。"),
                                                   "invalid_choice": _("所选的户不在表决范围内，请重新查找。")})
    choice = forms.ChoiceField(label=_("纸质票上的选择"), choices=[(option, _(option)) for option in OWNERS_OPTIONS])  # 同意/反对/弃权

    def __init__(self, *args, vote=None, **kwargs) -> None:
        super().__init__(*args, **{"auto_id": "paper-%s", **kwargs})
        pool = households_in_vote_scope(vote) if vote is not None else Household.objects.none()
        self.fields["household"].configure(pool, vote=vote.pk if vote is not None else None)


class ProxyForm(PaperBallotForm):
    field_order = ["household", "grantor", "holder", "document"]
    grantor = PersonPickField("proxy", label=_("委托人（业主）"), queryset=Person.objects.none(), hint=PROXY_HINT,
                              error_messages={"required": _("请查找并选择委托人。"),
                                              "invalid_choice": _("委托人须是表决范围内的人员，请重新查找。")})
    holder = PersonPickField("proxy", label=_("受托人"), queryset=Person.objects.none(), hint=PROXY_HINT,
                             error_messages={"required": _("请查找并选择受托人。"),
                                             "invalid_choice": _("受托人须是表决范围内的人员，请重新查找。")})
    document = forms.CharField(label=_("委托书编号或说明"), max_length=200, error_messages={"required": _("请填写委托书编号或说明。")})

    def __init__(self, *args, vote=None, people=None, **kwargs) -> None:
        super().__init__(*args, vote=vote, **{"auto_id": "proxy-%s", **kwargs})
        del self.fields["choice"]
        pk = vote.pk if vote is not None else None
        for name in ("grantor", "holder"):
            self.fields[name].configure(people if people is not None else Person.objects.none(), vote=pk)
