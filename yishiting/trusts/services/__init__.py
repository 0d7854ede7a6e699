"""Every write of the trusts app (one service per write; see each module)."""

from .disclosures import disclosure_create, disclosure_line_add, disclosure_publish
from .expenses import expense_approve, expense_propose, expense_refuse, service_record_add
from .ledger import contract_on, income_post, money, remuneration_of
from .questions import question_answer, question_ask
from .reversals import reversal_approve, reversal_refuse, reversal_request

__all__ = ["contract_on", "disclosure_create", "disclosure_line_add", "disclosure_publish", "expense_approve",
           "expense_propose", "expense_refuse", "income_post", "money", "question_answer", "question_ask",
           "remuneration_of", "reversal_approve", "reversal_refuse", "reversal_request", "service_record_add"]
