"""The ledgers are append-only in the database too: a points or hours line can be neither updated nor deleted
(a correction is a new line). The mechanism (triggers on SQLite and PostgreSQL) is common.append_only's."""

from django.db import migrations

from yishiting.common.append_only import refuse_changes

REFUSE = "ledger_append_only: 积分和时长明细只能追加，不能修改或删除。"
TABLES = ("ledgers_pointentry", "ledgers_hourentry")


class Migration(migrations.Migration):

    dependencies = [
        ("ledgers", "0001_initial"),
        ("handling", "0003_archive_dossier_immutable"),
    ]

    operations = refuse_changes(TABLES, REFUSE, "ledgers_refuse_change")
