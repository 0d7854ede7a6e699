"""Status tables (docs/states/expense.md, docs/states/disclosure.md).

An expense waits for both sides of the 双密码 (业委会 and 物业公司): the second approval pays it (the ledger line is
written in the same transaction); a refusal by either side ends it. A refused expense is never reopened: a
corrected one is proposed anew (it names the one it corrects). A disclosure is drafted, then published for good."""

from .choices import DisclosureStatus as D
from .choices import ExpenseStatus as S

EXPENSE_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.REFUSED},
    S.PAID: set(),
    S.REFUSED: set(),
}

DISCLOSURE_TRANSITIONS: dict[str, set[str]] = {D.DRAFT: {D.PUBLISHED}, D.PUBLISHED: set()}

TABLES = {"Expense": EXPENSE_TRANSITIONS, "Disclosure": DISCLOSURE_TRANSITIONS}  # docs/states (`yishiting states`)
