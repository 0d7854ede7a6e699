"""Reads of the trusts app: what a person may see (trusts.view scope), a fund's lines and monthly statements."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from yishiting.common.rules import scope_for

from .choices import DisclosureStatus, EntryKind, ExpenseStatus, LineKind, ReversalStatus
from .models import Disclosure, Entry, Expense, Question, Reversal, ServiceRecord, TrustFund
from .rules import committee_of, side_of


def funds_visible_to(user) -> QuerySet[TrustFund]:
    return (TrustFund.objects.filter(scope_for(user, "trusts.view").q("path"))
            .select_related("estate", "owners_committee", "property_company"))


def disclosures_visible_to(user) -> QuerySet[Disclosure]:
    """Published disclosures in scope, and the drafts of the committee the user represents."""
    rows = Disclosure.objects.filter(scope_for(user, "trusts.view").q("path")).select_related("estate",
                                                                                             "owners_committee")
    drafts = [d.pk for d in rows.filter(status=DisclosureStatus.DRAFT) if committee_of(user, d.estate)]
    return rows.filter(Q(status=DisclosureStatus.PUBLISHED) | Q(pk__in=drafts))


def entries_of(fund: TrustFund) -> QuerySet[Entry]:
    return (fund.entries.select_related("expense", "reverses", "posted_by")
            .annotate(question_count=Count("questions")).order_by("-seq"))


def entry_detail(fund_qs: QuerySet[TrustFund], pk: int) -> Entry | None:
    return (Entry.objects.filter(fund__in=fund_qs, pk=pk)
            .select_related("fund__estate", "expense__proposed_by", "reverses", "income", "contract", "posted_by")
            .first())


def questions_of(entry: Entry) -> QuerySet[Question]:
    return entry.questions.select_related("asked_by", "answered_by")


def pending_expenses(fund: TrustFund) -> QuerySet[Expense]:
    return (fund.expenses.filter(status=ExpenseStatus.PENDING).select_related("proposed_by")
            .prefetch_related("approvals"))


def pending_reversals(fund: TrustFund) -> QuerySet[Reversal]:
    return (fund.reversals.filter(status=ReversalStatus.PENDING).select_related("entry", "requested_by")
            .prefetch_related("approvals"))


def reversals_of(entry: Entry) -> QuerySet[Reversal]:
    """The requests to reverse this line, newest first (refused ones stay, with both sides' decisions)."""
    return entry.reversal_requests.select_related("line").prefetch_related("approvals")


def expenses_of(fund: TrustFund) -> QuerySet[Expense]:
    return fund.expenses.select_related("proposed_by", "corrects").prefetch_related("approvals__person")


def services_of(fund: TrustFund) -> QuerySet[ServiceRecord]:
    return fund.services.select_related("expense")


def open_questions(fund: TrustFund) -> QuerySet[Question]:
    return (Question.objects.filter(entry__fund=fund, answered_at__isnull=True).select_related("entry", "asked_by")
            .order_by("asked_at"))


def months_of(fund: TrustFund) -> list[tuple[int, int]]:
    days = fund.entries.dates("booked_on", "month", order="DESC")
    return [(d.year, d.month) for d in days]


@dataclass
class Statement:
    fund: TrustFund
    year: int
    month: int
    first: date
    last: date
    opening: Decimal
    lines: list[Entry] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def closing(self) -> Decimal:
        return (self.opening + self.totals[EntryKind.INCOME] - self.totals[EntryKind.REMUNERATION]
                - self.totals[EntryKind.EXPENSE])


FEN = Decimal("0.01")


def _sums(rows: QuerySet[Entry]) -> dict[str, Decimal]:
    found = dict(rows.values_list("kind").annotate(total=Sum("amount")).order_by())
    return {kind: Decimal(found.get(kind) or 0).quantize(FEN) for kind in EntryKind.values}


def statement(fund: TrustFund, year: int, month: int) -> Statement:
    """A month's lines by booking date, the opening balance (all lines before it) and the month's totals."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    before = _sums(fund.entries.filter(booked_on__lt=first))
    opening = before[EntryKind.INCOME] - before[EntryKind.REMUNERATION] - before[EntryKind.EXPENSE]
    month_rows = fund.entries.filter(booked_on__range=(first, last))
    lines = list(month_rows.select_related("expense", "reverses").order_by("booked_on", "seq"))
    return Statement(fund, year, month, first, last, opening, lines, _sums(month_rows))


def ledger_sums(fund: TrustFund) -> dict[str, Decimal]:
    """The sums of every line by kind (what the fund's totals must equal)."""
    return _sums(fund.entries.all())


def disclosure_totals(disclosure: Disclosure) -> dict[str, Decimal]:
    found = dict(disclosure.lines.values_list("kind").annotate(total=Sum("amount")).order_by())
    return {kind: Decimal(found.get(kind) or 0).quantize(FEN) for kind in LineKind.values}


def desk_funds(user) -> list[TrustFund]:
    """The funds this user keeps or supervises (the offices' desk)."""
    return [f for f in funds_visible_to(user) if side_of(user, f) or scope_for(user, "trusts.supervise").covers_path(f.path)]


def committee_estates(user) -> list:
    """The estates without a trust fund whose 业委会 this user represents: where they may draft a quarter's
    disclosure (the page `/trust/disclosures/new/` and `POST /api/v1/trust/disclosures`)."""
    from yishiting.areas.models import Area

    if not user.is_authenticated:
        return []
    estates = Area.objects.filter(organizations__role_assignments__person__user_id=user.pk,
                                  organizations__role_assignments__is_active=True,
                                  organizations__kind="owners_committee").distinct()
    return [e for e in estates if committee_of(user, e) and not hasattr(e, "trust_fund")]
