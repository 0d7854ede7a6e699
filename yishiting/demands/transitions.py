"""The demand status table: screening ends a demand in exactly one outcome; escalation hands it upward."""

from .choices import Status

MODEL = "Demand"

TRANSITIONS: dict[str, set[str]] = {
    Status.PENDING: {Status.TOPIC, Status.HANDLING, Status.MEDIATION, Status.ESCALATED, Status.REJECTED,
                     Status.MERGED},
    Status.ESCALATED: {Status.TOPIC, Status.HANDLING, Status.MEDIATION, Status.ESCALATED, Status.REJECTED,
                       Status.MERGED},
    Status.TOPIC: set(),
    Status.HANDLING: set(),
    Status.MEDIATION: set(),
    Status.REJECTED: set(),
    Status.MERGED: set(),
}
