from .cases import CaseMediator, CaseParty, MediationCase
from .records import (
    Agreement,
    Attempt,
    MediationRating,
    MediationWarning,
    Obligation,
    ReturnVisit,
    Signature,
)
from .setup import CommitteeMember, DisputeType, MediationCommittee, MediationTemplate

__all__ = ["Agreement", "Attempt", "CaseMediator", "CaseParty", "CommitteeMember", "DisputeType",
           "MediationCase", "MediationCommittee", "MediationRating", "MediationTemplate", "MediationWarning",
           "Obligation", "ReturnVisit", "Signature"]
