"""The evaluation stage (DESIGN §8; issue 5 point 4): the evaluator pool, the committee drawn at random from
it with automatic recusal, the evaluators' pledges, double-blind scoring and the evaluation report.

Choices where the law or the issue leaves room (documented here, shown in the pages):

- Committee size: 5 for open and invited tenders, 3 for negotiation, inquiry and single source; always an
  odd number and never below those minimums (政府采购法 §38/§40, 招标投标法实施条例: 5 人以上单数).
- Experts: at least two thirds of the committee are external experts (role EXPERT) for every method — the
  law asks it of tenders and of negotiation and inquiry panels alike. The draw takes the experts first; when
  the pool (after recusal) has too few experts, or too few members at all, the draw is refused with a clear
  message saying how many are needed and how many are available. Nothing is drawn then.
- Randomness: a 128-bit seed from `secrets`; the draw is `random.Random(seed)` shuffling the eligible
  experts, then the eligible officials, each sorted by user id. `CommitteeDraw` stores the seed and the pool
  snapshot (every active member with kind and, when skipped, why), so `draw_replay` gives the same committee.
- Recusal (回避) is automatic: a pool member is skipped, and a recused seat recorded with the reason, when
  `core.interests.officials_with_interest_in(bidder enterprise)` names them (a declared relative's business),
  when their employer's credit code is a bidder's, or when they belong to a bidder enterprise. The reason
  names the bid's alias, not the supplier. A drawn member can also recuse themself (`committee_member_recuse`)
  before submitting; a further draw then fills the seat (`committee_draw` tops up to the size).
- Pledge: a member signs the park's current evaluators' pledge (integrity pledge kind "evaluator", reference
  = the tender number) before seeing any bid. The park must have published one; the draw is refused if not.
- Scoring: for 询价 (lowest-price methods) evaluators only judge qualification; the lowest valid price of the
  qualified bids ranks first (ties: earlier submission first). For the other methods price score = lowest
  qualified price / price × price weight, technical score = mean of the evaluators' marks (0–100) × technical
  weight / 100, total = both; ranked by total, then lower price, then earlier submission. Qualification is by
  majority of the members (a tie fails: a bid must convince more than half). A bid that fails it is made
  invalid with the reason. Scores are rounded to 2 decimals (half up).
- When fewer bids qualify than the method's minimum of valid bids, recording the report also fails the
  tender (废标), with the reason; it can be re-tendered.
- An open blocking red flag (legal breach) refuses the draw, the start, scoring and the report, naming it.
"""

import random
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.audit import record_event
from core.errors import Conflict, DomainError, PermissionDenied
from core.interests import officials_with_interest_in
from core.notifications import notify
from core.roles import EXPERT, has_role
from core.workcalendar import add_working_days
from procurement.choices import (
    TENDER_TRANSITIONS,
    CommitteeMemberStatus,
    EvaluatorKind,
    Method,
    TenderStatus,
    check_transition,
)
from procurement.models import Bid, CommitteeDraw, CommitteeMember, EvaluatorPoolMember, Score, Tender
from procurement.rules import method_rule
from procurement.selectors.access import can_run_procurement
from procurement.selectors.evaluation import SEATED_STATUSES, eligible_pool, evaluable_bids, member_may_see_bids
from procurement.selectors.flags import blocking_flags

TWO_PLACES = Decimal("0.01")
TENDER_METHODS = frozenset({Method.OPEN_TENDER, Method.INVITED_TENDER})


def default_committee_size(method):
    """5 for open and invited tenders, 3 for the other methods."""
    return 5 if method in TENDER_METHODS else 3


def minimum_experts(size):
    """At least two thirds of the committee are external experts."""
    return -(-2 * size // 3)


def _money(value):
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _lock(tender):
    return Tender.objects.select_for_update().select_related("park").get(pk=tender.pk)


def refuse_if_blocked(tender):
    """Raise Conflict naming the first open blocking red flag of `tender`, if any."""
    flag = blocking_flags(tender).order_by("raised_at", "id").first()
    if flag is not None:
        raise Conflict(
            _("An open red flag blocks this step until a discipline officer decides it: %(flag)s.")
            % {"flag": f"{flag.get_kind_display()} — {flag.summary}"},
            code="blocked_by_flag",
        )


def _require_runner(actor, tender):
    if not can_run_procurement(actor, tender.park_id):
        raise PermissionDenied(_("Only the park's procurement officers and administrators can do this."))


# --- the pool -----------------------------------------------------------------------------------------------


def evaluator_pool_add(*, park, user, kind, actor, specialty="", employer="", employer_credit_code=""):
    """Add `user` to `park`'s evaluator pool (or reactivate them), as a park official or an external expert.

    May call: the park's procurement officers and administrators. Refuses an official who is not an official
    of the park, an expert without the expert role, and a malformed employer credit code.
    Audit: ``evaluator_pool.added``."""
    from integrity.selectors.access import is_park_official
    from parks.validators import normalize_credit_code, validate_credit_code

    if not can_run_procurement(actor, park):
        raise PermissionDenied(_("Only the park's procurement officers and administrators manage the pool."))
    if kind not in EvaluatorKind.values:
        raise DomainError(_("Choose whether the evaluator is an official or an external expert."), field="kind")
    if kind == EvaluatorKind.OFFICIAL and not is_park_official(user, park):
        raise DomainError(_("Only an official of the park can join the pool as an official."), field="user")
    if kind == EvaluatorKind.EXPERT and not has_role(user, EXPERT):
        raise DomainError(_("Only a user with the evaluation expert role can join as an expert."), field="user")
    code = normalize_credit_code(employer_credit_code or "")
    if code:
        from django.core.exceptions import ValidationError

        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="employer_credit_code") from exc
    values = {
        "kind": kind,
        "specialty": (specialty or "").strip()[:200],
        "employer": (employer or "").strip()[:200],
        "employer_credit_code": code,
        "is_active": True,
    }
    with transaction.atomic():
        member = EvaluatorPoolMember.objects.select_for_update().filter(park=park, user=user).first()
        before = None
        if member is None:
            member = EvaluatorPoolMember.objects.create(park=park, user=user, **values)
        else:
            before = {field: getattr(member, field) for field in values}
            for field, value in values.items():
                setattr(member, field, value)
            member.save(update_fields=list(values))
        record_event(
            action="evaluator_pool.added",
            target=member,
            actor=actor,
            park=park,
            data={"before": before, "after": values, "user": user.pk},
        )
    return member


def evaluator_pool_deactivate(*, member, actor):
    """Take a member out of the pool (they are no longer drawn; past committees keep them).

    May call: the park's procurement officers and administrators. Audit: ``evaluator_pool.deactivated``."""
    if not can_run_procurement(actor, member.park_id):
        raise PermissionDenied(_("Only the park's procurement officers and administrators manage the pool."))
    with transaction.atomic():
        member = EvaluatorPoolMember.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            raise Conflict(_("This evaluator is already out of the pool."), code="already_inactive")
        member.is_active = False
        member.save(update_fields=["is_active"])
        record_event(
            action="evaluator_pool.deactivated",
            target=member,
            actor=actor,
            park=member.park_id,
            data={"before": {"is_active": True}, "after": {"is_active": False}},
        )
    return member


# --- the draw -----------------------------------------------------------------------------------------------


def _recusal_reasons(tender):
    """{user id: reason} for every user linked to a bidder of `tender`, and the bids' {credit code: alias}."""
    from parks.models import EnterpriseMembership

    reasons = {}
    bids = list(evaluable_bids(tender).select_related("supplier__enterprise"))
    for bid in bids:
        enterprise = bid.supplier.enterprise
        label = bid.alias or "?"
        for user_id in officials_with_interest_in(enterprise):
            reasons.setdefault(
                user_id,
                _t("Declared an interest (a relative's business) in the enterprise of bid %(alias)s.")
                % {"alias": label},
            )
        for user_id in EnterpriseMembership.objects.filter(enterprise=enterprise).values_list("user_id", flat=True):
            reasons.setdefault(user_id, _t("Belongs to the enterprise of bid %(alias)s.") % {"alias": label})
    codes = {bid.supplier.enterprise.credit_code: bid.alias or "?" for bid in bids}
    return reasons, codes


def _pool_snapshot(tender, seated_user_ids):
    reasons, codes = _recusal_reasons(tender)
    snapshot = []
    for member in eligible_pool(tender.park):
        entry = {"user": member.user_id, "kind": member.kind, "name": member.user.get_full_name(), "skip": ""}
        if member.user_id in seated_user_ids:
            entry["skip"] = "seated"
        elif member.user_id in reasons:
            entry["skip"] = "recused"
            entry["reason"] = reasons[member.user_id]
        elif member.employer_credit_code and member.employer_credit_code in codes:
            entry["skip"] = "recused"
            entry["reason"] = _t("Works for the enterprise of bid %(alias)s (same credit code).") % {
                "alias": codes[member.employer_credit_code]
            }
        snapshot.append(entry)
    return snapshot


def draw_replay(seed, snapshot, experts_wanted, officials_wanted):
    """The user ids a draw with `seed` over `snapshot` picks: experts first, then officials (shuffled by
    `random.Random(seed)` from the eligible entries sorted by user id). Pure: replaying a recorded draw gives
    the same committee."""
    rng = random.Random(seed)
    eligible = sorted((e for e in snapshot if not e.get("skip")), key=lambda e: e["user"])
    experts = [e["user"] for e in eligible if e["kind"] == EvaluatorKind.EXPERT]
    officials = [e["user"] for e in eligible if e["kind"] == EvaluatorKind.OFFICIAL]
    rng.shuffle(experts)
    chosen_experts = experts[:experts_wanted]
    # Officials fill the rest; experts left over may too, after the officials (officials first keeps the
    # buyer's representatives in, as the law expects, once the expert share is met).
    rest = officials + experts[experts_wanted:]
    rng.shuffle(rest)
    return chosen_experts + rest[:officials_wanted]


def committee_draw(*, tender, actor, size=None, now=None, seed=None):
    """Draw `tender`'s evaluation committee at random from the park's pool, or top an existing committee up
    to `size` after a recusal.

    May call: the park's procurement officers and administrators, once the bids are opened (status opened or
    under evaluation). Refuses an even size or one below the method's minimum, a park without a current
    evaluators' pledge text, an open blocking red flag, and a pool too small (after recusal) for the size or
    for two thirds of experts. Records recused pool members as recused seats with their reason.
    Audit: ``committee.drawn`` on the tender (seed, snapshot, chosen, recused). Notifies the drawn members."""
    from integrity.choices import SignerKind
    from integrity.selectors.pledges import current_templates

    now = now or timezone.now()
    _require_runner(actor, tender)
    minimum = default_committee_size(tender.method)
    size = minimum if size in (None, "") else int(size)
    if size < minimum or size % 2 == 0:
        raise DomainError(
            _("The committee has an odd number of members, at least %(minimum)d for this method.")
            % {"minimum": minimum},
            field="size",
        )
    with transaction.atomic():
        tender = _lock(tender)
        if tender.status not in (TenderStatus.OPENED, TenderStatus.EVALUATION):
            raise Conflict(_("A committee is drawn once the bids are opened."), code="not_opened")
        refuse_if_blocked(tender)
        if not current_templates(tender.park).filter(signer_kind=SignerKind.EVALUATOR).exists():
            raise Conflict(
                _("The park has no evaluators' pledge text in force: publish one (Integrity) before the draw."),
                code="no_evaluator_pledge",
            )
        seated = list(tender.committee.filter(status__in=SEATED_STATUSES))
        all_seats = set(tender.committee.values_list("user_id", flat=True))
        missing = size - len(seated)
        if missing <= 0:
            raise Conflict(_("The committee is already complete."), code="committee_complete")
        experts_needed = max(0, minimum_experts(size) - sum(m.kind == EvaluatorKind.EXPERT for m in seated))
        snapshot = _pool_snapshot(tender, all_seats)
        eligible = [e for e in snapshot if not e["skip"]]
        eligible_experts = sum(e["kind"] == EvaluatorKind.EXPERT for e in eligible)
        if len(eligible) < missing or eligible_experts < experts_needed:
            raise Conflict(
                _(
                    "The pool is too small: %(missing)d more members are needed, %(experts)d of them external "
                    "experts; after recusal %(available)d members are available, %(available_experts)d of "
                    "them experts. Add evaluators to the pool."
                )
                % {
                    "missing": missing,
                    "experts": experts_needed,
                    "available": len(eligible),
                    "available_experts": eligible_experts,
                },
                code="pool_too_small",
            )
        seed = seed or secrets.token_hex(16)
        chosen = draw_replay(seed, snapshot, experts_needed, missing - experts_needed)
        draw = CommitteeDraw.objects.create(
            tender=tender, seed=seed, pool_snapshot=snapshot, size=size, drawn_by=actor, drawn_at=now
        )
        kinds = {e["user"]: e["kind"] for e in snapshot}
        has_chair = any(m.is_chair for m in seated)
        new_members = []
        for user_id in chosen:
            chair = not has_chair and kinds[user_id] == EvaluatorKind.EXPERT
            has_chair = has_chair or chair
            new_members.append(
                CommitteeMember.objects.create(
                    tender=tender,
                    draw=draw,
                    user_id=user_id,
                    kind=kinds[user_id],
                    is_chair=chair,
                    status=CommitteeMemberStatus.DRAWN,
                    status_changed_at=now,
                )
            )
        recused = [e for e in snapshot if e["skip"] == "recused"]
        for entry in recused:
            CommitteeMember.objects.create(
                tender=tender,
                draw=draw,
                user_id=entry["user"],
                kind=entry["kind"],
                status=CommitteeMemberStatus.RECUSED,
                recusal_reason=entry["reason"],
                status_changed_at=now,
            )
        record_event(
            action="committee.drawn",
            target=tender,
            actor=actor,
            park=tender.park,
            data={
                "draw": draw.pk,
                "seed": seed,
                "size": size,
                "chosen": chosen,
                "recused": [{"user": e["user"], "reason": e["reason"]} for e in recused],
                "snapshot": snapshot,
            },
        )
        from django.urls import reverse

        for member in new_members:
            notify(
                recipients=[member.user],
                kind="procurement.committee_drawn",
                title=_t("You were drawn to evaluate tender %(number)s") % {"number": tender.number},
                body=_t("Sign the evaluator's pledge to see the bids once the evaluation starts."),
                url=reverse("procurement:evaluation-panel", args=[member.pk]),
                park=tender.park,
            )
    return draw


def committee_member_recuse(*, member, actor, reason, now=None):
    """A drawn member withdraws for a conflict of interest (or the procurement officer records it), before
    submitting scores. The seat is then filled by another draw.

    May call: the member themself, or the park's procurement officers and administrators. Refuses an empty
    reason and a member who already submitted. Audit: ``committee_member.recused``."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if member.user_id != actor.pk and not can_run_procurement(actor, member.tender.park_id):
        raise PermissionDenied()
    if not reason:
        raise DomainError(_("Give the reason for the recusal."), field="reason")
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().select_related("tender").get(pk=member.pk)
        if member.status not in (CommitteeMemberStatus.DRAWN, CommitteeMemberStatus.PLEDGED):
            raise Conflict(_("Only a member who has not submitted can withdraw."), code="not_withdrawable")
        before = member.status
        member.status = CommitteeMemberStatus.RECUSED
        member.recusal_reason = reason
        member.status_changed_at = now
        member.is_chair = False
        member.save(update_fields=["status", "recusal_reason", "status_changed_at", "is_chair"])
        record_event(
            action="committee_member.recused",
            target=member,
            actor=actor,
            park=member.tender.park_id,
            data={"before": {"status": before}, "after": {"status": member.status}, "reason": reason},
        )
    return member


def evaluator_pledge_sign(*, member, actor, expected_sha256=None, now=None):
    """The drawn member signs the park's current evaluators' pledge for this tender (through integrity's
    `pledge_sign`, reference = the tender number); only then may they see bids.

    May call: the member themself. Refuses a recused or declined member, a second signature, and a park
    without an evaluators' pledge text. Audit: ``committee_member.pledged`` (plus integrity's ``pledge.signed``)."""
    from integrity.choices import SignerKind
    from integrity.selectors.pledges import current_templates
    from integrity.services.pledges import pledge_sign

    now = now or timezone.now()
    if member.user_id != actor.pk:
        raise PermissionDenied(_("Only the evaluator signs their own pledge."))
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().select_related("tender", "tender__park").get(pk=member.pk)
        if member.status != CommitteeMemberStatus.DRAWN:
            raise Conflict(_("The pledge is signed once, by a drawn member."), code="not_drawn")
        tender = member.tender
        template = current_templates(tender.park).filter(signer_kind=SignerKind.EVALUATOR).first()
        if template is None:
            raise Conflict(_("The park has no evaluators' pledge text in force."), code="no_evaluator_pledge")
        pledge = pledge_sign(
            template=template, actor=actor, reference=tender.number, expected_sha256=expected_sha256, now=now
        )
        member.pledge = pledge
        member.status = CommitteeMemberStatus.PLEDGED
        member.status_changed_at = now
        member.save(update_fields=["pledge", "status", "status_changed_at"])
        record_event(
            action="committee_member.pledged",
            target=member,
            actor=actor,
            park=tender.park,
            data={"before": {"status": "drawn"}, "after": {"status": "pledged"}, "pledge": pledge.pk},
        )
    return member


# --- evaluating ---------------------------------------------------------------------------------------------


def evaluation_start(*, tender, actor, now=None):
    """Start the evaluation: the committee may see the bids (after signing the pledge).

    May call: the park's procurement officers and administrators. Refuses a tender not opened, an open
    blocking red flag, and a committee smaller than its drawn size. Audit: ``tender.evaluation_started``."""
    now = now or timezone.now()
    _require_runner(actor, tender)
    with transaction.atomic():
        tender = _lock(tender)
        check_transition(TENDER_TRANSITIONS, tender.status, TenderStatus.EVALUATION, _("The tender"))
        refuse_if_blocked(tender)
        last_draw = tender.draws.order_by("-drawn_at", "-id").first()
        seated = tender.committee.filter(status__in=SEATED_STATUSES).count()
        if last_draw is None or seated < last_draw.size:
            raise Conflict(
                _("Draw the full committee first (%(seated)d of %(size)d seats filled).")
                % {"seated": seated, "size": last_draw.size if last_draw else default_committee_size(tender.method)},
                code="committee_incomplete",
            )
        if not evaluable_bids(tender).exists():
            raise Conflict(_("There is no valid bid to evaluate."), code="no_valid_bid")
        tender.status = TenderStatus.EVALUATION
        tender.evaluation_started_at = now
        tender.save(update_fields=["status", "evaluation_started_at", "updated_at"])
        record_event(
            action="tender.evaluation_started",
            target=tender,
            actor=actor,
            park=tender.park,
            data={"before": {"status": "opened"}, "after": {"status": "evaluation"}, "committee": seated},
        )
    return tender


def score_submit(*, member, bid, actor, technical_score=None, passes_qualification=True, comment="", now=None):
    """Record (or correct, until the member submits) one evaluator's marks for one bid: qualification pass or
    fail and, for scored methods, a technical mark 0–100.

    May call: the member themself, after signing the pledge, while the tender is under evaluation. Refuses a
    bid the committee does not evaluate, a missing or out-of-range technical mark (scored methods), a mark
    for a lowest-price method, and an open blocking red flag. Audit: ``score.submitted`` (on the bid's alias)."""
    now = now or timezone.now()
    if member.user_id != actor.pk:
        raise PermissionDenied(_("Only the evaluator enters their own marks."))
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().select_related("tender").get(pk=member.pk)
        tender = member.tender
        if member.status != CommitteeMemberStatus.PLEDGED or tender.status != TenderStatus.EVALUATION:
            raise Conflict(
                _("Marks are entered during the evaluation, after signing the pledge and before submitting."),
                code="not_scoring",
            )
        if not member_may_see_bids(member):
            raise Conflict(_("The evaluation has not started."), code="not_started")
        refuse_if_blocked(tender)
        if not evaluable_bids(tender).filter(pk=bid.pk).exists():
            raise DomainError(_("This bid is not evaluated by this committee."), field="bid")
        comment = (comment or "").strip()
        if tender.is_lowest_price:
            if technical_score not in (None, ""):
                raise DomainError(
                    _("This method awards the lowest valid price: judge the qualification only."),
                    field="technical_score",
                )
            technical = None
        else:
            if technical_score in (None, ""):
                raise DomainError(_("Give a technical mark from 0 to 100."), field="technical_score")
            technical = _money(technical_score)
            if not Decimal(0) <= technical <= Decimal(100):
                raise DomainError(_("Give a technical mark from 0 to 100."), field="technical_score")
        passes = bool(passes_qualification)
        if not passes and not comment:
            raise DomainError(_("Say why the bid does not meet the qualification requirements."), field="comment")
        score, created = Score.objects.select_for_update().get_or_create(
            member=member,
            bid_id=bid.pk,
            defaults={"technical_score": technical, "passes_qualification": passes, "comment": comment},
        )
        before = None
        if not created:
            before = {"technical_score": score.technical_score, "passes_qualification": score.passes_qualification}
            score.technical_score, score.passes_qualification, score.comment = technical, passes, comment
            score.scored_at = now
            score.save(update_fields=["technical_score", "passes_qualification", "comment", "scored_at"])
        record_event(
            action="score.submitted",
            target=score,
            actor=actor,
            park=tender.park_id,
            data={
                "bid": Bid.objects.filter(pk=bid.pk).values_list("alias", flat=True).first(),
                "before": before,
                "after": {"technical_score": technical, "passes_qualification": passes},
            },
        )
    return score


def committee_member_submit(*, member, actor, now=None):
    """The member hands in their marks (final): every bid the committee evaluates must be marked.

    May call: the member themself. Audit: ``committee_member.submitted``."""
    now = now or timezone.now()
    if member.user_id != actor.pk:
        raise PermissionDenied(_("Only the evaluator hands in their own marks."))
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().select_related("tender").get(pk=member.pk)
        if member.status != CommitteeMemberStatus.PLEDGED or member.tender.status != TenderStatus.EVALUATION:
            raise Conflict(_("There is nothing to hand in."), code="not_scoring")
        refuse_if_blocked(member.tender)
        missing = evaluable_bids(member.tender).exclude(scores__member=member).values_list("alias", flat=True)
        if missing:
            raise DomainError(
                _("Mark every bid first (missing: %(aliases)s).") % {"aliases": ", ".join(missing)},
                code="scores_missing",
            )
        member.status = CommitteeMemberStatus.SUBMITTED
        member.status_changed_at = now
        member.save(update_fields=["status", "status_changed_at"])
        record_event(
            action="committee_member.submitted",
            target=member,
            actor=actor,
            park=member.tender.park_id,
            data={"before": {"status": "pledged"}, "after": {"status": "submitted"}},
        )
    return member


def _rank(tender, bids, scores_by_bid, seated_count):
    """Compute qualification, scores and rank for `bids` (in place); return the qualified ones ranked."""
    qualified = []
    for bid in bids:
        marks = scores_by_bid.get(bid.pk, [])
        passes = sum(1 for s in marks if s.passes_qualification)
        bid._qualifies = passes * 2 > seated_count
        if bid._qualifies:
            qualified.append(bid)
    if tender.is_lowest_price:
        qualified.sort(key=lambda b: (b.price, b.submitted_at, b.pk))
        for bid in qualified:
            bid.price_score = bid.technical_score = bid.total_score = None
    elif qualified:
        lowest = min(b.price for b in qualified)
        for bid in qualified:
            bid.price_score = _money(lowest / bid.price * tender.price_weight) if bid.price else _money(0)
            marks = [s.technical_score for s in scores_by_bid.get(bid.pk, []) if s.technical_score is not None]
            mean = sum(marks) / len(marks) if marks else Decimal(0)
            bid.technical_score = _money(mean * tender.technical_weight / 100)
            bid.total_score = bid.price_score + bid.technical_score
        qualified.sort(key=lambda b: (-b.total_score, b.price, b.submitted_at, b.pk))
    for position, bid in enumerate(qualified, start=1):
        bid.rank = position
    return qualified


def evaluation_report_record(*, tender, actor, now=None):
    """Record the evaluation report: qualification by majority, scores, ranking and the recommendation
    (rank 1). From now on evaluators see the suppliers' names. Sets the award time limit (working days of the
    method rule). When fewer bids qualify than the method's minimum, the tender fails (废标).

    May call: the park's procurement officers and administrators. Refuses while a seated member has not
    submitted, and while a blocking red flag is open. Audit: ``tender.evaluation_reported`` (and
    ``tender.failed`` when it fails)."""
    now = now or timezone.now()
    _require_runner(actor, tender)
    with transaction.atomic():
        tender = _lock(tender)
        check_transition(TENDER_TRANSITIONS, tender.status, TenderStatus.EVALUATED, _("The tender"))
        refuse_if_blocked(tender)
        seated = list(tender.committee.filter(status__in=SEATED_STATUSES).select_related("user"))
        pending = [m.user.get_full_name() or m.user.get_username() for m in seated if m.status != "submitted"]
        if not seated or pending:
            raise Conflict(
                _("Every member must hand in their marks first (waiting for: %(names)s).")
                % {"names": ", ".join(pending) or "—"},
                code="scores_pending",
            )
        bids = list(evaluable_bids(tender).select_for_update())
        scores_by_bid = {}
        for score in Score.objects.filter(bid__in=bids, member__in=seated):
            scores_by_bid.setdefault(score.bid_id, []).append(score)
        qualified = _rank(tender, bids, scores_by_bid, len(seated))
        for bid in bids:
            if not bid._qualifies:
                bid.is_valid = False
                bid.invalid_reason = _t("Failed the qualification review of the evaluation committee.")
                bid.rank = bid.price_score = bid.technical_score = bid.total_score = None
            bid.save(
                update_fields=["is_valid", "invalid_reason", "price_score", "technical_score", "total_score", "rank"]
            )
        ranking = [
            {
                "alias": b.alias,
                "bid": b.pk,
                "price": b.price,
                "price_score": b.price_score,
                "technical_score": b.technical_score,
                "total_score": b.total_score,
                "rank": b.rank,
            }
            for b in qualified
        ]
        rule = method_rule(tender.park, tender.method)
        tender.evaluation_report_at = now
        fails = len(qualified) < rule.min_valid_bids
        if fails:
            tender.status = TenderStatus.FAILED
            tender.failed_at = now
            tender.failure_reason = _t(
                "Fewer bids met the requirements than the method's minimum (%(count)d of %(minimum)d)."
            ) % {"count": len(qualified), "minimum": rule.min_valid_bids}
            tender.save(update_fields=["status", "evaluation_report_at", "failed_at", "failure_reason", "updated_at"])
        else:
            tender.status = TenderStatus.EVALUATED
            tender.award_due_at = add_working_days(now, rule.award_decision_working_days)
            tender.save(update_fields=["status", "evaluation_report_at", "award_due_at", "updated_at"])
        record_event(
            action="tender.evaluation_reported",
            target=tender,
            actor=actor,
            park=tender.park,
            data={
                "before": {"status": "evaluation"},
                "after": {"status": tender.status, "award_due_at": tender.award_due_at},
                "ranking": ranking,
                "disqualified": [b.alias for b in bids if not b._qualifies],
                "recommended": ranking[0]["alias"] if ranking and not fails else None,
            },
        )
        if fails:
            record_event(
                action="tender.failed",
                target=tender,
                actor=actor,
                park=tender.park,
                data={
                    "before": {"status": "evaluation"},
                    "after": {"status": "failed"},
                    "reason": tender.failure_reason,
                },
            )
    return tender
