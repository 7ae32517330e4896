"""Fixtures of the 吐槽区 tests: park A's categories and a `desk` that drives tickets through the services
to any status at fixed, known times (Monday 9 June 2025, an ordinary working week)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints import services
from complaints.choices import CategoryKind, Status
from core.workcalendar import clear_cache
from tests.complaints.factories import CategoryFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 6, 9, 10, 0, tzinfo=SHANGHAI)


def local(moment):
    """``"2025-06-16 23:59"``: a stored moment as people in the park read it."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def at(days=0, hours=0, minutes=0):
    return T0 + timedelta(days=days, hours=hours, minutes=minutes)


class Desk:
    """Park A with categories; `to(status)` returns a ticket filed by the enterprise user and moved to
    `status` through the services."""

    def __init__(self, world):
        self.w = world
        self.park = world.park
        self.general = CategoryFactory(park=self.park, name="政策兑现", code="policy", kind=CategoryKind.DEMAND)
        self.complaint = CategoryFactory(park=self.park, name="噪音环境", code="noise", kind=CategoryKind.COMPLAINT)
        self.misconduct = CategoryFactory(
            park=self.park, name="作风问题", code="misconduct", kind=CategoryKind.COMPLAINT, is_misconduct=True
        )
        self.internal = CategoryFactory(park=self.park, name="内部登记", code="internal", show_on_public_form=False)

    def submit(self, *, actor="enterprise", now=None, category=None, subject="补贴迟迟未兑现", body=None, **kwargs):
        actor = self.w.enterprise_user if actor == "enterprise" else actor
        return services.ticket_submit(
            park=self.park,
            category=category or self.general,
            subject=subject,
            body=body or "去年申报的研发补贴至今没有到账,请帮忙查询进度。",
            actor=actor,
            now=now or T0,
            **kwargs,
        )

    def to(self, status, **submit_kwargs):
        ticket = self.submit(**submit_kwargs).ticket
        if status == Status.SUBMITTED:
            return ticket
        if status == Status.REJECTED:
            return services.ticket_reject(
                ticket=ticket, actor=self.w.dispatcher, reason="不属于受理范围", now=at(hours=1)
            )
        if status == Status.MERGED:
            original = self.submit(subject="另一件诉求").ticket
            return services.ticket_merge(ticket=ticket, into=original, actor=self.w.dispatcher, now=at(hours=1))
        ticket = services.ticket_accept(ticket=ticket, actor=self.w.dispatcher, now=at(hours=1))
        if status == Status.ACCEPTED:
            return ticket
        ticket = services.ticket_dispatch(
            ticket=ticket, actor=self.w.dispatcher, department=self.w.business, now=at(hours=2)
        )
        if status == Status.ASSIGNED:
            return ticket
        ticket = services.ticket_sign(ticket=ticket, actor=self.w.handler, now=at(hours=3))
        if status == Status.IN_PROGRESS:
            return ticket
        ticket = services.ticket_reply(
            ticket=ticket,
            actor=self.w.handler,
            reply="补贴已于本周拨付。",
            rectification_measures="建立兑现台账",
            now=at(days=1),
        )
        if status == Status.REPLIED:
            return ticket
        return services.ticket_confirm(ticket=ticket, actor=self.w.enterprise_user, satisfaction=5, now=at(days=2))


@pytest.fixture(autouse=True)
def _fresh_calendar():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def desk(world_a):
    return Desk(world_a)
