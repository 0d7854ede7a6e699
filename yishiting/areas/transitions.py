"""The household claim status table: a claim is decided once (approved or rejected) or withdrawn by its person."""

from .choices import ClaimStatus

MODEL = "HouseholdClaim"

TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.PENDING: {ClaimStatus.APPROVED, ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN},
    ClaimStatus.APPROVED: set(),
    ClaimStatus.REJECTED: set(),
    ClaimStatus.WITHDRAWN: set(),
}
