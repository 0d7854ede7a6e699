from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from yishiting.common.audit import audit_record
from yishiting.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entry(days_ago: int) -> AuditEntry:
    entry = audit_record(action=AuditEntry.Action.LOGIN, outcome=AuditEntry.Outcome.SUCCESS, username=f"u{days_ago}")
    AuditEntry.objects.filter(pk=entry.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return entry


def test_purge_deletes_only_entries_older_than_retention(capsys):
    _entry(10), _entry(179), _entry(181), _entry(400)
    call_command("purge_audit")
    assert sorted(AuditEntry.objects.values_list("username", flat=True)) == ["u10", "u179"]
    assert "已删除 2 条" in capsys.readouterr().out


def test_purge_never_keeps_less_than_180_days(settings):
    _entry(200)
    with pytest.raises(CommandError, match="180"):
        call_command("purge_audit", days=30)
    call_command("purge_audit", days=365)
    assert AuditEntry.objects.count() == 1
