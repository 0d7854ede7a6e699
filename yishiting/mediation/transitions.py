"""Status tables of the mediation app (docs/states/mediationcase.md, agreement.md).

A case waits for a mediator to accept it (待受理): the parties must agree to be mediated (art. 17), and one who
refuses ends it (→ 已结案, outcome 当事人不同意调解, with the guidance given). While 调解中 the "三二一" tiers run
(the tier is a field, not a status: moving up keeps the case mediating). A successful attempt → 已达成协议;
the top tier's last attempt failing → 已结案 (调解不成) in the same call that records it, with the guidance
given to the parties (诉调对接) — or earlier, the mediator ending it as 调解不成 or the parties withdrawing (撤回). An agreement being performed ends
with the return visit → 已结案; an unsigned agreement may go back to mediating. Closed cases are archived (一事一档).
"""

from .choices import AgreementStatus as A
from .choices import CaseStatus as S

CASE_TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.MEDIATING, S.CLOSED},
    S.MEDIATING: {S.AGREED, S.CLOSED},
    S.AGREED: {S.MEDIATING, S.CLOSED},
    S.CLOSED: {S.ARCHIVED},
    S.ARCHIVED: set(),
}

# Cases still being worked: what the deadline warnings look at.
OPEN_CASE = {S.OPEN, S.MEDIATING, S.AGREED}

AGREEMENT_TRANSITIONS: dict[str, set[str]] = {A.DRAFT: {A.EFFECTIVE}, A.EFFECTIVE: set()}

TABLES = {"MediationCase": CASE_TRANSITIONS, "Agreement": AGREEMENT_TRANSITIONS}
