"""Telling people things: an in-app notification, and for those with a phone a delivery per channel they chose
(SMS, WeChat) in the same transaction — the outbox that notifications.delivery sends."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from yishiting.areas.models import Person

from .delivery import deliveries_queue
from .models import Notification


def notify(*, person: Person | None, text: str, link: str = "", subject: models.Model | None = None,
           sms: bool = True, urgent: bool = False) -> Notification | None:
    """Record the notification and its deliveries; they leave only if the surrounding transaction commits.
    `urgent`: sent even in the person's quiet hours, past the daily cap and outside their digest."""
    notification = notification_new(person=person, text=text, link=link, subject=subject, sms=sms)
    if notification is not None:
        with transaction.atomic():
            notification.save()
            deliveries_queue([notification], urgent=urgent)
    return notification


def notify_many(*, people: Iterable[Person | None], text: str, link: str = "", subject: models.Model | None = None,
                sms: bool = True) -> list[Notification]:
    """`notify` for several people in one INSERT (a meeting's participants, a topic's reporters): the same rows
    and the same texts after commit, one round trip instead of one per person."""
    return notifications_save([notification_new(person=person, text=text, link=link, subject=subject, sms=sms)
                               for person in people])


def notifications_save(notifications: Iterable[Notification | None]) -> list[Notification]:
    """Insert notifications made by `notification_new` (each may have its own text) together."""
    rows = [notification for notification in notifications if notification is not None]
    if rows:
        with transaction.atomic():
            Notification.objects.bulk_create(rows)
            deliveries_queue(rows)
    return rows


def notification_new(*, person: Person | None, text: str, link: str = "", subject: models.Model | None = None,
                     sms: bool = True) -> Notification | None:
    """`notify` without the save, for a caller that inserts the row with others (common.inserts) in the same
    transaction and then calls `sms_after_commit` (the deliveries) in it too."""
    return notification_row(person=person, text=text, link=link, subject=subject, sms=sms)


def notification_row(*, person: Person | None, text: str, link: str = "", subject: models.Model | None = None,
                     sms: bool = True) -> Notification | None:
    """The unsaved row alone, nothing queued: for a statement that fills in part of the text itself (the
    demand number, demands.submit_sql), whose caller then calls `sms_after_commit` with the final text."""
    if person is None:
        return None
    return Notification(
        person=person, text=text[:500], link=link, sent_by_sms=bool(sms and person.mobile),
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
    )


def sms_after_commit(notification: Notification, text: str | None = None) -> None:
    """Queue the deliveries of a notification its caller inserted itself, in the caller's transaction. Nothing
    is sent from here (notifications.delivery): a provider that fails or is down never answers the caller with
    an error for a write that happened, nor keeps it waiting."""
    if text is not None:
        notification.text = text[:500]
    deliveries_queue([notification])


def notifications_for(person: Person) -> models.QuerySet[Notification]:
    return Notification.objects.filter(person=person)


def notifications_mark_read(*, actor, person: Person, ids: list[int]) -> int:
    """Mark some of a person's notifications read (their own "我的消息" page); returns how many changed.

    Only the person's own unread rows are touched, whoever is named in `ids`; reading leaves no event."""
    if not ids or actor is None or getattr(person, "user_id", None) != actor.pk:
        return 0
    return Notification.objects.filter(person=person, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


def unread_count(person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()
