"""Status table of a 云律团 consultation (docs/states/consultation.md).

A question waits for a lawyer of its field (待认领); one claims it (解答中 — the claim is the row lock, so of two
lawyers tapping at once exactly one wins), answers (已解答); a follow-up sends it back to whoever answered; the
resident's rating closes it. A question still unanswered when its deadline passes goes to the community's legal
adviser (已转法律顾问, by `yishiting tick`), who answers it. Any thread not yet closed may become a mediation case
(已转调解), and so may a rated one when the dispute goes on."""

from .choices import ConsultationStatus as C

CONSULTATION_TRANSITIONS: dict[str, set[str]] = {
    C.OPEN: {C.CLAIMED, C.ESCALATED, C.REFERRED},
    C.CLAIMED: {C.ANSWERED, C.ESCALATED, C.REFERRED},
    C.ANSWERED: {C.CLAIMED, C.ESCALATED, C.CLOSED, C.REFERRED},  # a follow-up goes back to whoever answered
    C.ESCALATED: {C.ANSWERED, C.REFERRED},
    C.CLOSED: {C.REFERRED},
    C.REFERRED: set(),
}

# Waiting for an answer: what the deadline (and so the tick's escalation) looks at.
AWAITING_ANSWER = {C.OPEN, C.CLAIMED}

MODEL, TRANSITIONS = "Consultation", CONSULTATION_TRANSITIONS  # docs/states/consultation.md (`yishiting states`)
