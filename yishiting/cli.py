"""The `yishiting` console command: Django's management commands, with the project's own under short names.

    yishiting demo [--scale N]        build the demo district (idempotent) and print the logins
    yishiting serve                   serve with granian (production WSGI server) on 127.0.0.1:8000
    yishiting import-areas FILE.xlsx  import the area tree and households (nothing imported on any error)
    yishiting verify                  recompute every event-log hash chain, reconcile the tables with their events
    yishiting anchor [--month M]      the monthly anchor: every chain's head, signed, in var/anchors/M.json
    yishiting worker [--batch]        run background jobs (queue: TASKS_BACKEND=db|rq; docs/deploy.md)
    yishiting scheduler [--once]      enqueue the tick (hourly) and the roll-ups (each minute); one at a time
    yishiting partitions [--list]     the event log's monthly partitions (PostgreSQL): make the months ahead, list
    yishiting purge-audit             delete audit entries older than AUDIT_RETENTION_DAYS (≥ 180)
    yishiting deliver                 send the text messages that are due (also part of `yishiting tick`)
    yishiting <any Django command>    migrate, createsuperuser, shell, …
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"配置错误：{exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
