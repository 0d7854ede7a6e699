"""`flush` as Django ships it, except that on SQLite it may empty the dossier tables, whose triggers refuse every
other delete (see yishiting/handling/models/archive.py). Tests that use `transaction=True` flush between tests."""

from django.core.management.commands.flush import Command as FlushCommand

from yishiting.handling.models.archive import archive_maintenance


class Command(FlushCommand):
    def handle(self, **options):
        with archive_maintenance():
            return super().handle(**options)
