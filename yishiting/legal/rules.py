"""Who may ask, answer, and manage legal services (scope kinds in common/rules.py).

Residents ask the 云律团 and read their community's answered questions without the askers' names. The office
roles manage the expert pool of their subtree, appoint community advisers and see the coverage page. Answering is
not a role grant: a lawyer of the pool (an active Expert marked 云律团) sees and claims questions in their own
fields within their district, and a community's current adviser answers what escalated to them
(`may_answer` below); the staff of a question's area see it too, to follow it up.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.models import PATH_STEP
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, has_perm, register

S = ScopeKind.SUBTREE

LEGAL_ASK = register("legal.ask", gettext_noop("向云律团提出法律咨询"), {**MEMBERS, Role.REGISTRANT: ScopeKind.COMMUNITY})
LEGAL_VIEW = register("legal.view", gettext_noop("查看法律咨询（居民只见匿名问答）"), {**MEMBERS, **STAFF})
POOL_VIEW = register("legal.pool", gettext_noop("查看专家库和专家履职记录"), {**OFFICE})
POOL_MANAGE = register("legal.pool_manage", gettext_noop("维护专家库、聘任社区法律顾问"), {**OFFICE})
COVERAGE = register("legal.coverage", gettext_noop("查看一社区一法律顾问覆盖情况"), {**OFFICE})


def expert_of(user):
    """The user's active pool record (None for whoever is not in the pool)."""
    from .models import Expert

    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_yishiting_expert", False)
    if cached is False:
        cached = (Expert.objects.filter(person__user=user, is_active=True)
                  .prefetch_related("fields").select_related("person", "area").first())
        user._yishiting_expert = cached
    return cached


def lawyer_q(expert) -> Q:
    """Consultations (Consultation filter) a pool lawyer may see: their fields, their district; and whatever
    escalated to them as a community's adviser, or that they claimed."""
    field_ids = [f.pk for f in expert.fields.all()]
    mine = Q(lawyer=expert) | Q(adviser=expert)
    if not expert.is_lawyer or not expert.is_active:
        return mine
    return mine | Q(field_id__in=field_ids, path__startswith=expert.path[:PATH_STEP])


def may_claim(user, consultation) -> bool:
    """legal.claim: a lawyer of the question's field and district, while nobody has claimed it."""
    from .choices import ConsultationStatus

    expert = expert_of(user)
    return (expert is not None and expert.is_lawyer and expert.takes_questions()
            and consultation.status == ConsultationStatus.OPEN
            and consultation.path.startswith(expert.path[:PATH_STEP])
            and any(f.pk == consultation.field_id for f in expert.fields.all()))


def may_set_availability(user, expert) -> bool:
    """The expert themselves, or the pool's managers of the expert's area (a resident or another lawyer: no)."""
    own = expert_of(user)
    return (own is not None and own.pk == expert.pk) or has_perm(user, "legal.pool_manage", expert)


def may_answer(user, consultation) -> bool:
    """legal.answer: the lawyer who claimed it, while it is theirs; the adviser it escalated to."""
    from .choices import ConsultationStatus

    expert = expert_of(user)
    if expert is None:
        return False
    if consultation.status == ConsultationStatus.CLAIMED:
        return consultation.lawyer_id == expert.pk
    return consultation.status == ConsultationStatus.ESCALATED and consultation.adviser_id == expert.pk


def is_asker(user, consultation) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and consultation.asker_id == person.pk


def may_refer(user, consultation) -> bool:
    """legal.refer: turn the thread into a mediation case — the asker, the lawyer or adviser on it, or the
    office staff of its community."""
    from .choices import ConsultationStatus

    if consultation.status == ConsultationStatus.REFERRED:
        return False
    expert = expert_of(user)
    on_it = expert is not None and expert.pk in (consultation.lawyer_id, consultation.adviser_id)
    return is_asker(user, consultation) or on_it or has_perm(user, "legal.pool_manage", consultation)


def sees_asker(user, consultation) -> bool:
    """Who may know who asked (masked, 张*): the asker, the lawyers and adviser who may see the question, and the
    staff of its area. Other residents read the question and answers with no name at all."""
    from .selectors import consultations_for_lawyer

    if is_asker(user, consultation) or has_perm(user, "people.view", consultation) and _is_staff(user):
        return True
    expert = expert_of(user)
    return expert is not None and consultations_for_lawyer(expert).filter(pk=consultation.pk).exists()


def _is_staff(user) -> bool:
    from yishiting.common.rules import active_roles

    return user.is_superuser or any(r.role in STAFF or r.role == Role.ADMIN for r in active_roles(user))


def adviser_on(community, day=None):
    """The community's adviser post in force on `day` (today): the latest-started one."""
    from .models import AdviserPost

    day = day or timezone.localdate()
    return (AdviserPost.objects.filter(community=community, starts_on__lte=day, ends_on__gte=day)
            .select_related("expert__person").order_by("-starts_on", "-pk").first())
