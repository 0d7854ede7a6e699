"""Background jobs through the outbox (yishiting/common/jobs.py) and the scheduler (common/schedule.py), in this
process: recorded with the change that causes them or not at all, once per key, run with their effect once, and
one scheduler at a time. The kill -9 tests with real worker processes are in test_jobs_kill.py."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from threading import Barrier, Thread

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yishiting.common.jobs import job_enqueue, jobs_recover, jobs_run_pending, run_job
from yishiting.common.management.commands.scheduler import scheduler_round
from yishiting.common.models import Event, Job, Lease
from yishiting.common.schedule import SCHEDULER_LEASE, lease_acquire
from yishiting.handling.dossier_render import dossier_file
from yishiting.handling.models import DossierFile
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.oversight.models import MonthlyReport
from yishiting.oversight.services import reports_tick

REPO = Path(__file__).resolve().parents[3]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def archived(world):
    topic = evaluating_topic(world)
    return dossier_archive(actor=world.users["community_secretary"], topic=topic)


@pytest.mark.django_db
def test_archiving_records_the_dossier_files_job_and_queues_it_in_the_same_transaction(archived):
    job = Job.objects.get(key=f"dossier_files:{archived.pk}")
    assert (job.name, job.kwargs, job.done_at) == ("handling.dossier_files", {"dossier_id": archived.pk}, None)
    assert DBTaskResult.objects.ready().filter(args_kwargs__args=[job.pk]).count() == 1
    assert job.enqueued_at is not None


@pytest.mark.django_db
def test_a_change_rolled_back_leaves_no_job_and_nothing_queued(world):
    topic = evaluating_topic(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_archive(actor=world.users["community_secretary"], topic=topic)
        raise RuntimeError("the request failed after archiving")
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_the_worker_renders_the_dossier_files_once_and_downloads_serve_them(archived):
    assert jobs_run_pending() == 1
    files = {f.kind: f for f in DossierFile.objects.filter(dossier=archived)}
    assert set(files) == {"pdf", "docx"}
    pdf = dossier_file(archived, "pdf")
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == files["pdf"].sha256
    job = Job.objects.get(key=f"dossier_files:{archived.pk}")
    assert job.done_at is not None and job.attempts == 1
    run_job.enqueue(job.pk)  # pushed twice (a recovery racing a slow worker): the second run does nothing
    assert jobs_run_pending() == 1
    assert DossierFile.objects.filter(dossier=archived).count() == 2
    assert Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db
def test_the_same_key_is_one_job(archived):
    job = Job.objects.get(key=f"dossier_files:{archived.pk}")
    again = job_enqueue("handling.dossier_files", key=job.key, dossier_id=archived.pk)
    assert again.pk == job.pk
    assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_run_is_pushed_again_after_the_lease_and_stops_after_max_attempts(world, settings):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = job_enqueue("handling.dossier_files", key="dossier_files:missing", dossier_id=0)
    jobs_run_pending()
    job.refresh_from_db()
    assert (job.attempts, job.done_at) == (1, None)
    assert job.last_error.startswith("DoesNotExist")
    assert jobs_recover() == 0  # within the lease: not yet
    later = timezone.now() + timedelta(seconds=settings.JOBS_LEASE_SECONDS + 1)
    assert jobs_recover(later) == 1
    jobs_run_pending()
    assert jobs_recover(later + timedelta(seconds=settings.JOBS_LEASE_SECONDS + 1)) == 0  # two attempts: given up
    assert Job.objects.get(pk=job.pk).attempts == 2


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_with_the_immediate_backend_the_job_runs_after_the_commit_and_not_before(archived, django_capture_on_commit_callbacks):
    # (the fixture archived under the database queue; this archive runs under the immediate one)
    Job.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_enqueue("handling.dossier_files", key="dossier_files:again", dossier_id=archived.pk)
        assert not DossierFile.objects.exists()  # not inside the transaction
    assert len(callbacks) == 1
    assert DossierFile.objects.filter(dossier=archived).count() == 2
    assert Job.objects.get(pk=job.pk).done_at is not None


@pytest.mark.django_db
def test_monthly_reports_are_one_job_per_area_and_a_second_tick_enqueues_none(world, settings):
    settings.TICK_MONTHLY_REPORTS = True
    today = timezone.localdate().replace(day=1)
    assert reports_tick(today)[0].endswith("入队 3 份，已有 0 份")
    assert reports_tick(today)[0].endswith("入队 0 份，已有 0 份")
    assert jobs_run_pending() == 3
    assert MonthlyReport.objects.count() == 3
    assert Event.objects.filter(kind="oversight.report_generated").count() == 3
    assert reports_tick(today)[0].endswith("入队 0 份，已有 3 份")


@pytest.mark.django_db
def test_one_scheduler_at_a_time_and_one_job_per_slot(world):
    now = timezone.now().replace(minute=5, second=0, microsecond=0)
    assert sorted(k.split("@")[0] for k in scheduler_round("a", now=now)) == [
        "handling.tick", "notifications.deliver", "notifications.receipts", "oversight.rollups"]
    assert scheduler_round("b", now=now + timedelta(seconds=10)) is None  # a holds the lease
    assert scheduler_round("a", now=now + timedelta(seconds=20)) == []  # same minute, same hour: nothing new
    # a stops; after its lease b takes over, and the hour's tick is still the one job
    later = now + timedelta(seconds=90)
    assert sorted(k.split("@")[0] for k in scheduler_round("b", now=later)) == [
        "notifications.deliver", "notifications.receipts", "oversight.rollups"]  # the minute's jobs
    assert Lease.objects.get(name=SCHEDULER_LEASE).holder == "b"
    assert Job.objects.filter(name="handling.tick").count() == 1
    jobs_run_pending()
    assert Job.objects.filter(done_at=None).count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_two_schedulers_at_once_one_takes_the_lease_and_each_slot_is_one_job():
    barrier, results = Barrier(2), {}

    def schedule(holder):
        try:
            barrier.wait()
            results[holder] = lease_acquire(SCHEDULER_LEASE, holder, seconds=60)
            barrier.wait()
            job_enqueue("oversight.rollups", key="oversight.rollups@race")
        finally:
            connection.close()

    threads = [Thread(target=schedule, args=(h,)) for h in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [False, True]
    assert Job.objects.filter(key="oversight.rollups@race").count() == 1


def test_the_embedded_worker_stops_with_the_process_that_started_it(tmp_path):
    """What `yishiting serve` starts beside granian (start_embedded_worker): a worker watching its parent's pid."""
    parent = subprocess.Popen([sys.executable, "-c", (
        "import subprocess, sys, time\n"
        "w = subprocess.Popen([sys.executable, '-c', 'import os, time\\n"
        "from yishiting.common.management.commands.worker import _watch_parent\\n"
        "_watch_parent(int(os.environ[\"P\"]))'], env={**__import__('os').environ, 'P': str(__import__('os').getpid())})\n"
        "print(w.pid, flush=True); time.sleep(60)")], cwd=REPO, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(200):
        try:
            Path(f"/proc/{child}").stat()
            status = Path(f"/proc/{child}/stat").read_text().split()[2]
        except FileNotFoundError:
            return
        if status == "Z":
            return
        time.sleep(0.1)
    pytest.fail("the embedded worker outlived the server")


@pytest.mark.django_db
def test_a_job_that_gave_up_is_retried_by_a_superuser_only(world, settings):
    from yishiting.accounts.models import User
    from yishiting.common.errors import PermissionDeniedError
    from yishiting.common.jobs import job_retry

    settings.JOBS_MAX_ATTEMPTS = 1
    job = job_enqueue("handling.dossier_files", key="dossier_files:gone", dossier_id=0)
    jobs_run_pending()
    later = timezone.now() + timedelta(seconds=settings.JOBS_LEASE_SECONDS + 1)
    assert jobs_recover(later) == 0  # gave up after one run
    with pytest.raises(PermissionDeniedError) as refused:
        job_retry(actor=world.users["street_official"], job=job)
    assert refused.value.message == "只有系统管理员可以重新运行后台任务。"
    admin = User.objects.create_superuser("jobs-admin", password="x-Yishiting@2026")
    assert job_retry(actor=admin, job=job) is True
    job.refresh_from_db()
    assert (job.attempts, job.last_error) == (0, "")
    assert jobs_run_pending() == 1 and Job.objects.get(pk=job.pk).attempts == 1
