"""Tables of the integrity registers (DESIGN §7), one module per register."""

from integrity.models.conduct import ConductItem, ConductList
from integrity.models.declarations import (
    Declaration,
    DeclarationReminder,
    FamilyEventDeclaration,
    GiftDeclaration,
    InterestDeclaration,
    SampleItem,
    VerificationSample,
    YearlyReturn,
    YearlyReturnReminder,
    YearlyRound,
)
from integrity.models.pledges import Pledge, PledgeReminder, PledgeTemplate
from integrity.models.settings import IntegritySettings

__all__ = [
    "ConductItem",
    "ConductList",
    "Declaration",
    "DeclarationReminder",
    "FamilyEventDeclaration",
    "GiftDeclaration",
    "IntegritySettings",
    "InterestDeclaration",
    "Pledge",
    "PledgeReminder",
    "PledgeTemplate",
    "SampleItem",
    "VerificationSample",
    "YearlyReturn",
    "YearlyReturnReminder",
    "YearlyRound",
]
from integrity.models.decisions import *  # noqa: E402,F401,F403  (三重一大 register)
from integrity.models.notices import *  # noqa: E402,F401,F403  (disciplinary notices, helper G2)
from integrity.models.ratings import *  # noqa: E402,F401,F403  (service rating cards)
from integrity.models.risks import *  # noqa: E402,F401,F403  (the risk register, helper G2)
