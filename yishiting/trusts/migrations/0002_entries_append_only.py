"""The trust fund's ledger is append-only in the database too: a line can be neither updated nor deleted (a
correction is a reversing line). The mechanism is common.append_only's (as ledgers' points and hours)."""

from django.db import migrations

from yishiting.common.append_only import refuse_changes

REFUSE = "trust_append_only: 信托账目只能追加，不能修改或删除。"


class Migration(migrations.Migration):

    dependencies = [
        ("trusts", "0001_initial"),
        ("handling", "0003_archive_dossier_immutable"),
    ]

    operations = refuse_changes(("trusts_entry",), REFUSE, "trusts_refuse_change")
