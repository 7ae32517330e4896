"""Load the integrity demo data on top of `seed_demo`: conduct lists (with an earlier version kept), pledge texts
of every kind, pledges of most officials and enterprises (some expired, one near renewal), declarations in
every state, last year's yearly round and a verification sample. Everything goes through the services.

Idempotent: each part is skipped for a park that already has it, so a second run changes nothing.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core import roles
from integrity import demo
from integrity.choices import (
    Audience,
    ConductKind,
    FamilyEventKind,
    GiftHandling,
    GiftKind,
    InterestOutcome,
    InterestRole,
    Relation,
    RequiredAction,
    SignerKind,
    VerificationOutcome,
)
from integrity.models import (
    ConductList,
    Declaration,
    Pledge,
    PledgeTemplate,
    VerificationSample,
    YearlyReturn,
    YearlyRound,
)
from integrity.services import declarations as services
from integrity.services.conduct import conduct_list_publish
from integrity.services.pledges import pledge_sign, pledge_template_publish
from integrity.services.samples import sample_item_verify, verification_sample_draw
from integrity.services.yearly import yearly_return_file, yearly_round_open
from parks import demo as parks_demo
from parks.models import Enterprise, EnterpriseMembership, Park

OFFICIALS = (roles.PARK_ADMIN, roles.DISPATCHER, roles.HANDLER, roles.DISCIPLINE)


class Command(BaseCommand):
    help = "Create the integrity demo data (needs `seed_demo` first; idempotent)."

    def handle(self, *args, **options):
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.done = []
        parks = {park.code: park for park in Park.objects.filter(code__in=[s["code"] for s in parks_demo.PARKS])}
        if not parks:
            raise CommandError("Run `manage.py seed_demo` first: the integrity demo builds on its parks and accounts.")
        for spec in parks_demo.PARKS:
            park = parks.get(spec["code"])
            if park is None:
                continue
            with transaction.atomic():
                self.seed_park(park, spec)
        summary = ", ".join(self.done) if self.done else "already present"
        self.stdout.write(self.style.SUCCESS(f"Integrity demo data: {summary}."))

    # --- helpers -----------------------------------------------------------------------------------------------

    def ago(self, days):
        return self.now - dt.timedelta(days=days)

    def day(self, offset):
        return self.today + dt.timedelta(days=offset)

    def people(self, park):
        User = get_user_model()
        try:
            return {role: User.objects.get(username=parks_demo.username_for(role, park.code)) for role in OFFICIALS}
        except User.DoesNotExist as exc:
            raise CommandError(f"{park.code}: the demo officials are missing; run `manage.py seed_demo`.") from exc

    def enterprise_signers(self, park, spec):
        """(enterprise, user acting for it) for each verified enterprise: the demo enterprise user for theirs,
        and a contact account (联络人) for each enterprise the park recorded itself."""
        User = get_user_model()
        group, _ = Group.objects.get_or_create(name=roles.ENTERPRISE)
        result = []
        for enterprise in Enterprise.objects.filter(park=park, status=Enterprise.Status.VERIFIED).order_by(
            "credit_code"
        ):
            membership = enterprise.memberships.select_related("user").order_by("created_at").first()
            if membership is None:
                username = f"contact_{park.code}_{enterprise.credit_code[-4:].lower()}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "display_name": enterprise.legal_representative or enterprise.name[:10],
                        "email": f"{username}@demo.qinglian.local",
                    },
                )
                if created:
                    user.set_password(parks_demo.DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                user.groups.add(group)
                membership = EnterpriseMembership.objects.create(
                    user=user, enterprise=enterprise, role=EnterpriseMembership.Role.ADMIN
                )
            result.append((enterprise, membership.user))
        return result

    def seed_park(self, park, spec):
        people = self.people(park)
        self.seed_conduct_lists(park, people)
        signers = self.enterprise_signers(park, spec)
        self.seed_pledges(park, people, signers)
        self.seed_declarations(park, spec, people, signers)
        self.seed_yearly_round(park, people)
        self.seed_sample(park, people)

    # --- conduct lists and pledges -----------------------------------------------------------------------------

    def seed_conduct_lists(self, park, people):
        if ConductList.objects.filter(park=park).exists():
            return
        for audience, title, introduction, items in demo.CONDUCT_LISTS.get(park.code, ()):
            conduct_list_publish(
                park=park,
                audience=audience,
                title=title,
                introduction=introduction,
                items=items,
                actor=people[roles.PARK_ADMIN],
                now=self.ago(420),
            )
        self.done.append(f"{park.code} conduct lists")

    def cited(self, park, audience, count):
        conduct_list = ConductList.objects.filter(park=park, audience=audience, superseded_at__isnull=True).first()
        if conduct_list is None:
            return []
        prohibited = list(conduct_list.items.filter(kind=ConductKind.PROHIBITED)) or list(conduct_list.items.all())
        return prohibited[:count]

    def publish(self, park, kind, actor, *, when, title_suffix=""):
        title, text = demo.PLEDGE_TEXTS[kind]
        audience = Audience.ENTERPRISES if kind in (SignerKind.ENTERPRISE, SignerKind.SUPPLIER) else Audience.OFFICIALS
        return pledge_template_publish(
            park=park,
            signer_kind=kind,
            title=title + title_suffix,
            text=text.format(park=park.name),
            cited_items=self.cited(park, audience, 3) if kind in (SignerKind.OFFICIAL, SignerKind.ENTERPRISE) else [],
            actor=actor,
            now=when,
        )

    def seed_pledges(self, park, people, signers):
        if PledgeTemplate.objects.filter(park=park).exists() or Pledge.objects.filter(park=park).exists():
            return
        admin, discipline = people[roles.PARK_ADMIN], people[roles.DISCIPLINE]
        official_v1 = self.publish(park, SignerKind.OFFICIAL, discipline, when=self.ago(420))
        others = (SignerKind.ENTERPRISE, SignerKind.SUPPLIER, SignerKind.EVALUATOR, SignerKind.CONTRACT)
        templates = {kind: self.publish(park, kind, admin, when=self.ago(420)) for kind in others}
        # One official signed long ago and let it lapse; one signed eleven months ago and is due to renew.
        pledge_sign(template=official_v1, actor=people[roles.PARK_ADMIN], now=self.ago(400))
        pledge_sign(template=official_v1, actor=people[roles.DISPATCHER], now=self.ago(340))
        # A revised text: those who sign from now on sign version 2.
        official = self.publish(park, SignerKind.OFFICIAL, discipline, when=self.ago(120), title_suffix="（修订）")
        pledge_sign(template=official, actor=people[roles.DISCIPLINE], now=self.ago(100))
        pledge_sign(template=official, actor=people[roles.HANDLER], now=self.ago(30))
        pledge_sign(template=templates[SignerKind.EVALUATOR], actor=people[roles.HANDLER], now=self.ago(10))
        for index, (enterprise, user) in enumerate(signers):
            # The last enterprise's pledge has expired; the others are valid.
            days = 380 if index == len(signers) - 1 and len(signers) > 1 else 60 + 70 * index
            pledge_sign(
                template=templates[SignerKind.ENTERPRISE], actor=user, enterprise=enterprise, now=self.ago(days)
            )
        if signers:
            enterprise, user = signers[0]
            pledge_sign(template=templates[SignerKind.SUPPLIER], actor=user, enterprise=enterprise, now=self.ago(20))
            pledge_sign(
                template=templates[SignerKind.CONTRACT],
                actor=user,
                enterprise=enterprise,
                reference=f"{park.code.upper()}-GC-{self.today.year}-003",
                now=self.ago(15),
            )
        self.done.append(f"{park.code} pledges")

    # --- declarations ------------------------------------------------------------------------------------------

    def outside_code(self, spec, serial):
        """A valid credit code of an enterprise outside the portal (a relative's company)."""
        return parks_demo.demo_credit_code(spec["division"], 900 + serial)

    def seed_declarations(self, park, spec, people, signers):
        if Declaration.objects.filter(park=park).exists():
            return
        admin, dispatcher, handler = people[roles.PARK_ADMIN], people[roles.DISPATCHER], people[roles.HANDLER]
        reviewer = people[roles.DISCIPLINE]
        member_enterprise = signers[0][0] if signers else None
        other_enterprise = signers[1][0] if len(signers) > 1 else member_enterprise

        def gift(actor, **data):
            base = {"giver_name": "企业负责人", "description": "", "handling": GiftHandling.HANDED_IN}
            base.update(data)
            return services.gift_declaration_create(park=park, actor=actor, data=base)

        def submit(declaration):
            return services.declaration_submit(declaration=declaration, actor=declaration.declarant)

        def accept(declaration, note=""):
            return services.declaration_accept(declaration=declaration, actor=reviewer, note=note)

        def require(declaration, action, reason):
            return services.declaration_require_action(
                declaration=declaration, actor=reviewer, action=action, reason=reason
            )

        def report(declaration, text):
            return services.declaration_report_action(declaration=declaration, actor=declaration.declarant, report=text)

        # Gifts (礼品礼金登记).
        accept(
            submit(
                gift(
                    handler,
                    giver_name=f"{member_enterprise.legal_representative}（{member_enterprise.name}）"
                    if member_enterprise
                    else "某企业负责人",
                    giver_credit_code=member_enterprise.credit_code if member_enterprise else "",
                    received_on=self.day(-20),
                    gift_kind=GiftKind.GOODS,
                    description="中秋节收到茶叶两盒，已于次日登记上交园区纪工委。",
                    estimated_value=300,
                    handled_on=self.day(-19),
                )
            ),
            note="已登记入库，按规定处理。",
        )
        submit(
            gift(
                dispatcher,
                giver_name="企业负责人（来访时留下）",
                giver_credit_code=other_enterprise.credit_code if other_enterprise else "",
                received_on=self.day(-50),
                gift_kind=GiftKind.CASH,
                description="企业来访办事后在办公桌留下红包一个，内有现金1000元。",
                estimated_value=1000,
                handled_on=self.day(-49),
                handling_note="发现后即上交纪工委，已出具收据。",
            )
        )
        services.declaration_return(
            declaration=submit(
                gift(
                    admin,
                    giver_name="某商会会员",
                    received_on=self.day(-10),
                    gift_kind=GiftKind.PREPAID_CARD,
                    description="会议期间收到购物卡一张。",
                    estimated_value=500,
                )
            ),
            actor=reviewer,
            reason="请补充购物卡面值照片和上交回执。",
        )
        require(
            submit(
                gift(
                    handler,
                    giver_name="项目合作方",
                    received_on=self.day(-15),
                    gift_kind=GiftKind.GOODS,
                    description="项目签约仪式后收到茶具一套。",
                    estimated_value=800,
                    handling=GiftHandling.KEPT_WITH_APPROVAL,
                    handling_note="经部门负责人同意暂存办公室使用。",
                )
            ),
            RequiredAction.HAND_IN,
            "价值超过留用限额，须上交园区纪工委统一处理。",
        )
        report(
            require(
                submit(
                    gift(
                        dispatcher,
                        giver_name="入园企业员工",
                        received_on=self.day(-25),
                        gift_kind=GiftKind.GOODS,
                        description="收到字画一幅，未能当场退还。",
                        estimated_value=1500,
                        handling=GiftHandling.PENDING,
                    )
                ),
                RequiredAction.HAND_IN,
                "字画价值较高，须上交。",
            ),
            "已于本周上交园区纪工委，取得上交回执。",
        )
        gift(
            admin,
            giver_name="外地考察团",
            received_on=self.day(-27),
            gift_kind=GiftKind.GOODS,
            description="收到当地土特产一箱（草稿，待补充估值）。",
            estimated_value=100,
            handling=GiftHandling.RETURNED,
        )

        # Family events (婚丧喜庆事宜报告).
        family = services.family_event_declaration_create
        submit(
            family(
                park=park,
                actor=handler,
                data={
                    "event_kind": FamilyEventKind.WEDDING,
                    "person_concerned": "本人之女",
                    "event_date": self.day(5),
                    "venue": "家中及社区活动中心",
                    "tables": 15,
                    "guests": 150,
                    "description": "仅邀请亲属和同学，不收受管理服务对象礼金。",
                },
            )
        )
        require(
            submit(
                family(
                    park=park,
                    actor=dispatcher,
                    data={
                        "event_kind": FamilyEventKind.WEDDING,
                        "person_concerned": "本人之子",
                        "event_date": self.day(8),
                        "venue": "市区某酒店宴会厅",
                        "tables": 28,
                        "guests": 260,
                        "invited_enterprises": [member_enterprise] if member_enterprise else [],
                    },
                )
            ),
            RequiredAction.REDUCE_SCALE,
            "规模超过20桌，且邀请了园区企业：请压缩规模并取消对企业的邀请。",
        )
        accept(
            submit(
                family(
                    park=park,
                    actor=admin,
                    data={
                        "event_kind": FamilyEventKind.FUNERAL,
                        "person_concerned": "本人父亲",
                        "event_date": self.day(-14),
                        "venue": "老家",
                        "tables": 12,
                        "guests": 100,
                        "description": "丧事从简，未收受管理服务对象礼金。补报说明：事发突然，返岗后补报。",
                    },
                )
            ),
            note="补报原因已说明，予以备案。",
        )
        family(
            park=park,
            actor=handler,
            data={
                "event_kind": FamilyEventKind.OTHER,
                "person_concerned": "本人之子（升学宴）",
                "event_date": self.day(20),
                "venue": "家中",
                "tables": 5,
                "guests": 40,
            },
        )

        # Relatives' businesses (亲属经商办企业报告).
        interest = services.interest_declaration_create
        recusal = submit(
            interest(
                park=park,
                actor=handler,
                data={
                    "relative_name": "黄丽",
                    "relation": Relation.SPOUSE,
                    "enterprise_name": other_enterprise.name if other_enterprise else "某公司",
                    "credit_code": other_enterprise.credit_code if other_enterprise else self.outside_code(spec, 1),
                    "role": InterestRole.MANAGER,
                    "start_date": self.day(-400),
                    "change_date": self.day(-12),
                    "change_description": "配偶升任该企业财务经理。",
                    "outcome": InterestOutcome.UNDECIDED,
                },
            )
        )
        accept(
            report(
                require(recusal, RequiredAction.RECUSE, "该企业为园区企业，须回避其诉求办理和政策兑现。"),
                "已书面申请回避该企业相关事项，由同事接办。",
            )
        )
        accept(
            submit(
                interest(
                    park=park,
                    actor=admin,
                    data={
                        "relative_name": "向伟",
                        "relation": Relation.SIBLING,
                        "enterprise_name": "怀化某建材贸易有限公司",
                        "credit_code": self.outside_code(spec, 2),
                        "role": InterestRole.OWNER,
                        "stake_percent": 40,
                        "start_date": self.day(-900),
                        "change_date": self.day(-20),
                        "change_description": "持股比例由20%增至40%。",
                        "outcome": InterestOutcome.RECUSAL,
                    },
                )
            ),
            note="该企业与园区无业务往来，备案。",
        )
        services.declaration_return(
            declaration=submit(
                interest(
                    park=park,
                    actor=dispatcher,
                    data={
                        "relative_name": "张涛",
                        "relation": Relation.CHILD,
                        "enterprise_name": "某科技咨询有限公司",
                        "credit_code": self.outside_code(spec, 3),
                        "role": InterestRole.EMPLOYEE,
                        "start_date": self.day(-45),
                    },
                )
            ),
            actor=reviewer,
            reason="请补充入职时间证明及岗位职责，说明是否与园区项目有关。",
        )
        submit(
            interest(
                park=park,
                actor=admin,
                data={
                    "relative_name": "林芳",
                    "relation": Relation.CHILD_SPOUSE,
                    "enterprise_name": "某文化传媒有限公司",
                    "credit_code": self.outside_code(spec, 4),
                    "role": InterestRole.LEGAL_REPRESENTATIVE,
                    "stake_percent": 60,
                    "start_date": self.day(-5),
                },
            )
        )
        self.done.append(f"{park.code} declarations")

    # --- yearly round and sample -------------------------------------------------------------------------------

    def seed_yearly_round(self, park, people):
        year = self.today.year - 1
        if YearlyRound.objects.filter(park=park, year=year).exists():
            return
        opened = timezone.make_aware(dt.datetime(year + 1, 1, 2, 9, 0))
        yearly_round = yearly_round_open(park=park, year=year, actor=people[roles.DISCIPLINE], now=opened)
        returns = {r.declarant_id: r for r in YearlyReturn.objects.filter(round=yearly_round)}

        def file(role, day, **kwargs):
            row = returns.get(people[role].pk)
            if row is not None:
                moment = timezone.make_aware(dt.datetime(year + 1, 1, 1, 10, 0)) + dt.timedelta(days=day - 1)
                yearly_return_file(yearly_return=row, actor=people[role], now=moment, **kwargs)

        file(roles.PARK_ADMIN, 10, is_nil=True)
        file(
            roles.DISPATCHER,
            20,
            is_nil=False,
            statement="本年度收到红包一个（现金1000元），已当即上交并登记；无其他应报告事项。",
        )
        file(roles.HANDLER, 34, is_nil=True)  # 3 February: late
        self.done.append(f"{park.code} yearly round {year}")

    def seed_sample(self, park, people):
        if VerificationSample.objects.filter(park=park).exists():
            return
        filed = Declaration.objects.filter(park=park, first_submitted_at__isnull=False)
        if not filed.exists():
            return
        sample = verification_sample_draw(
            park=park,
            actor=people[roles.DISCIPLINE],
            period_start=self.today.replace(month=1, day=1),
            period_end=self.today,
            seed=f"demo-{park.code}-{self.today.year}",
            note="年度申报事项随机抽查核实。",
        )
        first = sample.items.order_by("declaration_id").first()
        if first is not None and first.declaration.declarant_id != people[roles.DISCIPLINE].pk:
            sample_item_verify(
                item=first,
                actor=people[roles.DISCIPLINE],
                outcome=VerificationOutcome.CONFIRMED,
                note="经核对登记簿和上交回执，申报属实。",
            )
        self.done.append(f"{park.code} sample")
