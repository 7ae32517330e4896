"""Read queries of the integrity-risk register and its screening campaigns; who sees what is decided here.

Visibility (pages, API, exports, counts and the home panel all use `risk_scope_for`):

- platform administrators: every risk;
- discipline officers and park administrators: every risk of their parks; auditors read them too;
- other officials (handlers, dispatchers): the risks of their own department only;
- enterprise users and the public: nothing.
"""

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import (
    AUDITOR,
    DISCIPLINE,
    DISPATCHER,
    HANDLER,
    OFFICIAL_ROLES,
    PARK_ADMIN,
    has_role,
    is_platform_admin,
    user_roles,
)
from core.scoping import ALL, can_see_park, park_ids_for
from integrity.choices_risk import (
    ACTIVE_STATUSES,
    ANSWERED_STATUSES,
    ControlStatus,
    ResponseStatus,
    RiskArea,
    RiskLevel,
)
from integrity.models import (
    IntegrityRisk,
    RiskControl,
    RiskMatrixVersion,
    RiskReview,
    RiskScreeningCampaign,
    RiskScreeningResponse,
)
from parks.models import Department

_MISSING = object()
# Roles that see the whole register of their parks; auditors only read it.
REGISTER_ROLES = (DISCIPLINE, PARK_ADMIN)
REGISTER_READ_ROLES = (DISCIPLINE, PARK_ADMIN, AUDITOR)
# Officials who see (and report) the risks of their own department.
DEPARTMENT_ROLES = (HANDLER, DISPATCHER)


# --- who may do what ---------------------------------------------------------------------------------------


def staff_department(user):
    """The department of the user's staff profile, or None (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_risk_department", _MISSING)
    if cached is _MISSING:
        cached = Department.objects.filter(staff__user=user).select_related("park").first()
        user._risk_department = cached
    return cached


def can_manage_risks(user, park):
    """Register and decide on risks of `park`, launch screening campaigns: its discipline officers and park
    administrators, and platform administrators."""
    if is_platform_admin(user):
        return True
    return has_role(user, *REGISTER_ROLES) and can_see_park(user, park)


def can_read_register(user, park):
    """See the park's whole register: those who manage it, and the park's auditors (read-only)."""
    return can_manage_risks(user, park) or (has_role(user, AUDITOR) and can_see_park(user, park))


def is_department_staff(user, department):
    """An official (handler, dispatcher, or any official role) whose staff profile is in `department`."""
    if not has_role(user, *OFFICIAL_ROLES):
        return False
    own = staff_department(user)
    return own is not None and own.pk == getattr(department, "pk", department) and can_see_park(user, own.park_id)


def can_report_risk(user, park, department):
    """Register a risk for `department`: whoever manages the park's register, or the department's own staff
    (self-assessment, and answers to screening campaigns)."""
    if department is None or getattr(department, "park_id", None) != getattr(park, "pk", park):
        return False
    return can_manage_risks(user, park) or is_department_staff(user, department)


def discipline_office_head_ids(park):
    """Ids of the heads of the park's discipline office(s)."""
    return set(
        Department.objects.filter(
            park=park, kind=Department.Kind.DISCIPLINE, is_active=True, head__isnull=False
        ).values_list("head_id", flat=True)
    )


def is_discipline_office_head(user, park):
    return getattr(user, "is_authenticated", False) and user.pk in discipline_office_head_ids(park)


def can_review_risk(user, risk):
    """Record a review: the register's managers, the risk's responsible person, the head of its department."""
    if can_manage_risks(user, risk.park_id):
        return True
    if not getattr(user, "is_authenticated", False) or not can_see_park(user, risk.park_id):
        return False
    return user.pk in {risk.owner_id, risk.department.head_id}


def can_work_on_controls(user, risk):
    """Add controls to a risk: the register's managers and the staff of the risk's department."""
    return can_manage_risks(user, risk.park_id) or is_department_staff(user, risk.department_id)


def can_complete_control(user, control):
    """Complete a control or add evidence: its owner, and the register's managers."""
    if getattr(user, "pk", None) == control.owner_id and can_see_park(user, control.risk.park_id):
        return True
    return can_manage_risks(user, control.risk.park_id)


def park_officials(park):
    """Active officials assigned to the park (candidates for owners of risks and controls)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=OFFICIAL_ROLES, staff_profile__parks=park)
        .distinct()
        .order_by("display_name", "username")
    )


def discipline_officers_of(park):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=DISCIPLINE, staff_profile__parks=park)
        .distinct()
        .order_by("pk")
    )


def department_people(department):
    """Who is told about the department's risks and campaigns: its head and its active officials."""
    people = list(
        get_user_model()
        .objects.filter(is_active=True, staff_profile__department=department, groups__name__in=OFFICIAL_ROLES)
        .distinct()
        .order_by("pk")
    )
    if department.head_id and department.head.is_active and all(p.pk != department.head_id for p in people):
        people.insert(0, department.head)
    return people


# --- the matrix ------------------------------------------------------------------------------------------


def risk_matrix_for(park):
    """The matrix version new risks of `park` are scored under: the park's latest, else the platform
    default's latest (version 1 comes from a migration)."""
    park_id = getattr(park, "pk", park)
    found = None
    if park_id is not None:
        found = RiskMatrixVersion.objects.filter(park_id=park_id).order_by("-version").first()
    if found is None:
        found = RiskMatrixVersion.objects.filter(park__isnull=True).order_by("-version").first()
    if found is None:
        raise DomainError(_("No risk matrix is configured."), code="no_risk_matrix", kind="conflict")
    return found


def matrix_versions_for(user):
    """The matrix versions the user may read: the defaults and those of their parks."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, *REGISTER_READ_ROLES, "platform_admin"):
        return RiskMatrixVersion.objects.none()
    queryset = RiskMatrixVersion.objects.select_related("park", "published_by")
    ids = park_ids_for(user)
    if ids is ALL:
        return queryset
    return queryset.filter(Q(park__isnull=True) | Q(park_id__in=ids))


# --- risks -----------------------------------------------------------------------------------------------


def risk_scope_q(user, prefix=""):
    """The Q object of the risks `user` may see (``prefix`` for querying related models, e.g. ``"risk__"``).
    None means "nothing"."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_platform_admin(user):
        return Q()
    parks = park_ids_for(user)
    if not parks:
        return None
    roles = user_roles(user)
    visible = None
    if roles & set(REGISTER_READ_ROLES):
        visible = Q(**{f"{prefix}park_id__in": parks})
    if roles & set(OFFICIAL_ROLES):
        department = staff_department(user)
        if department is not None and department.park_id in parks:
            own = Q(**{f"{prefix}department_id": department.pk})
            visible = own if visible is None else visible | own
    return visible


def risk_scope_for(user):
    """The risks `user` may see, without joins: the base of every list, export and count."""
    q = risk_scope_q(user)
    if q is None:
        return IntegrityRisk.objects.none()
    return IntegrityRisk.objects.filter(q)


def _with_related(queryset):
    return queryset.select_related(
        "park", "department", "owner", "post_holder", "matrix_version", "source_ticket"
    ).prefetch_related(
        Prefetch("controls", queryset=RiskControl.objects.select_related("owner").order_by("due_date", "id"))
    )


def risk_list_for(user):
    """The register as `user` may see it, in 台账 order (park, department, post), with the controls and
    their owners loaded in a constant number of queries."""
    return _with_related(risk_scope_for(user)).order_by("park__name", "department__name", "post", "id")


def risk_get_for(user, pk):
    """One risk `user` may see; a risk they may not see is reported as not found."""
    try:
        return risk_list_for(user).get(pk=pk)
    except (IntegrityRisk.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such risk."), code="not_found", kind="not_found") from None


def risk_is_visible_to(user, risk):
    q = risk_scope_q(user)
    return q is not None and risk_scope_for(user).filter(pk=risk.pk).exists()


def active_risks_of(department, *, area=None):
    """Risks under review of one department (optionally of one area): for other apps that pull reviews
    forward when something happens there (a substantiated complaint, a confirmed red flag, an inspection)."""
    queryset = IntegrityRisk.objects.filter(department=department, status__in=ACTIVE_STATUSES)
    if area:
        queryset = queryset.filter(area=area)
    return queryset.order_by("id")


def risk_reviews_of(risk):
    return risk.reviews.select_related("reviewer", "matrix_version").order_by("-reviewed_on", "-id")


def risks_overdue_for_review(user, *, today=None):
    """Risks `user` may see whose review is overdue, most overdue first."""
    today = today or timezone.localdate()
    return (
        risk_scope_for(user)
        .filter(status__in=ACTIVE_STATUSES, review_due_date__lt=today)
        .select_related("park", "department", "owner")
        .order_by("review_due_date", "id")
    )


def control_list_for(user):
    """The controls of the risks `user` may see."""
    q = risk_scope_q(user, prefix="risk__")
    if q is None:
        return RiskControl.objects.none()
    return (
        RiskControl.objects.filter(q)
        .select_related("risk", "risk__park", "risk__department", "owner", "completed_by")
        .order_by("due_date", "id")
    )


def controls_overdue_for(user, *, today=None):
    today = today or timezone.localdate()
    return control_list_for(user).filter(status=ControlStatus.OPEN, due_date__lt=today)


def review_list_for(user):
    """The reviews of the risks `user` may see, newest first."""
    q = risk_scope_q(user, prefix="risk__")
    if q is None:
        return RiskReview.objects.none()
    return (
        RiskReview.objects.filter(q)
        .select_related("risk", "risk__park", "risk__department", "reviewer", "matrix_version")
        .order_by("-reviewed_on", "-id")
    )


def risk_heatmap_for(user):
    """Counts of the active risks `user` may see per matrix cell, inherent and residual, with the levels
    per status: ``{"inherent": [[likelihood, impact, count], …], "residual": […], "by_level": {…}}``."""
    base = risk_scope_for(user).filter(status__in=ACTIVE_STATUSES)
    result = {"inherent": [], "residual": [], "total": 0}
    for kind in ("inherent", "residual"):
        rows = base.values(f"{kind}_likelihood", f"{kind}_impact").annotate(n=Count("id"))
        result[kind] = sorted([r[f"{kind}_likelihood"], r[f"{kind}_impact"], r["n"]] for r in rows)
    levels = dict(base.values_list("residual_level").annotate(n=Count("id")).values_list("residual_level", "n"))
    result["by_level"] = [
        {"level": level.value, "label": str(level.label), "count": levels.get(level.value, 0)}
        for level in (RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)
    ]
    result["total"] = sum(levels.values())
    return result


# --- screening campaigns -----------------------------------------------------------------------------------


def campaign_scope_for(user):
    """Campaigns `user` may see: those of the parks whose register they read; other officials those of their
    park that ask their department."""
    if not getattr(user, "is_authenticated", False):
        return RiskScreeningCampaign.objects.none()
    if is_platform_admin(user):
        return RiskScreeningCampaign.objects.all()
    parks = park_ids_for(user)
    if not parks:
        return RiskScreeningCampaign.objects.none()
    visible = Q(pk__in=[])
    if has_role(user, *REGISTER_READ_ROLES):
        visible |= Q(park_id__in=parks)
    department = staff_department(user)
    if department is not None and has_role(user, *OFFICIAL_ROLES):
        asked = RiskScreeningResponse.objects.filter(campaign=OuterRef("pk"), department=department)
        visible |= Q(park_id__in=parks) & Q(Exists(asked))
    return RiskScreeningCampaign.objects.filter(visible)


def campaign_list_for(user):
    """Campaigns with their answer counts (answered, nil, missing), newest first."""
    return (
        campaign_scope_for(user)
        .select_related("park", "created_by")
        .annotate(
            departments_total=Count("responses", distinct=True),
            answered_count=Count("responses", filter=Q(responses__status=ResponseStatus.ANSWERED), distinct=True),
            nil_count=Count("responses", filter=Q(responses__status=ResponseStatus.NIL), distinct=True),
            missing_count=Count("responses", filter=Q(responses__status=ResponseStatus.PENDING), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def campaign_get_for(user, pk):
    try:
        return campaign_list_for(user).get(pk=pk)
    except (RiskScreeningCampaign.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such screening campaign."), code="not_found", kind="not_found") from None


def campaign_responses_for(user, campaign):
    """The responses of a campaign `user` may see: all of them for whoever reads the register, else their own
    department's."""
    queryset = campaign.responses.select_related("department", "answered_by", "campaign").prefetch_related(
        Prefetch("risks", queryset=IntegrityRisk.objects.order_by("id"))
    )
    if can_read_register(user, campaign.park_id):
        return queryset.order_by("department__kind", "department__name")
    department = staff_department(user)
    if department is None:
        return queryset.none()
    return queryset.filter(department=department)


def response_get_for(user, pk):
    """One response `user` may see (their department's, or any of a park whose register they read)."""
    try:
        response = RiskScreeningResponse.objects.select_related("campaign", "campaign__park", "department").get(pk=pk)
    except (RiskScreeningResponse.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such response."), code="not_found", kind="not_found") from None
    if can_read_register(user, response.campaign.park_id) or is_department_staff(user, response.department_id):
        return response
    raise DomainError(_("No such response."), code="not_found", kind="not_found")


def response_list_for(user):
    """Responses `user` may see, for the API: every response of a park whose register they read, and their
    own department's."""
    if not getattr(user, "is_authenticated", False):
        return RiskScreeningResponse.objects.none()
    queryset = RiskScreeningResponse.objects.select_related(
        "campaign", "campaign__park", "department", "answered_by"
    ).prefetch_related(Prefetch("risks", queryset=IntegrityRisk.objects.order_by("id")))
    if is_platform_admin(user):
        return queryset.order_by("-campaign__created_at", "department__name")
    parks = park_ids_for(user)
    visible = Q(pk__in=[])
    if has_role(user, *REGISTER_READ_ROLES) and parks:
        visible |= Q(campaign__park_id__in=parks)
    department = staff_department(user)
    if department is not None and has_role(user, *OFFICIAL_ROLES) and department.park_id in parks:
        visible |= Q(department=department)
    return queryset.filter(visible).order_by("-campaign__created_at", "department__name")


def campaign_completion(campaign, *, today=None):
    """The completion view of one campaign: per department its status (answered / nil / missing), when and
    by whom, the risks reported, late or not; and the totals."""
    today = today or timezone.localdate()
    rows = []
    totals = {"answered": 0, "nil": 0, "missing": 0, "late": 0, "risks": 0}
    responses = campaign.responses.select_related("department", "answered_by").annotate(risk_count=Count("risks"))
    for response in responses.order_by("department__kind", "department__name"):
        answered = response.status in ANSWERED_STATUSES
        late = (
            timezone.localdate(response.answered_at) > campaign.deadline
            if answered and response.answered_at
            else (not answered and today > campaign.deadline)
        )
        key = {"answered": "answered", "nil": "nil", "pending": "missing"}[response.status]
        totals[key] += 1
        totals["late"] += int(late)
        totals["risks"] += response.risk_count
        rows.append({"response": response, "department": response.department, "late": late})
    total = len(rows)
    totals["total"] = total
    totals["answered_share"] = round(100 * (totals["answered"] + totals["nil"]) / total) if total else None
    return {"rows": rows, "totals": totals}


# --- raising a risk from a ticket ---------------------------------------------------------------------------

# Keywords that suggest the area of a risk raised from a complaint, tried in order.
AREA_KEYWORDS = (
    (RiskArea.PROCUREMENT, ("采购", "招标", "投标", "比价", "询价", "中标", "供应商")),
    (RiskArea.ENGINEERING, ("工程", "施工", "工地", "分包", "挂靠", "监理", "签证", "偷工减料")),
    (RiskArea.POLICY_PAYOUTS, ("补贴", "奖补", "兑现", "惠企", "资金发放", "消费券", "扶持资金", "虚报冒领")),
    (RiskArea.APPROVAL, ("审批", "许可", "证照", "备案", "环评", "报装", "办证")),
    (RiskArea.INVESTMENT, ("招商", "签约", "入园", "引资", "供地")),
    (RiskArea.FINANCING, ("融资", "贷款", "发债", "担保", "借贷")),
    (RiskArea.ASSET_DISPOSAL, ("资产", "处置", "出租", "转让", "土地", "厂房")),
    (RiskArea.PERSONNEL, ("招聘", "提拔", "人事", "考勤", "任免", "编制")),
)


def guess_risk_area(*texts):
    """The area whose keywords occur first in `texts` (subject, category, body); internal management when
    none does."""
    text = " ".join(t for t in texts if t)
    best, best_at = RiskArea.INTERNAL, None
    for area, words in AREA_KEYWORDS:
        for word in words:
            at = text.find(word)
            if at != -1 and (best_at is None or at < best_at):
                best, best_at = area, at
    return best


def _first_sentence(text, limit=200):
    text = re.sub(r"\s+", " ", text or "").strip()
    return text[:limit]


def risk_prefill_from_ticket(ticket):
    """The values a risk raised from `ticket` starts with: title from the subject, the area guessed from the
    subject, category and description, the department concerned (the accused official's, else the lead
    department), and the description from the ticket's text."""
    department = None
    accused = getattr(ticket, "accused_official", None)
    if accused is not None:
        department = Department.objects.filter(staff__user=accused, park_id=ticket.park_id).first()
    if department is None:
        department = ticket.lead_department
    return {
        "title": ticket.subject[:200],
        "area": guess_risk_area(ticket.subject, getattr(ticket.category, "name", ""), ticket.body),
        "department": department,
        "description": _first_sentence(ticket.body, 2000),
        "source_reference": ticket.number,
    }


def upcoming_review_window(version, today):
    """The last due date that gets an "upcoming" reminder today under `version`."""
    return today + dt.timedelta(days=version.upcoming_reminder_days)
