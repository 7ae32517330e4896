"""Configuration of the 吐槽区 per park: categories and routing rules (edited by park administrators), and
the default category tree every park starts from."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from complaints.choices import CategoryKind
from complaints.models import Category, RoutingRule
from core.audit import record_event
from core.errors import DomainError, PermissionDenied
from core.roles import PARK_ADMIN, PLATFORM_ADMIN, has_role
from core.scoping import can_see_park

# (code, name, kind, misconduct, children: [(code, name, kind)])
DEFAULT_CATEGORIES = (
    (
        "policy",
        "政策兑现",
        CategoryKind.DEMAND,
        False,
        [("policy-subsidy", "补贴申领", CategoryKind.DEMAND), ("policy-consult", "政策咨询", CategoryKind.DEMAND)],
    ),
    (
        "approval",
        "审批服务",
        CategoryKind.DEMAND,
        False,
        [("approval-project", "项目审批", CategoryKind.DEMAND), ("approval-license", "证照办理", CategoryKind.DEMAND)],
    ),
    ("finance", "融资", CategoryKind.DEMAND, False, [("finance-loan", "融资对接", CategoryKind.DEMAND)]),
    (
        "talent",
        "人才",
        CategoryKind.DEMAND,
        False,
        [("talent-policy", "人才政策", CategoryKind.DEMAND), ("talent-housing", "人才住房", CategoryKind.DEMAND)],
    ),
    ("land", "用地", CategoryKind.COMPLEX, False, []),
    (
        "infrastructure",
        "基础设施",
        CategoryKind.DEMAND,
        False,
        [("infra-utilities", "水电气报装", CategoryKind.DEMAND), ("infra-roads", "道路交通", CategoryKind.DEMAND)],
    ),
    ("environment", "噪音环境", CategoryKind.COMPLAINT, False, []),
    (
        "misconduct",
        "作风问题",
        CategoryKind.COMPLAINT,
        True,
        [
            ("misconduct-improper-demands", "吃拿卡要", CategoryKind.COMPLAINT),
            ("misconduct-shirking", "推诿扯皮", CategoryKind.COMPLAINT),
        ],
    ),
    ("other", "其他", CategoryKind.DEMAND, False, []),
)


def _require_park_admin(actor, park):
    if not (has_role(actor, PLATFORM_ADMIN) or (has_role(actor, PARK_ADMIN) and can_see_park(actor, park))):
        raise PermissionDenied(_("Only the park's administrators configure categories and routing rules."))


def complaints_install_default_categories(*, park, actor=None):
    """Create the default category tree (政策兑现、审批服务、融资、人才、用地、基础设施、噪音环境、作风问题 …)
    in `park`; categories whose code exists are left as they are, so it can run again. Returns the
    categories created. With an `actor`, only park administrators; ``actor=None`` is the system (demo data,
    new parks). Records ``category.created`` per category."""
    if actor is not None:
        _require_park_admin(actor, park)
    created = []
    with transaction.atomic():
        existing = {c.code: c for c in Category.objects.filter(park=park)}
        for order, (code, name, kind, misconduct, children) in enumerate(DEFAULT_CATEGORIES, start=1):
            parent = existing.get(code)
            if parent is None:
                parent = Category.objects.create(
                    park=park, code=code, name=name, kind=kind, is_misconduct=misconduct, order=order * 10
                )
                created.append(parent)
            for child_order, (child_code, child_name, child_kind) in enumerate(children, start=1):
                if child_code in existing:
                    continue
                created.append(
                    Category.objects.create(
                        park=park,
                        parent=parent,
                        code=child_code,
                        name=child_name,
                        kind=child_kind,
                        is_misconduct=misconduct,
                        order=child_order * 10,
                    )
                )
        for category in created:
            record_event(
                action="category.created",
                target=category,
                actor=actor,
                park=park,
                data={"after": {"code": category.code, "name": category.name, "misconduct": category.is_misconduct}},
            )
    return created


CATEGORY_FIELDS = (
    "name",
    "code",
    "parent_id",
    "kind",
    "default_department_id",
    "accept_days",
    "sign_days",
    "reply_days",
    "urgent_same_day",
    "is_misconduct",
    "is_confidential",
    "show_on_public_form",
    "order",
    "is_active",
)
RULE_FIELDS = ("name", "category_id", "keywords", "department_id", "priority", "is_active")


def _values(obj, fields):
    return {name: getattr(obj, name) for name in fields}


def category_check(category):
    """Refuse (DomainError) a category that does not hold together: a parent or default department of
    another park, or a cycle in the tree. Forms call it to show the error on the field."""
    if category.parent_id:
        if category.parent.park_id != category.park_id:
            raise DomainError(_("The parent category must be in the same park."), field="parent")
        node = category.parent
        while node is not None:
            if category.pk and node.pk == category.pk:
                raise DomainError(_("A category cannot be inside itself."), field="parent")
            node = node.parent
    if category.default_department_id and category.default_department.park_id != category.park_id:
        raise DomainError(_("The default department must be in the same park."), field="default_department")


def category_save(*, category, actor):
    """Create or update a category (from the admin or a form) after `category_check`. Park administrators
    of the park (platform administrators anywhere). Records ``category.created`` / ``category.updated``."""
    _require_park_admin(actor, category.park)
    category_check(category)
    with transaction.atomic():
        adding = category.pk is None
        before = {} if adding else _values(Category.objects.get(pk=category.pk), CATEGORY_FIELDS)
        category.save()
        record_event(
            action="category.created" if adding else "category.updated",
            target=category,
            actor=actor,
            park=category.park_id,
            data={"before": before, "after": _values(category, CATEGORY_FIELDS)},
        )
    return category


def routing_rule_check(rule, co_departments=None):
    """Refuse (DomainError) a rule whose category or departments are of another park."""
    if rule.category_id and rule.category.park_id != rule.park_id:
        raise DomainError(_("The category must be in the same park."), field="category")
    if rule.department.park_id != rule.park_id:
        raise DomainError(_("The department must be in the same park."), field="department")
    for department in co_departments or ():
        if department.park_id != rule.park_id:
            raise DomainError(_("The co-handling departments must be in the same park."), field="co_departments")


def routing_rule_save(*, rule, actor, co_departments=None):
    """Create or update a routing rule: its category and departments must be in its park. Park
    administrators of the park. Records ``routing_rule.created`` / ``routing_rule.updated``."""
    _require_park_admin(actor, rule.park)
    routing_rule_check(rule, co_departments)
    with transaction.atomic():
        adding = rule.pk is None
        before = {} if adding else _values(RoutingRule.objects.get(pk=rule.pk), RULE_FIELDS)
        rule.save()
        if co_departments is not None:
            rule.co_departments.set(co_departments)
        record_event(
            action="routing_rule.created" if adding else "routing_rule.updated",
            target=rule,
            actor=actor,
            park=rule.park_id,
            data={
                "before": before,
                "after": _values(rule, RULE_FIELDS)
                | {"co_departments": sorted(rule.co_departments.values_list("pk", flat=True))},
            },
        )
    return rule
