"""Choices of the 三重一大 register (major collective decisions): the four kinds of item, decision bodies,
meeting types, attendance, outcomes and members' positions.

Msgids are English; the Chinese terms of the 三重一大 rules are the zh-hans translations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DecisionKind(models.TextChoices):
    """The four kinds of "三重一大" item: 重大决策、重要人事任免、重大项目安排、大额度资金运作."""

    MAJOR_DECISION = "major_decision", _("Major decision")
    APPOINTMENT = "appointment", _("Important appointment or removal")
    MAJOR_PROJECT = "major_project", _("Major project arrangement")
    LARGE_FUNDS = "large_funds", _("Large-sum fund operation")


# Kinds whose amount is compared with the park's threshold (an appointment has no amount).
AMOUNT_KINDS = frozenset({DecisionKind.MAJOR_PROJECT, DecisionKind.LARGE_FUNDS, DecisionKind.MAJOR_DECISION})


class BodyKind(models.TextChoices):
    """Who decides: 党工委会议, 管委会(主任办公)会议, 党政联席会议, a park company's 董事会, or another body."""

    PARTY_COMMITTEE = "party_committee", _("Party working committee meeting")
    DIRECTOR_OFFICE = "director_office", _("Management committee director's office meeting")
    JOINT = "joint", _("Joint meeting of party and administration")
    BOARD = "board", _("Board of directors")
    OTHER = "other", pgettext_lazy("decision body", "Other")


class MeetingType(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    SPECIAL = "special", _("Special-topic meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")


class Position(models.TextChoices):
    """A member's position on one item; an interested member is recused (回避) and does not vote."""

    FOR = "for", pgettext_lazy("vote", "For")
    AGAINST = "against", pgettext_lazy("vote", "Against")
    ABSTAIN = "abstain", pgettext_lazy("vote", "Abstain")
    RECUSED = "recused", pgettext_lazy("vote", "Recused")


VOTING_POSITIONS = frozenset({Position.FOR, Position.AGAINST, Position.ABSTAIN})
