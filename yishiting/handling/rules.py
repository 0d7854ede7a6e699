"""Who may publicise, handle, supervise, evaluate and archive (scope kinds in common/rules.py).

Residents see the public side of their community's matters (notices, bulletins, archives) and object and rate as
residents — whether a person may object or rate is decided by the notice's or round's scope in the services, not
by a role. Office roles draft notices, assign tasks, approve extensions, verify 销号 and archive; street and
district officials do legality reviews and organisation scores; handlers work the tasks assigned to them.
"""

from django.utils.translation import gettext_noop

from yishiting.areas.choices import Role
from yishiting.areas.rules import MEMBERS, OFFICE, STAFF
from yishiting.common.rules import ScopeKind, register

S, OWN = ScopeKind.SUBTREE, ScopeKind.OWN
LEADERS = {Role.STREET_OFFICIAL: S, Role.DISTRICT_OFFICIAL: S}

HANDLING_VIEW = register("handling.view", gettext_noop("查看公示、办理、督办和评价"), {**MEMBERS, **STAFF, Role.HANDLER: OWN})
NOTICES_MANAGE = register("handling.notices", gettext_noop("拟写和发布公示、答复异议"), {**OFFICE})
LEGAL_REVIEW = register("handling.legal_review", gettext_noop("合法性审核"), {**LEADERS})
TASKS_MANAGE = register("handling.tasks", gettext_noop("交办任务、审批延期、核验销号"), {**OFFICE})
TASKS_WORK = register("handling.work", gettext_noop("办理任务：报告进展、退回、申请延期、提交销号"),
                      {**STAFF, Role.HANDLER: OWN})
SUPERVISE = register("handling.supervise", gettext_noop("记录督办、发布进度通报"), {**OFFICE, Role.GRID_LEADER: S})
EVALUATE_ORG = register("handling.assess", gettext_noop("组织考评"), {**LEADERS})
ARCHIVE_MANAGE = register("handling.archive", gettext_noop("归档（一事一档）"), {**OFFICE})


def may_view_topic(user, topic_id: int | None) -> bool:
    """deliberation.view on this topic (held in, or reaching into, the user's scope): the test every link to a
    topic page uses, the same selector the page itself answers 404 by."""
    from yishiting.deliberation.selectors.topics import topics_visible_to

    return bool(topic_id) and topics_visible_to(user).filter(pk=topic_id).exists()


def may_view_progress(user, topic_id: int | None) -> bool:
    """handling.progress: a topic's public progress bulletin — whoever sees the topic, and the handlers of its
    tasks (a unit's handler works one task of a topic outside their own scope)."""
    from yishiting.areas.selectors import person_for_user

    from .models import Task

    if not topic_id:
        return False
    person = person_for_user(user)
    return may_view_topic(user, topic_id) or (
        person is not None and Task.objects.filter(topic_id=topic_id, handler=person).exists())


def may_view_task_files(user, task) -> bool:
    """The photos and files of a task: whoever sees the task, and the residents invited to rate it — the
    reporter of a direct-handling demand, anyone who sees the topic's evaluation round."""
    from yishiting.areas.selectors import person_for_user

    from .selectors.evaluation import rateable_tasks, rounds_visible_to
    from .selectors.tasks import tasks_visible_to

    if tasks_visible_to(user).filter(pk=task.pk).exists():
        return True
    if task.topic_id:
        return rounds_visible_to(user).filter(topic_id=task.topic_id).exists()
    return rateable_tasks(person_for_user(user)).filter(pk=task.pk).exists()
