"""Models of the handling app, one module per stage: 公 notices, 办 tasks, 督 supervision, 评 evaluation, 备 archive."""

from .archive import Dossier, DossierFile
from .evaluation import EvaluationRound, OrgAssessment, PartyRating, Rating
from .notices import LegalReview, Notice, Objection
from .supervision import Bulletin, SupervisionMember, SupervisionRecord, Warning
from .tasks import Extension, Milestone, ProgressReport, Task, TaskFile

__all__ = ["Bulletin", "Dossier", "DossierFile", "EvaluationRound", "Extension", "LegalReview", "Milestone", "Notice",
           "Objection", "OrgAssessment", "PartyRating", "ProgressReport", "Rating", "SupervisionMember",
           "SupervisionRecord", "Task", "TaskFile", "Warning"]
