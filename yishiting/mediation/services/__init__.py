"""Every write of the mediation app (architecture rule 1): `<entity>_<verb>(*, actor, …)`, atomic, returning the
object. See /work/wt/_notes/mediation-contract.md (and docs/states/mediationcase.md) for the map."""

from .agreements import (
    ObligationInput,
    agreement_abandon,
    agreement_attach_scan,
    agreement_confirmation_record,
    agreement_draft,
    agreement_remind,
    agreement_sign,
    agreement_stamp,
    obligation_check,
)
from .attempts import Ending, attempt_record, case_escalate, case_fail, case_withdraw
from .cases import (
    PartyInput,
    case_accept,
    case_apply,
    case_link,
    case_open,
    case_open_from_demands,
    case_set_hearing,
    mediator_assign,
    mediator_refuse,
    mediator_step_aside,
    party_add,
    party_consent,
    party_state,
)
from .closing import case_archive, case_close, case_rate, visit_record
from .setup import (
    committee_create,
    committee_member_add,
    committee_member_remove,
    dispute_type_save,
    template_save,
)

__all__ = [
    "Ending", "ObligationInput", "PartyInput", "agreement_abandon", "agreement_attach_scan", "agreement_confirmation_record",
    "agreement_draft", "agreement_remind", "agreement_sign", "agreement_stamp", "attempt_record", "case_accept",
    "case_apply", "case_archive", "case_close", "case_escalate", "case_fail", "case_link", "case_open",
    "case_open_from_demands", "case_rate", "case_set_hearing", "case_withdraw", "committee_create",
    "committee_member_add", "committee_member_remove", "dispute_type_save", "template_save", "mediator_assign", "mediator_refuse", "mediator_step_aside",
    "obligation_check", "party_add", "party_consent", "party_state", "visit_record",
]
