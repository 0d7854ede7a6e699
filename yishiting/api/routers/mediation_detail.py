"""The case detail as the API answers it, worded for the caller: parties masked unless the caller is a mediator,
supervising staff or the party itself (selectors.parties_for), and what the caller may do."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from yishiting.mediation import rules, selectors
from yishiting.mediation.models import Agreement, MediationCase, MediationCommittee


def _agreement(case: MediationCase) -> dict[str, Any] | None:
    agreement = (Agreement.objects.filter(case=case).prefetch_related("signatures", "obligations").first())
    if agreement is None:
        return None
    return {
        **{f: getattr(agreement, f) for f in (
            "id", "form", "status", "facts", "disputed_points", "responsibilities", "content", "performance",
            "perform_by", "oral_note", "stamped_at", "scan_sha256", "effective_at", "confirmation_due",
            "confirmation", "confirmation_note")},
        "has_scan": bool(agreement.signed_scan),
        "signatures": [{"id": s.pk, "kind": s.kind, "party_id": s.party_id, "mediator_id": s.mediator_id,
                        "method": s.method, "signed_on": s.signed_on} for s in agreement.signatures.all()],
        "obligations": [{"id": o.pk, "party_id": o.party_id, "text": o.text, "due_on": o.due_on, "status": o.status,
                         "note": o.note} for o in agreement.obligations.all()],
    }


def case_detail(user, case: MediationCase) -> dict[str, Any]:
    mediators = [{"id": m.pk, "person_id": m.person_id, "name": m.person.name,
                  "kind": m.member.kind if m.member_id else "", "tier": m.tier, "is_lead": m.is_lead,
                  "status": m.status, "chosen_by_party": m.chosen_by_id is not None} for m in case.mediators.all()]
    attempts = [{"id": a.pk, "tier": a.tier, "tier_label": a.get_tier_display(), "number": a.number,
                 "held_on": a.held_on, "place": a.place, "mediators": [p.name for p in a.mediators.all()],
                 "parties_present": [p.pk for p in a.parties_present.all()], "applicant_said": a.applicant_said,
                 "respondent_said": a.respondent_said, "result": a.result, "note": a.note}
                for a in case.attempts.all()]
    return {
        **{f: getattr(case, f) for f in ("id", "title", "status", "source", "area", "tier", "dispute_type", "hearing",
                                         "opened_on", "deadline", "outcome", "created_at", "guidance",
                                         "proposed_topic", "non_performance", "attempt_limits")},
        "number": selectors.case_number(case), "status_label": case.get_status_display(),
        "tier_label": case.get_tier_display(), "attempts_left": selectors.attempts_left(case),
        "parties": [asdict(p) for p in selectors.parties_for(user, case)],
        "mediators": mediators, "attempts": attempts, "agreement": _agreement(case),
        "visits": [{"id": v.pk, "visited_on": v.visited_on, "visitor": v.visitor.name, "note": v.note,
                    "resolved": v.resolved} for v in case.visits.select_related("visitor")],
        "demands": [d.number for d in case.demands.all()],
        "may_mediate": rules.may_mediate(user, case), "may_manage": rules.may_manage_case(user, case),
        "is_party": rules.is_party(user, case),
    }


def committee_out(committee: MediationCommittee) -> dict[str, Any]:
    members = committee.members.filter(is_active=True).select_related("person").order_by("pk")
    return {"id": committee.pk, "name": committee.name, "area": committee.area,
            "members": [{"id": m.pk, "person_id": m.person_id, "name": m.person.name, "kind": m.kind,
                         "kind_label": m.get_kind_display()} for m in members]}
