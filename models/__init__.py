"""SQLModel tables, the engine and session scope, and the Alembic migrations."""

from models.applicants import ApplicantDetails
from models.calendar import CalendarDay, CalendarYear
from models.cases import Appeal, Case, CaseEvent, CaseRefSequence
from models.documents import Document, DocumentSequence, DocumentTemplateBlob, OrganTemplate
from models.organs import LoginSource, Organ, User
from models.outbox import OutboxMessage
from models.reports import ReportInput, ReportSnapshot
from models.sweep import SweepHold

__all__ = [
    "Appeal",
    "ApplicantDetails",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseRefSequence",
    "Document",
    "DocumentSequence",
    "DocumentTemplateBlob",
    "LoginSource",
    "Organ",
    "OrganTemplate",
    "OutboxMessage",
    "ReportInput",
    "ReportSnapshot",
    "SweepHold",
    "User",
]
