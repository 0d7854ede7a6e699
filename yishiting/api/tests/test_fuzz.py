"""Schemathesis fuzzes every operation of /api/v1/openapi.json as a resident, community staff, a district official
and anonymously, through the real WSGI stack (the fast paths in front of Django): no input may be answered with
a 5xx, and every answer must match the schema (status, content type, body).

Deterministic: Hypothesis is derandomized (a fixed seed), so a failure reproduces; every case runs in a savepoint
that is rolled back, so one case cannot change the next. Each generated case is sent once as each of the four
(derandomized, the personas would draw the very same cases: generating them once saves three quarters of the
generation, which is most of the fuzzer's time); the operations are split into two halves that run as two tests,
so that the two test processes share them. Bounded: a few examples per operation and mode
(FUZZ_EXAMPLES raises it for a longer hunt: `FUZZ_EXAMPLES=200 pytest yishiting/api/tests/test_fuzz.py`;
FUZZ_ONLY=/public fuzzes only the operations whose path holds it).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from yishiting.accounts.services import token_create

from .fuzz_world import fixed_ids, seed

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
ONLY = os.environ.get("FUZZ_ONLY", "")  # e.g. FUZZ_ONLY=/public: only the operations whose path holds it
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@contextmanager
def keeping_the_connection():
    """The request signals leave the test's connection alone while the application answers (as Django's test
    client does around each request): the test's transaction is on it, and closing it would end the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


PERSONAS = (None, "resident", "community_staff", "district_official")
SHARDS = 2


def _run_operation(operation, mode, logins: dict, path_parameters: dict | None, failures: dict) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def one(case):
        for persona, headers in logins.items():
            with keeping_the_connection(), transaction.atomic():
                response = case.call(app=application, headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except FailureGroup as group:
                    key = (operation.label, persona or "anonymous",
                           tuple(sorted({type(f).__name__ for f in group.exceptions})))
                    failures.setdefault(key, str(group)[:3000])
                transaction.set_rollback(True)

    try:
        one()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # nothing to get wrong (no parameters, no body)


def _logins(world) -> dict:
    """Persona (None: anonymous) → the headers its requests carry."""
    logins: dict = {}
    for persona in PERSONAS:
        logins[persona] = {}
        if persona is not None:
            _, secret = token_create(actor=world.users[persona], name="fuzz")
            logins[persona]["Authorization"] = f"Bearer {secret}"
    return logins


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_input_is_a_server_error_or_off_schema(world, shard, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads (a plan, attachments) go to the test's own folder
    ids = fixed_ids(seed(world))
    logins = _logins(world)
    with keeping_the_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: dict = {}
    started = time.monotonic()
    took: dict[str, float] = {}
    for index, result in enumerate(schema.get_all_operations()):
        operation, begun = result.ok(), time.monotonic()
        if ONLY not in operation.path or index % SHARDS != shard:
            continue
        names = [p.name for p in operation.path_parameters]
        known = {name: ids[name] for name in names if name in ids}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run_operation(operation, mode, logins, None, failures)
        if known:
            _run_operation(operation, GenerationMode.POSITIVE, logins, known, failures)
        took[operation.label] = time.monotonic() - begun
    elapsed = time.monotonic() - started
    slowest = sorted(took.items(), key=lambda item: -item[1])[:8]
    print(f"fuzz, half {shard + 1} of {SHARDS}, as {len(logins)} personas: {len(took)} operations in {elapsed:.0f}s;",
          "slowest:", ", ".join(f"{label} {seconds:.1f}s" for label, seconds in slowest))
    assert took or ONLY, "no operation fuzzed"
    report = "\n\n".join(f"{label} as {persona} {kinds}:\n{text}"
                          for (label, persona, kinds), text in sorted(failures.items()))
    assert not failures, f"{len(failures)} failing operations in {elapsed:.0f}s:\n{report}"
