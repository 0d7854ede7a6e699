"""The agreement (调解协议): drafted, signed, stamped, effective; judicial confirmation; performance.

Transitions performed here (docs/states/agreement.md): draft → effective (event agreement.effective on the case's
chain: the agreement is part of the case's file) once every party and a mediator signed — and for a written
agreement the committee stamped. `agreement_abandon`: agreed → mediating (the parties did not sign).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Person
from yishiting.common.errors import Conflict, DomainError
from yishiting.common.events import event_append
from yishiting.common.reconcile import text_digest
from yishiting.notifications.services import notify_many

from ..choices import (
    AgreementForm,
    AgreementStatus,
    CaseStatus,
    Confirmation,
    MediatorStatus,
    ObligationStatus,
    SignerKind,
    SignMethod,
)
from ..models import Agreement, CaseParty, MediationCase, Obligation, Signature
from ..rules import is_party
from ..selectors import rules_for
from ..transitions import AGREEMENT_TRANSITIONS
from .base import lock, move, require_mediator, require_status, text
from .cases import _is_own, _party_of, case_link

SCAN_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class ObligationInput:
    party: CaseParty
    text: str
    due_on: date


def _obligations(case: MediationCase, items: Sequence[ObligationInput]) -> list[tuple[CaseParty, str, date]]:
    cleaned = []
    for index, item in enumerate(items):
        party = _party_of(case, item.party)
        what = text(item.text, f"obligations.{index}.text", _("请写明履行义务的内容。"), limit=1000)
        if item.due_on is None or item.due_on < timezone.localdate():
            raise DomainError("invalid_date", _("履行期限不能早于今天。"), details={"field": f"obligations.{index}.due_on"})
        cleaned.append((party, what, item.due_on))
    return cleaned


@transaction.atomic
def agreement_draft(*, actor, case: MediationCase, form: str = AgreementForm.WRITTEN, content: str,
                    facts: str = "", disputed_points: str = "", responsibilities: str = "", performance: str = "",
                    perform_by: date | None = None, oral_note: str = "",
                    obligations: Sequence[ObligationInput] = ()) -> Agreement:
    """Write the agreement of an agreed case. Written (art. 29): facts, points in dispute, responsibilities,
    what is agreed, how and by when it is performed (each obligation with its party and deadline). Oral
    (art. 28): what is agreed and the mediator's note. Event agreement.drafted (digest of the text)."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.AGREED)
    if form not in AgreementForm.values:
        raise DomainError("invalid_choice", _("请选择书面协议或口头协议。"), details={"field": "form"})
    if Agreement.objects.filter(case=locked).exists():
        raise Conflict("already_drafted", _("本案已有调解协议。"))
    written = form == AgreementForm.WRITTEN
    fields = {
        "content": text(content, "content", _("请写明达成协议的内容。")),
        "facts": text(facts, "facts", _("书面协议须写明纠纷的主要事实。"), required=written),
        "disputed_points": text(disputed_points, "disputed_points", _("书面协议须写明争议事项。"), required=written),
        "responsibilities": text(responsibilities, "responsibilities", _("书面协议须写明各方当事人的责任。"),
                                 required=written),
        "performance": text(performance, "performance", _("书面协议须写明履行方式。"), required=written),
        "oral_note": text(oral_note, "oral_note", _("口头协议须有调解员的记录。"), required=not written),
    }
    if written and perform_by is None:
        raise DomainError("required", _("书面协议须写明履行期限。"), details={"field": "perform_by"})
    items = _obligations(locked, obligations)
    last = locked.attempts.order_by("-tier", "-number").first()
    agreement = Agreement.objects.create(case=locked, attempt=last, form=form, perform_by=perform_by,
                                         drafted_by=actor, **fields)
    Obligation.objects.bulk_create([Obligation(agreement=agreement, party=p, text=t, due_on=d) for p, t, d in items])
    event_append(subject=locked, kind="agreement.drafted", actor=actor, payload={
        "agreement": agreement.pk, "form": form, "obligations": len(items),
        "sha256": text_digest("\n".join(fields.values()))})
    return agreement


def _lock_agreement(agreement: Agreement) -> tuple[MediationCase, Agreement]:
    case = lock(agreement.case)
    return case, Agreement.objects.select_for_update().get(pk=agreement.pk)


def _signers_complete(agreement: Agreement) -> bool:
    signed = agreement.signatures.all()
    parties = set(agreement.case.parties.values_list("pk", flat=True))
    return (parties <= {s.party_id for s in signed if s.party_id}
            and any(s.kind == SignerKind.MEDIATOR for s in signed)
            and (agreement.form == AgreementForm.ORAL or agreement.stamped_at is not None))


def _maybe_effective(actor, case: MediationCase, agreement: Agreement) -> None:
    if agreement.status != AgreementStatus.DRAFT or not _signers_complete(agreement):
        return
    now = timezone.now()
    due = timezone.localdate(now) + timedelta(days=rules_for(case.area).confirmation_days)
    if AgreementStatus.EFFECTIVE not in AGREEMENT_TRANSITIONS[agreement.status]:
        return
    agreement.status, agreement.effective_at, agreement.confirmation_due = AgreementStatus.EFFECTIVE, now, due
    agreement.reminded_at = now if agreement.form == AgreementForm.WRITTEN else None
    agreement.save(update_fields=["status", "effective_at", "confirmation_due", "reminded_at"])
    event_append(subject=case, kind="agreement.effective", actor=actor, payload={
        "agreement": agreement.pk, "from": AgreementStatus.DRAFT, "to": AgreementStatus.EFFECTIVE,
        "confirmation_due": due.isoformat()})
    if agreement.form == AgreementForm.WRITTEN:  # art. 33 concerns written agreements
        _remind(case, agreement)


def _remind(case: MediationCase, agreement: Agreement) -> int:
    people = [p.person for p in case.parties.select_related("person") if p.person_id]
    told = notify_many(people=people, subject=case, link=case_link(case), text=(  # zh-only
        f"调解协议已生效。双方当事人可以自协议生效之日起三十日内共同向人民法院申请司法确认"  # zh-only
        f"（截止 {agreement.confirmation_due:%Y年%m月%d日}）。"))  # zh-only
    return len(told)


def _may_record_for(actor, case: MediationCase, party: CaseParty | None) -> None:
    if party is not None and is_party(actor, case) and _is_own(actor, party):
        return
    require_mediator(actor, case)


@transaction.atomic
def agreement_sign(*, actor, agreement: Agreement, party: CaseParty | None = None, mediator: Person | None = None,
                   method: str = SignMethod.SIGNATURE, signed_on: date | None = None) -> Signature:
    """Record a signature (or fingerprint) of one party, or a mediator's signature — on the paper copy, entered
    by the mediator, or a party confirming in the app. The last one needed makes the agreement effective
    (draft → effective) and reminds the parties of judicial confirmation (art. 33). Event agreement.signed."""
    if (party is None) == (mediator is None):
        raise DomainError("invalid_signer", _("请指定签署的当事人或调解员（二选一）。"))
    _may_record_for(actor, agreement.case, party)
    case, locked = _lock_agreement(agreement)
    require_status(case, CaseStatus.AGREED)
    if locked.status != AgreementStatus.DRAFT:
        raise Conflict("already_effective", _("协议已生效，不需要再签署。"))
    if method not in SignMethod.values:
        raise DomainError("invalid_choice", _("请选择签名或按指印。"), details={"field": "method"})
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        raise DomainError("invalid_date", _("签署日期不能晚于今天。"), details={"field": "signed_on"})
    if party is not None:
        party = _party_of(case, party)
    elif not case.mediators.filter(person=mediator, status=MediatorStatus.ACTIVE).exists():
        raise DomainError("invalid_mediator", _("只有本案在任的调解员可以在协议上签名。"), details={"field": "mediator"})
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                agreement=locked, kind=SignerKind.PARTY if party else SignerKind.MEDIATOR, party=party,
                mediator=mediator, method=method, signed_on=signed_on, recorded_by=actor)
    except IntegrityError:
        raise Conflict("already_signed", _("已经签署过了。")) from None
    event_append(subject=case, kind="agreement.signed", actor=actor, payload={
        "agreement": locked.pk, "signature": signature.pk, "kind": signature.kind,
        "party": party.pk if party else None, "mediator": mediator.pk if mediator else None, "method": method})
    _maybe_effective(actor, case, locked)
    return signature


@transaction.atomic
def agreement_stamp(*, actor, agreement: Agreement) -> Agreement:
    """The committee stamps a written agreement (盖章), recorded by a mediator or the staff. May complete it."""
    case, locked = _lock_agreement(agreement)
    require_mediator(actor, case)
    require_status(case, CaseStatus.AGREED)
    if locked.form != AgreementForm.WRITTEN:
        raise DomainError("oral_agreement", _("口头协议不需要盖章。"))
    if locked.stamped_at is not None:
        raise Conflict("already_stamped", _("协议已盖章。"))
    locked.stamped_at, locked.stamped_by = timezone.now(), actor
    locked.save(update_fields=["stamped_at", "stamped_by"])
    event_append(subject=case, kind="agreement.stamped", actor=actor, payload={"agreement": locked.pk})
    _maybe_effective(actor, case, locked)
    return locked


@transaction.atomic
def agreement_attach_scan(*, actor, agreement: Agreement, file) -> Agreement:
    """Attach the signed paper copy (PDF or image); its SHA-256 goes into the event and the dossier."""
    case, locked = _lock_agreement(agreement)
    require_mediator(actor, case)
    require_status(case, CaseStatus.AGREED, CaseStatus.CLOSED)
    if file is None or not getattr(file, "size", 0):
        raise DomainError("required", _("请选择签署后的协议扫描件。"), details={"field": "file"})
    if file.size > SCAN_MAX_BYTES:
        raise DomainError("too_large", _("扫描件不能超过 20 MB。"), details={"field": "file"})
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    locked.signed_scan.save(getattr(file, "name", "scan.pdf") or "scan.pdf", file, save=False)
    locked.scan_sha256 = digest.hexdigest()
    locked.save(update_fields=["signed_scan", "scan_sha256"])
    event_append(subject=case, kind="agreement.scan_attached", actor=actor,
                 payload={"agreement": locked.pk, "sha256": locked.scan_sha256})
    return locked


@transaction.atomic
def agreement_abandon(*, actor, case: MediationCase, reason: str) -> MediationCase:
    """The parties did not sign the drafted agreement: agreed → mediating (event mediation.resumed); the draft
    is kept in the file (marked by the event), and a new one may be written after the next success."""
    require_mediator(actor, case)
    locked = lock(case)
    require_status(locked, CaseStatus.AGREED)
    agreement = Agreement.objects.filter(case=locked).first()
    if agreement is not None and agreement.status == AgreementStatus.EFFECTIVE:
        raise Conflict("already_effective", _("协议已生效，不能退回调解。"))
    if agreement is not None:
        agreement.signatures.all().delete()
        agreement.obligations.all().delete()
        agreement.delete()
    return move(locked, to=CaseStatus.MEDIATING, actor=actor, kind="mediation.resumed",
                payload={"reason": text(reason, "reason", _("请写明未签署协议的原因。"), limit=1000),
                         "agreement": agreement.pk if agreement else None})


@transaction.atomic
def agreement_confirmation_record(*, actor, agreement: Agreement, result: str, note: str = "") -> Agreement:
    """Record the outcome of judicial confirmation (art. 33): confirmed, refused by the court, or the parties
    chose not to apply. A refusal points the parties to change the agreement or sue. Event
    agreement.confirmation."""
    case, locked = _lock_agreement(agreement)
    require_mediator(actor, case)
    if locked.status != AgreementStatus.EFFECTIVE:
        raise Conflict("not_effective", _("协议生效后才能登记司法确认情况。"))
    if result not in (Confirmation.CONFIRMED, Confirmation.REFUSED, Confirmation.WAIVED):
        raise DomainError("invalid_choice", _("请选择法院已确认、不予确认或当事人不申请。"), details={"field": "result"})
    if locked.confirmation != Confirmation.NONE:
        raise Conflict("already_recorded", _("司法确认情况已登记。"))
    note = text(note, "note", _("法院不予确认时请写明情况和告知当事人的途径。"),
                required=result == Confirmation.REFUSED, limit=2000)
    locked.confirmation, locked.confirmation_note, locked.confirmation_at = result, note, timezone.now()
    locked.save(update_fields=["confirmation", "confirmation_note", "confirmation_at"])
    event_append(subject=case, kind="agreement.confirmation", actor=actor,
                 payload={"agreement": locked.pk, "result": result})
    return locked


@transaction.atomic
def agreement_remind(*, actor, agreement: Agreement) -> int:
    """Remind the parties again of judicial confirmation while the 30 days run. Event agreement.reminded."""
    case, locked = _lock_agreement(agreement)
    require_mediator(actor, case)
    return _remind_now(actor, case, locked)


def _remind_now(actor, case: MediationCase, agreement: Agreement, at: datetime | None = None) -> int:
    """`at`: when the reminder counts as given (the tick's day, so a re-run of that day finds it)."""
    at = at or timezone.now()
    if agreement.status != AgreementStatus.EFFECTIVE or agreement.confirmation != Confirmation.NONE:
        raise Conflict("no_reminder", _("协议未生效或司法确认情况已登记，不需要提醒。"))
    if agreement.confirmation_due and agreement.confirmation_due < timezone.localdate(at):
        raise Conflict("confirmation_lapsed", _("司法确认申请期限已过。"))
    told = _remind(case, agreement)
    agreement.reminded_at = at
    agreement.save(update_fields=["reminded_at"])
    event_append(subject=case, kind="agreement.reminded", actor=actor,
                 payload={"agreement": agreement.pk, "told": told})
    return told


@transaction.atomic
def obligation_check(*, actor, obligation: Obligation, performed: bool, note: str = "") -> Obligation:
    """The mediator checks one obligation (履行回访). Not performed: the case is marked and the parties are
    pointed to the court (申请强制执行 after judicial confirmation, or a suit on the agreement). Event
    agreement.obligation_checked."""
    case = obligation.agreement.case
    require_mediator(actor, case)
    locked_case = lock(case)
    require_status(locked_case, CaseStatus.AGREED)
    found = Obligation.objects.select_for_update().select_related("agreement").get(pk=obligation.pk)
    if found.agreement.status != AgreementStatus.EFFECTIVE:
        raise Conflict("not_effective", _("协议生效后才能核实履行情况。"))
    if found.status != ObligationStatus.PENDING:
        raise Conflict("already_checked", _("该事项的履行情况已核实。"))
    note = text(note, "note", _("未履行时请写明情况。"), required=not performed, limit=2000)
    found.status = ObligationStatus.PERFORMED if performed else ObligationStatus.NOT_PERFORMED
    found.note, found.checked_at, found.checked_by = note, timezone.now(), actor
    found.save(update_fields=["status", "note", "checked_at", "checked_by"])
    if not performed and not locked_case.non_performance:
        locked_case.non_performance = True
        locked_case.save(update_fields=["non_performance"])
    event_append(subject=locked_case, kind="agreement.obligation_checked", actor=actor,
                 payload={"obligation": found.pk, "performed": performed})
    if not performed:
        people = [p.person for p in locked_case.parties.select_related("person") if p.person_id]
        notify_many(people=people, subject=locked_case, link=case_link(locked_case), text=(  # zh-only
            "调解协议有一方未按期履行。经司法确认的协议可以向人民法院申请强制执行；"  # zh-only
            "未经确认的，可以就协议的履行向人民法院提起诉讼。"))  # zh-only
    return found

