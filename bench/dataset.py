"""The benchmark's data: eight parks as a province would have them, their departments, officials and a few
thousand enterprises, then 100 000 tickets spread over a year, loaded with PostgreSQL's COPY.

Parks, users, categories and API tokens are made with the portal's services or plain ORM inserts; tickets go
straight into the table (COPY), with every column a service would set: numbers per park and year, channels,
statuses that follow from each ticket's age, stage clocks from the work calendar, lead and co-handling
departments, replies and satisfaction for the closed ones. The ticket counters are moved past the loaded
numbers so that the POSTs of the benchmark continue the sequence.

Not generated: audit events, notifications, messages, reminders and anonymous receipts of the loaded
tickets (the endpoints measured do not read them for a list; a detail page reads the trail of one ticket).
"""

import io
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import api_token_create, api_token_revoke
from complaints.choices import Channel, Priority, Status
from complaints.models import Category, Ticket, TicketCounter
from complaints.services import complaints_install_default_categories
from core import roles
from core.workcalendar import add_working_days
from parks.models import Department, Enterprise, EnterpriseMembership, Park, StaffProfile
from parks.validators import CREDIT_CODE_CHARSET, credit_code_check_character

PASSWORD = "bench-only-password-2025"

# (code, name, relative size): a large national zone, several provincial parks, two small ones.
PARKS = (
    ("YZW", "三亚崖州湾科技城", 22),
    ("HKJ", "海口江东新区", 18),
    ("YPK", "洋浦经济开发区", 15),
    ("BLZ", "博鳌乐城国际医疗旅游先行区", 12),
    ("HKG", "海口国家高新技术产业开发区", 12),
    ("WCH", "文昌国际航天城", 9),
    ("LGS", "陵水黎安国际教育创新试验区", 7),
    ("DZH", "儋州木棠工业园", 5),
)

# business departments, and which top-level category codes each leads by default
BUSINESS_DEPARTMENTS = (
    ("企业服务局", ("policy", "finance", "other")),
    ("行政审批局", ("approval",)),
    ("人才发展局", ("talent",)),
    ("规划建设局", ("land", "infrastructure")),
    ("生态环境局", ("environment",)),
    ("招商促进局", ()),
)

ENTERPRISES_PER_SIZE = 12  # 22 → 264 enterprises in the largest park, ~1200 in all
ENTERPRISE_WORDS = ("海", "椰", "南", "星", "澜", "航", "瑞", "恒", "新", "智", "远", "华", "禾", "蓝", "湾", "嘉")
ENTERPRISE_TRADES = ("科技", "生物医药", "航天技术", "新材料", "数字科技", "供应链", "海洋科技", "种业", "智能制造")

# top-level category code → relative frequency (作风问题 rare; 政策兑现 and 审批服务 the bulk of demands)
CATEGORY_WEIGHTS = {
    "policy": 24,
    "approval": 20,
    "finance": 8,
    "talent": 10,
    "land": 6,
    "infrastructure": 14,
    "environment": 8,
    "misconduct": 3,
    "other": 7,
}
CHANNEL_WEIGHTS = {
    Channel.WEB: 46,
    Channel.APP: 6,
    Channel.QR: 9,
    Channel.HOTLINE_12345: 17,
    Channel.PHONE: 8,
    Channel.WALK_IN: 4,
    Channel.MAILBOX: 2,
    Channel.EMAIL: 2,
    Channel.VISIT: 5,
    Channel.OPEN311: 1,
}
PUBLIC = {Channel.WEB, Channel.APP, Channel.QR, Channel.OPEN311}
ANONYMOUS_SHARE = 0.04  # of the public-channel tickets

TOPICS = {
    "policy": ("研发费用补贴迟迟未到账", "人才引进奖励材料被退回三次", "政策兑现口径不一致", "稳岗补贴申领流程不清"),
    "approval": ("施工许可审批超时", "环评批复材料要求反复变化", "营业执照变更需要跑多个窗口", "消防验收预约排期太长"),
    "finance": ("申请贴息贷款无人对接", "融资担保费率高于承诺", "知识产权质押融资进展缓慢"),
    "talent": ("人才公寓分配进度不透明", "子女入学政策咨询无人答复", "高层次人才认定材料退回"),
    "land": ("项目用地交付延期", "土地出让条件与招商承诺不符", "厂房租金补贴标准变化"),
    "infrastructure": ("园区道路积水严重", "工业用电报装周期过长", "供水压力不足影响生产", "班车线路取消"),
    "environment": ("夜间施工噪音扰民", "相邻企业废气异味", "工地扬尘影响实验室"),
    "misconduct": ("窗口工作人员索要好处费", "办事人员推诿扯皮", "检查人员吃拿卡要"),
    "other": ("园区食堂价格上涨", "快递无法进入园区", "会议室预约系统故障"),
}
BODY_PHRASES = (
    "我公司于{month}月提交了相关材料，至今没有收到明确答复。",
    "多次电话联系经办人员，均称需要再等一等。",
    "此事已影响到项目正常推进，给企业造成了一定损失。",
    "希望园区相关部门尽快协调解决，并给出明确的办理时限。",
    "相关负责人表示需要请示领导，但一直没有下文。",
    "同样的问题周边几家企业也遇到过，希望能够统一口径。",
    "恳请园区按照承诺兑现，并告知后续办理流程。",
)
REPLIES = (
    "经核实，已协调相关部门完成办理，并向企业说明了后续流程。",
    "已约谈经办人员，责令限期整改，资金将于本月内拨付到位。",
    "已现场查看并督促施工单位调整作业时间，后续将加强巡查。",
    "已将该事项纳入园区问题清单，明确责任人和办结时限。",
)
MEASURES = (
    "建立首问负责制，对同类事项实行限时办结。",
    "优化审批流程，压缩办理时限至5个工作日。",
    "开展作风专项整治，对相关人员进行提醒谈话。",
)


@dataclass
class ParkWorld:
    park: Park
    weight: int
    dispatch: Department
    discipline: Department
    business: list
    lead_by_category: dict  # top-level category code → Department
    categories: list  # (Category, top-level code), leaves and childless roots
    enterprises: list  # (Enterprise, its user id)
    dispatchers: list = field(default_factory=list)
    handlers: dict = field(default_factory=dict)  # department id → [user ids]
    staff_ids: list = field(default_factory=list)


@dataclass
class BenchWorld:
    parks: list  # ParkWorld


def _credit_code(rng):
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(9))
    return body + credit_code_check_character(body)


def _users(specs, password_hash):
    """bulk-create users and their role groups; `specs` are (username, display name, role)."""
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
    users = User.objects.bulk_create(
        [
            User(username=username, display_name=display, email=f"{username}@bench.invalid", password=password_hash)
            for username, display, _role in specs
        ]
    )
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=user.pk, group_id=groups[role].pk) for user, (_u, _d, role) in zip(users, specs, strict=True)]
    )
    return users


def build_world(rng):
    """Parks with their departments, officials (two dispatchers, a discipline officer, an administrator, two
    handlers per department), the default category tree and enterprises, each with one user."""
    password_hash = make_password(PASSWORD)
    parks = []
    for code, name, weight in PARKS:
        park = Park.objects.create(code=code, name=name, region="海南省")
        dispatch = Department.objects.create(park=park, name="统一受理中心", kind=Department.Kind.DISPATCH)
        discipline = Department.objects.create(park=park, name="纪工委", kind=Department.Kind.DISCIPLINE)
        business, lead = [], {}
        for dept_name, category_codes in BUSINESS_DEPARTMENTS:
            department = Department.objects.create(park=park, name=dept_name, kind=Department.Kind.BUSINESS)
            business.append(department)
            for category_code in category_codes:
                lead[category_code] = department
        lead["misconduct"] = discipline
        complaints_install_default_categories(park=park)
        tree = list(Category.objects.filter(park=park).select_related("parent"))
        with_children = {c.parent_id for c in tree if c.parent_id}
        categories = [
            (c, c.parent.code if c.parent_id else c.code) for c in tree if c.parent_id or c.pk not in with_children
        ]
        for category in tree:
            top = category.parent.code if category.parent_id else category.code
            if top in lead:
                Category.objects.filter(pk=category.pk).update(default_department=lead[top])

        code_l = code.lower()
        # (username, display name, role, department)
        staff_specs = [(f"{code_l}_dispatcher{i}", f"{name}受理员{i}", roles.DISPATCHER, dispatch) for i in (1, 2)]
        staff_specs.append((f"{code_l}_discipline", f"{name}纪检员", roles.DISCIPLINE, discipline))
        staff_specs.append((f"{code_l}_admin", f"{name}管理员", roles.PARK_ADMIN, None))
        for index, department in enumerate([*business, discipline]):
            for n in (1, 2):
                staff_specs.append(
                    (f"{code_l}_handler{index}_{n}", f"{department.name}经办人{n}", roles.HANDLER, department)
                )
        staff = _users([spec[:3] for spec in staff_specs], password_hash)
        profiles = StaffProfile.objects.bulk_create(
            [StaffProfile(user=user, department=spec[3]) for user, spec in zip(staff, staff_specs, strict=True)]
        )
        StaffProfile.parks.through.objects.bulk_create(
            [StaffProfile.parks.through(staffprofile_id=p.pk, park_id=park.pk) for p in profiles]
        )
        world = ParkWorld(
            park=park,
            weight=weight,
            dispatch=dispatch,
            discipline=discipline,
            business=business,
            lead_by_category=lead,
            categories=categories,
            enterprises=[],
            dispatchers=[u.pk for u in staff if "dispatcher" in u.username],
            staff_ids=[u.pk for u in staff],
        )
        for user, (_u, _d, role, department) in zip(staff, staff_specs, strict=True):
            if role == roles.HANDLER:
                world.handlers.setdefault(department.pk, []).append(user.pk)

        count = weight * ENTERPRISES_PER_SIZE
        enterprises = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    park=park,
                    name=f"{name[:2]}{rng.choice(ENTERPRISE_WORDS)}{rng.choice(ENTERPRISE_WORDS)}"
                    f"{rng.choice(ENTERPRISE_TRADES)}有限公司{i:03d}",
                    credit_code=_credit_code(rng),
                    status=Enterprise.Status.VERIFIED,
                    verified_at=timezone.now(),
                    contact_phone=f"13{rng.randrange(10**9):09d}",
                )
                for i in range(count)
            ]
        )
        enterprise_users = _users(
            [(f"{code_l}_ent{i:03d}", f"企业联络人{i:03d}", roles.ENTERPRISE) for i in range(count)], password_hash
        )
        EnterpriseMembership.objects.bulk_create(
            [
                EnterpriseMembership(user=user, enterprise=enterprise, role=EnterpriseMembership.Role.ADMIN)
                for user, enterprise in zip(enterprise_users, enterprises, strict=True)
            ]
        )
        world.enterprises = [(e, u.pk) for e, u in zip(enterprises, enterprise_users, strict=True)]
        parks.append(world)

    return BenchWorld(parks=parks)


def clients():
    """What the benchmark's clients need, read from a loaded database: per park a fresh API token of its
    first enterprise user and of its first dispatcher, the public categories, a policy category to filter
    on, and the ids of the tickets a dispatcher may open (not confidential)."""
    data = {"tokens": {"enterprise": [], "dispatcher": []}, "categories": {}, "filter_category": {}, "parks": {}}
    data["visible"] = {}
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    for park in Park.objects.order_by("pk"):
        code_l = park.code.lower()
        for role, username in (("enterprise", f"{code_l}_ent000"), ("dispatcher", f"{code_l}_dispatcher1")):
            user = User.objects.get(username=username)
            for old in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
                api_token_revoke(token=old, actor=user)
            _token, raw = api_token_create(user=user, name=f"bench {stamp}", actor=user)
            data["tokens"][role].append((park.code, raw))
        categories = Category.objects.filter(park=park, is_active=True, show_on_public_form=True, is_misconduct=False)
        data["categories"][park.code] = list(categories.filter(children__isnull=True).values_list("pk", flat=True))
        data["filter_category"][park.code] = Category.objects.get(park=park, code="policy").pk
        data["parks"][park.code] = park.pk
        visible = Ticket.objects.filter(park=park, is_confidential=False).order_by("pk")
        data["visible"][park.code] = list(visible.values_list("pk", flat=True))
    return data


# --- tickets ---------------------------------------------------------------------------------------------


@cache
def _due(day, n):
    # add_working_days depends only on the local date: cache it, 100 000 tickets share ~400 dates.
    return add_working_days(day, n)


def due_after(moment, n):
    return _due(timezone.localtime(moment).date(), n)


def _status_for_age(rng, days):
    """A status as a park's ticket of that age would have it: fresh ones still queued, old ones closed."""
    if days < 1:
        table = ((Status.SUBMITTED, 55), (Status.ACCEPTED, 20), (Status.ASSIGNED, 20), (Status.IN_PROGRESS, 5))
    elif days < 5:
        table = (
            (Status.SUBMITTED, 3),
            (Status.ACCEPTED, 5),
            (Status.ASSIGNED, 12),
            (Status.IN_PROGRESS, 48),
            (Status.REPLIED, 18),
            (Status.CLOSED, 10),
            (Status.REJECTED, 3),
            (Status.MERGED, 1),
        )
    elif days < 25:
        table = (
            (Status.ASSIGNED, 2),
            (Status.IN_PROGRESS, 22),
            (Status.REPLIED, 18),
            (Status.CLOSED, 50),
            (Status.REJECTED, 5),
            (Status.MERGED, 3),
        )
    else:
        table = (
            (Status.IN_PROGRESS, 1),
            (Status.REPLIED, 1),
            (Status.CLOSED, 89),
            (Status.REJECTED, 5),
            (Status.MERGED, 4),
        )
    statuses, weights = zip(*table, strict=True)
    return rng.choices(statuses, weights)[0]


def _weighted(rng, mapping):
    keys = list(mapping)
    return rng.choices(keys, [mapping[k] for k in keys])[0]


def _hours(rng, low, high):
    return timedelta(hours=rng.uniform(low, high))


def make_tickets(world, count, rng, now):
    """`count` Ticket objects (with explicit ids from 1) and their co-handling links ``[(ticket id,
    department id)]``, oldest first so that numbers grow with time within each park and year."""
    park_weights = [w.weight for w in world.parks]
    moments = []
    for _ in range(count):
        # More demand lately (the channel became known): density grows linearly over the year.
        days_ago = 365 * (1 - rng.random() ** 0.5)
        moment = now - timedelta(days=days_ago)
        local = timezone.localtime(moment)
        # Most tickets arrive in office hours.
        if rng.random() < 0.85:
            local = local.replace(hour=rng.randrange(8, 18), minute=rng.randrange(60))
        moments.append(min(local, now - timedelta(minutes=1)))
    moments.sort()

    def cap(moment, floor):
        # Events happen in order and never in the future.
        return max(floor, min(moment, now))

    counters = {}
    tickets, co_links, merged_candidates = [], [], {}
    for pk, created in enumerate(moments, start=1):
        pw = rng.choices(world.parks, park_weights)[0]
        park = pw.park
        top = _weighted(rng, CATEGORY_WEIGHTS)
        category = rng.choice([c for c, t in pw.categories if t == top])
        misconduct = top == "misconduct"
        channel = _weighted(rng, CHANNEL_WEIGHTS)
        if misconduct and channel not in PUBLIC:
            channel = Channel.WEB
        anonymous = channel in PUBLIC and (rng.random() < ANONYMOUS_SHARE or (misconduct and rng.random() < 0.4))
        enterprise, enterprise_user = rng.choice(pw.enterprises)
        year = created.year
        counters[(park.pk, year)] = number = counters.get((park.pk, year), 0) + 1
        age_days = (now - created).total_seconds() / 86400
        status = _status_for_age(rng, age_days)
        priority = Priority.URGENT if rng.random() < 0.03 and not anonymous else Priority.NORMAL
        t = Ticket(
            id=pk,
            park=park,
            number=f"{park.code.upper()}-{year}-{number:06d}",
            channel=channel,
            category=category,
            subject=f"{rng.choice(TOPICS[top])}",
            body="".join(rng.sample(BODY_PHRASES, rng.randint(2, 4))).format(month=rng.randint(1, 12)),
            is_anonymous=anonymous,
            enterprise=None if anonymous else enterprise,
            submitter_id=None if anonymous or channel not in PUBLIC else enterprise_user,
            registered_by_id=rng.choice(pw.dispatchers) if channel not in PUBLIC else None,
            contact_name="" if anonymous else f"联系人{rng.randrange(1000):03d}",
            contact_phone="" if anonymous else f"13{rng.randrange(10**9):09d}",
            hide_identity=not anonymous and rng.random() < 0.05,
            accused_official_id=rng.choice(pw.staff_ids) if misconduct and rng.random() < 0.5 else None,
            priority=priority,
            status=Status.SUBMITTED,
            is_confidential=misconduct,
            created_at=created,
            updated_at=created,
            accept_due=due_after(created, category.accept_days),
            routed_at=created + timedelta(seconds=rng.uniform(0.2, 3)),
            consent_to_publish=rng.random() < 0.4,
        )
        lead = pw.lead_by_category.get(top) or rng.choice(pw.business)
        t.suggested_department = lead
        reached = status
        if reached != Status.SUBMITTED:
            accepted = created + _hours(rng, 0.3, 20)
            if reached in (Status.REJECTED, Status.MERGED):
                t.status = reached
                t.closed_at = cap(accepted, created)
                t.closure_reason = "不属于受理范围" if reached == Status.REJECTED else "重复件，已并入原诉求"
                if reached == Status.MERGED:
                    original = merged_candidates.get(park.pk)
                    if original is None:
                        t.status = Status.REJECTED
                        t.closure_reason = "不属于受理范围"
                    else:
                        t.merged_into_id = original
                tickets.append(t)
                continue
            accepted = cap(accepted, created)
            t.status = Status.ACCEPTED
            t.accepted_at = t.reply_started_at = accepted
            if priority == Priority.URGENT:
                t.reply_due = due_after(accepted, 0)
            else:
                t.reply_due = due_after(accepted, category.effective_reply_days)
            if reached != Status.ACCEPTED:
                dispatched = cap(accepted + _hours(rng, 0.1, 4), accepted)
                t.status = Status.ASSIGNED
                t.lead_department = lead
                t.dispatched_at = dispatched
                t.sign_due = due_after(dispatched, category.sign_days)
                if rng.random() < 0.12 and not misconduct:
                    co = rng.choice([d for d in pw.business if d.pk != lead.pk])
                    co_links.append((pk, co.pk))
                if reached != Status.ASSIGNED:
                    signed = cap(dispatched + _hours(rng, 0.5, 30), dispatched)
                    t.status = Status.IN_PROGRESS
                    t.signed_at = signed
                    handlers = pw.handlers.get(lead.pk) or []
                    t.assignee_id = rng.choice(handlers) if handlers else None
                    if reached != Status.IN_PROGRESS:
                        # Most replies before the deadline, a tail after it (the overdue share of a real park).
                        span = (t.reply_due - signed).total_seconds()
                        late = rng.random() < 0.08
                        share = rng.uniform(1.0, 1.6) if late else rng.uniform(0.1, 0.95)
                        replied = signed + timedelta(seconds=span * share)
                        replied = cap(replied, signed)
                        t.status = Status.REPLIED
                        t.replied_at = replied
                        t.replied_by_id = t.assignee_id
                        t.reply = rng.choice(REPLIES)
                        t.rectification_measures = rng.choice(MEASURES) if rng.random() < 0.5 else ""
                        if reached == Status.CLOSED:
                            closed = cap(replied + _hours(rng, 2, 96), replied)
                            t.status = Status.CLOSED
                            t.closed_at = closed
                            t.satisfaction = rng.choices((5, 4, 3, 2, 1), (62, 22, 9, 4, 3))[0]
                            if t.satisfaction <= 2:
                                t.satisfaction_comment = "问题未根本解决"
        if rng.random() < 0.02 and t.status not in (Status.REJECTED, Status.MERGED, Status.CLOSED):
            t.supervision_level = rng.randint(1, 2)
        if t.status == Status.CLOSED and rng.random() < 0.05:
            t.reopen_count = 1
        t.updated_at = t.closed_at or t.replied_at or t.signed_at or t.dispatched_at or t.accepted_at or created
        if t.status in (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS):
            # The next reminder: the running clock's deadline is a fair upper bound for the sweep's index.
            t.next_reminder_at = {
                Status.SUBMITTED: t.accept_due,
                Status.ASSIGNED: t.sign_due,
            }.get(t.status, t.reply_due)
        if t.status == Status.CLOSED and not t.is_confidential:
            merged_candidates[park.pk] = pk
        tickets.append(t)
    return tickets, co_links, counters


# --- COPY ------------------------------------------------------------------------------------------------


def _copy_text(value, field):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if not isinstance(value, str):
        value = str(field.get_db_prep_save(value, connection))
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_objects(model, objects):
    """COPY `objects` (with their ids set) into `model`'s table; much faster than INSERTs at this size.
    Values go in as PostgreSQL's text format reads them (the model holds plain ints, strings, booleans and
    aware datetimes)."""
    fields = model._meta.concrete_fields
    buffer = io.StringIO()
    for obj in objects:
        buffer.write("\t".join(_copy_text(getattr(obj, f.attname), f) for f in fields) + "\n")
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)


def copy_pairs(table, columns, rows):
    buffer = io.StringIO("".join(f"{a}\t{b}\n" for a, b in rows))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def load_tickets(world, count, seed, now=None):
    """Load `count` tickets; returns ``{park code: [ticket ids]}`` of the non-confidential ones (the ids a
    dispatcher of that park may open)."""
    now = now or timezone.now()
    rng = random.Random(seed)
    started = time.perf_counter()
    tickets, co_links, counters = make_tickets(world, count, rng, now)
    print(f"  generated {count} tickets in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    through = Ticket.co_departments.through
    with transaction.atomic():
        copy_objects(Ticket, tickets)
        copy_pairs(through._meta.db_table, ("ticket_id", "department_id"), co_links)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Ticket, through]):
                cursor.execute(sql)
        TicketCounter.objects.bulk_create(
            [TicketCounter(park_id=park_id, year=year, last_number=n) for (park_id, year), n in counters.items()]
        )
    print(f"  copied them in {time.perf_counter() - started:.1f} s")
    codes = {w.park.pk: w.park.code for w in world.parks}
    visible = {}
    for t in tickets:
        if not t.is_confidential:
            visible.setdefault(codes[t.park_id], []).append(t.pk)
    return visible


def spread_summary():
    """One line: how the loaded tickets spread over statuses, channels and parks (for the log)."""
    from django.db.models import Count

    def shares(field):
        rows = Ticket.objects.values(field).annotate(n=Count("id")).order_by("-n")
        total = sum(r["n"] for r in rows) or 1
        return ", ".join(f"{r[field]} {100 * r['n'] / total:.0f}%" for r in rows[:6])

    return f"statuses: {shares('status')}; channels: {shares('channel')}; parks: {shares('park__code')}"
