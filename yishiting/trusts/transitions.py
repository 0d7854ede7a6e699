"""Status tables (docs/states/expense.md, docs/states/reversal.md, docs/states/disclosure.md).

An expense waits for both sides of the 双密码 (业委会 and 物业公司): the second approval pays it (the ledger line is
written in the same transaction); a refusal by either side ends it. A refused expense is never reopened: a
corrected one is proposed anew (it names the one it corrects). A reversal (冲正申请) goes the same way: the second
approval posts the reversing line(s), a refusal ends it (a new request may follow). A disclosure is drafted, then published for good."""

from .choices import DisclosureStatus as D
from .choices import ExpenseStatus as S
from .choices import ReversalStatus as R

EXPENSE_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.REFUSED},
    S.PAID: set(),
    S.REFUSED: set(),
}

REVERSAL_TRANSITIONS: dict[str, set[str]] = {
    R.PENDING: {R.POSTED, R.REFUSED},
    R.POSTED: set(),
    R.REFUSED: set(),
}

DISCLOSURE_TRANSITIONS: dict[str, set[str]] = {D.DRAFT: {D.PUBLISHED}, D.PUBLISHED: set()}

TABLES = {"Expense": EXPENSE_TRANSITIONS, "Reversal": REVERSAL_TRANSITIONS, "Disclosure": DISCLOSURE_TRANSITIONS}  # docs/states (`yishiting states`)
