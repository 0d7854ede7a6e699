"""`/metrics` in Prometheus text format (docs/deploy.md, 监控指标).

Two kinds of figures:

- **counted in the web processes** — request latency per route, responses by status, database connections
  opened. granian runs several worker processes, so `yishiting serve` points prometheus_client's multiprocess
  mode at a directory (`METRICS_DIR`, default var/metrics, emptied at each start): each process writes its own
  file and a scrape, whichever process answers it, adds them all up. Without `PROMETHEUS_MULTIPROC_DIR` in the
  environment (tests, `runserver`) the figures are the answering process's own.
- **read from the database at scrape time** — the job queue (pending, failing, given up), messages by provider,
  channel and outcome (the Delivery records of the last 24 hours), PostgreSQL connections in use. These hold for
  every process and machine alike (workers and the scheduler need no metrics of their own) and cost a few
  indexed counts per scrape.

The route label is the URL pattern's name (`web:home`, `api:submit_demand`), never the raw path: a bounded set.
Requests that match no pattern are `unmatched`, static files `static`.

Only for the networks in METRICS_ALLOWED_NETS (default 127.0.0.1/32 and ::1) — every address a request shows,
its peer's and those in X-Forwarded-For, must be inside — or for a request with `Authorization: Bearer
<METRICS_TOKEN>`. Anyone else gets the site's ordinary 404, as for a page that does not exist.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterable
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_SECONDS = Histogram(
    "yishiting_http_request_duration_seconds",
    "Time to answer a request (until the response's body is returned), by route",
    ["route", "method"],
    buckets=BUCKETS,
)
RESPONSES = Counter(
    "yishiting_http_responses_total", "Responses by route and status code", ["route", "method", "status"]
)
CONNECTIONS_OPENED = Counter(
    "yishiting_db_connections_opened_total",
    "Database connections opened by the web processes (persistent ones are reused)",
    ["alias"],
)


def _on_connection(sender, connection, **kwargs) -> None:  # noqa: ARG001
    CONNECTIONS_OPENED.labels(connection.alias).inc()


connection_created.connect(_on_connection, dispatch_uid="yishiting.metrics.connection_created")


def observe(route: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    try:
        REQUEST_SECONDS.labels(route, method).observe(seconds)
        RESPONSES.labels(route, method, str(status)).inc()
    except OSError:  # the multiprocess directory went away: the figures are lost, never the request
        log.warning("metrics: cannot record a request", exc_info=True)


# --- who may read them ---------------------------------------------------------------------------------------


@cache
def _allowed_networks(nets: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(net, strict=False) for net in nets if net.lower() != "none")


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [::1]:1234
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 10.0.0.1:1234
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def allowed(environ: dict) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        sent = environ.get("HTTP_AUTHORIZATION", "")
        if sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
            return True
    networks = _allowed_networks(tuple(settings.METRICS_ALLOWED_NETS))
    if not networks:
        return False
    shown = [environ.get("REMOTE_ADDR", "")]
    shown += environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if environ.get("HTTP_X_FORWARDED_FOR") else []
    shown += [environ["HTTP_X_REAL_IP"]] if environ.get("HTTP_X_REAL_IP") else []
    for text in shown:  # a forwarded request is judged by its client, never by the proxy's loopback address
        address = _address(text)
        if address is None or not any(address in net for net in networks):
            return False
    return True


# --- what they say -------------------------------------------------------------------------------------------


class DatabaseCollector(Collector):
    """The figures read at scrape time (see the module docstring). A query that fails leaves its families out
    and counts in yishiting_metrics_errors: the request figures are still served."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        errors = 0
        for part in (self._jobs, self._queue, self._messages, self._connections):
            try:
                yield from part()
            except Exception:
                log.warning("metrics: %s failed", part.__name__, exc_info=True)
                errors += 1
        failed = GaugeMetricFamily("yishiting_metrics_errors", "Database figures left out of this scrape")
        failed.add_metric([], errors)
        yield failed

    def _jobs(self) -> Iterable[GaugeMetricFamily]:
        from django.db.models import Count, Q

        from .models import Job

        limit = settings.JOBS_MAX_ATTEMPTS
        counts = Job.objects.filter(done_at=None).aggregate(
            pending=Count("pk", filter=Q(attempts__lt=limit)),
            failing=Count("pk", filter=Q(attempts__lt=limit) & ~Q(last_error="")),
            gave_up=Count("pk", filter=Q(attempts__gte=limit)),
        )
        for name, help_text in (
            ("pending", "Background jobs recorded and not done (common.Job outbox), still to run or running"),
            ("failing", "Jobs not done whose last run failed; they are run again"),
            ("gave_up", f"Jobs not done after JOBS_MAX_ATTEMPTS ({limit}) runs: they wait for an operator"),
        ):
            family = GaugeMetricFamily(f"yishiting_jobs_{name}", help_text)
            family.add_metric([], counts[name])
            yield family

    def _queue(self) -> Iterable[GaugeMetricFamily]:
        from .jobs import queue_is_database

        if not queue_is_database():
            return
        from django.db.models import Count
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        rows = dict(
            DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        family = GaugeMetricFamily(
            "yishiting_queue_tasks", "Tasks in the database queue, by status", labels=["status"]
        )
        for status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            family.add_metric([str(status).lower()], rows.get(status, 0))
        yield family

    def _messages(self) -> Iterable[GaugeMetricFamily]:
        from django.db.models import Count

        from yishiting.notifications.models import Delivery

        since = timezone.now() - timedelta(hours=24)
        rows = (
            Delivery.objects.filter(state__in=Delivery.State.values, created_at__gte=since)
            .values_list("provider", "channel", "state")
            .annotate(n=Count("pk"))
            .order_by()
        )
        family = GaugeMetricFamily(
            "yishiting_messages_24h",
            "Messages created in the last 24 hours, by provider, channel and state "
            "(queued, sending, sent, delivered, failed, held, digested, capped)",
            labels=["provider", "channel", "state"],
        )
        for provider, channel, state, n in rows:
            family.add_metric([provider or "none", channel, state], n)
        yield family

    def _connections(self) -> Iterable[GaugeMetricFamily]:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(state, 'other'), count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_type = 'client backend' GROUP BY 1"
            )
            rows = cursor.fetchall()
            cursor.execute("SELECT current_setting('max_connections')::int")
            (maximum,) = cursor.fetchone()
        family = GaugeMetricFamily(
            "yishiting_db_connections",
            "PostgreSQL client connections to this database (every process and machine), by state",
            labels=["state"],
        )
        for state, n in rows:
            family.add_metric([state], n)
        yield family
        limit = GaugeMetricFamily("yishiting_db_max_connections", "PostgreSQL's max_connections")
        limit.add_metric([], maximum)
        yield limit


_DATABASE = DatabaseCollector()


def exposition() -> tuple[bytes, str]:
    """The text a scrape gets and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    database = CollectorRegistry(auto_describe=False)
    database.register(_DATABASE)
    return counted + generate_latest(
        database
    ), CONTENT_TYPE_PLAIN_0_0_4  # what Prometheus asks for by default
