"""Tables of e-procurement (DESIGN §8), one module per stage."""

from procurement.models.bids import Bid, BidDocument, OfficerKey, TenderKeyShare
from procurement.models.contracts import Contract, ContractAmendment, Objection
from procurement.models.evaluation import Award, CommitteeDraw, CommitteeMember, EvaluatorPoolMember, Score
from procurement.models.flags import RedFlag
from procurement.models.settings import FlagSettings, MethodRule
from procurement.models.suppliers import Qualification, QualificationReminder, Supplier
from procurement.models.tenders import ClarificationQuestion, Tender, TenderChange

__all__ = [
    "Award",
    "Bid",
    "BidDocument",
    "ClarificationQuestion",
    "CommitteeDraw",
    "CommitteeMember",
    "Contract",
    "ContractAmendment",
    "EvaluatorPoolMember",
    "FlagSettings",
    "MethodRule",
    "Objection",
    "OfficerKey",
    "Qualification",
    "QualificationReminder",
    "RedFlag",
    "Score",
    "Supplier",
    "Tender",
    "TenderChange",
    "TenderKeyShare",
]
