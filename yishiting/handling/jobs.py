"""The handling app's background jobs (yishiting/common/jobs.py), registered in HandlingConfig.ready():

- `handling.dossier_files`: a dossier's PDF and DOCX, rendered once after archiving and stored (DossierFile);
  enqueued by the archive service in the archiving transaction;
- `handling.tick`: the tick (handling/tick.py), enqueued each hour by the scheduler.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime

from django.core.files.base import ContentFile

from yishiting.common.jobs import register_job
from yishiting.common.schedule import register_periodic

from .dossier_render import dossier_docx, dossier_pdf
from .models import Dossier, DossierFile
from .tick import tick_run

logger = logging.getLogger(__name__)
RENDERERS = {DossierFile.Kind.PDF: dossier_pdf, DossierFile.Kind.DOCX: dossier_docx}


def dossier_files_render(*, dossier_id: int) -> str:
    """Render and keep the PDF and DOCX a dossier has not got yet (atomic: a run that dies keeps nothing)."""
    dossier = Dossier.objects.get(pk=dossier_id)
    have = set(DossierFile.objects.filter(dossier=dossier).values_list("kind", flat=True))
    # Render first, write last: on SQLite the transaction takes the write lock only at its first write.
    rendered = {kind: render(dossier) for kind, render in RENDERERS.items() if kind not in have}
    for kind, content in rendered.items():
        stored = DossierFile(dossier=dossier, kind=kind, sha256=hashlib.sha256(content).hexdigest(), size=len(content))
        stored.file.save(f"{dossier.number}.{kind}", ContentFile(content), save=False)
        stored.save()
    return f"{dossier.number}：" + ("、".join(rendered) or "已有")


def tick_job(*, today: str) -> str:
    lines, warnings = tick_run(date.fromisoformat(today))
    for warning in warnings:
        logger.warning(warning)
    return "\n".join(lines)


def _today(now: datetime) -> dict[str, str]:
    return {"today": now.date().isoformat()}


def install() -> None:
    register_job("handling.dossier_files", dossier_files_render)
    register_job("handling.tick", tick_job, atomic=False)  # each part commits on its own and is idempotent
    register_periodic("handling.tick", every="hour", kwargs=_today)
