"""一事一档 as a PDF for a 50-event matter: how long one render takes (target p95 < 1 s).

    .venv/bin/python bench/dossier.py                 # PostgreSQL yishiting_bench_dossier, 40 renders
    .venv/bin/python bench/dossier.py --runs 100 --events 80

Builds, inside one transaction that is rolled back at the end (the database stays empty, re-runs are alike),
the fixed personas and one whole matter through the services: a resident's demand with a photo, the topic,
its meeting and resolution, publicity, a task reported on with a photo each time until the matter holds
`--events` events, 销号, a closed evaluation round; then archives it (assembling the dossier from the event
log, sealing it) and renders the stored dossier to PDF `--runs` times (WeasyPrint, CJK fonts embedded), and
to DOCX. Prints the sizes, pages and the median / p95 / max of each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _setup import database_label, machine_label, percentile, setup

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_dossier"
BASE_EVENTS = 16  # what the matter holds with one progress report (demand, topic, meeting, notice, task, round)


class Rollback(Exception):
    """Raised at the end so the transaction holding the bench data never commits."""


def timed(fn, runs: int) -> tuple[list[float], list[float], object]:
    """Wall-clock and CPU milliseconds of each call (CPU time tells what a render costs on a busy machine)."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return times, cpu, result


def pages_of(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        Path(f.name).write_bytes(pdf)
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def line(label: str, times: list[float]) -> str:
    return (f"{label}: 中位 {statistics.median(times):.0f} ms，p95 {percentile(times, 0.95):.0f} ms，"
            f"最大 {max(times):.0f} ms（{len(times)} 次）")


def run(events: int, runs: int) -> None:
    from django.db import transaction

    from yishiting.common.testing import build_world
    from yishiting.handling.dossier_render import dossier_docx, dossier_pdf
    from yishiting.handling.services.archive import dossier_archive
    from yishiting.handling.tests.archive_world import evaluating_topic

    try:
        with transaction.atomic():
            world = build_world()
            topic = evaluating_topic(world, reports=max(1, events - BASE_EVENTS + 1))
            start = time.perf_counter()
            dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
            archive_ms = (time.perf_counter() - start) * 1000
            dossier_pdf(dossier)  # warm up: fonts and templates load once per process
            pdf_times, pdf_cpu, pdf = timed(lambda: dossier_pdf(dossier), runs)
            docx_times, docx_cpu, docx = timed(lambda: dossier_docx(dossier), max(5, runs // 4))
            print(f"数据库：{database_label()}；机器：{machine_label()}")
            print(f"事项：{dossier.content['event_count']} 条记录，{len(dossier.content['attachments'])} 个附件；"
                  f"归档（组装 + 封存）{archive_ms:.0f} ms")
            print(f"PDF {len(pdf) / 1024:.0f} KB，{pages_of(pdf)} 页；DOCX {len(docx) / 1024:.0f} KB")
            print(line("PDF 渲染（墙钟）", pdf_times))
            print(line("PDF 渲染（CPU）", pdf_cpu))
            print(line("DOCX 生成（墙钟）", docx_times))
            print(line("DOCX 生成（CPU）", docx_cpu))
            verdict = "达到" if percentile(pdf_times, 0.95) < 1000 else "未达到"
            print(f"目标 PDF p95 < 1 s（墙钟）：{verdict}；机器繁忙时请看 CPU 时间或待空闲时重跑")
            raise Rollback
    except Rollback:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="数据库（不能是测试库）")
    parser.add_argument("--events", type=int, default=50, help="事项的记录条数（约数）")
    parser.add_argument("--runs", type=int, default=40, help="PDF 渲染次数")
    args = parser.parse_args()
    setup(args.url)
    run(args.events, args.runs)


if __name__ == "__main__":
    main()
