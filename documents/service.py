"""Issuing, listing, serving and verifying documents, and the organs' templates: the one way every
door (CLI, web) changes them, in the caller's transaction (DESIGN §11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from codes import DOCUMENT_KINDS, DOCUMENT_NUMBER_CODES
from codes.labels import Coded, CodeList, FieldList
from documents import kinds, numbering
from documents.context import SECRET_INPUTS, applicant_contact, build_context
from documents.defaults import default_template
from documents.render import BadTemplate, render, sha256, template_fields
from models.cases import Case, CaseEvent
from models.db import is_postgres
from models.documents import Document, DocumentTemplateBlob, OrganTemplate
from models.organs import Organ
from workflow import events as ev
from workflow.access import Actor
from workflow.applicants import applicant_details
from workflow.case_json import history
from workflow.code_input import parse_code
from workflow.directory import get_organ
from workflow.errors import Conflict, InvalidInput, NotFound, Phrase, RuleViolation
from workflow.service import get_case


@dataclass(frozen=True)
class Issued:
    document: Document
    content: bytes
    new: bool  # False: an issued document rendered again


def document_json(doc: Document, case_ref: str) -> dict[str, Any]:
    """`document issue|list --json`: one issued document."""
    return {
        "number": doc.number,
        "kind": doc.kind,
        "case": case_ref,
        "issued_on": doc.issued_on.isoformat(),
        "issued_by": doc.issued_by,
        "sha256": doc.sha256,
        "served_on": doc.served_on.isoformat() if doc.served_on else None,
        "served_by_method": doc.served_by_method,
    }


def check_kind(kind: str) -> str:
    """The document kind `kind` names: its code or its label (收费通知书, 答复书)."""
    return parse_code("document_kind", kind, where="kind")


def notified_event(entries: list[CaseEvent], kind: str) -> CaseEvent | None:
    """The latest history entry that calls for a document of `kind`, or None."""
    rule = kinds.RULES[kind]
    return next((h for h in reversed(entries) if rule.notifies(h.event, h.params)), None)


def offers(
    session: Session,
    case: Case,
    *,
    entries: list[CaseEvent] | None = None,
    issued: list[Document] | None = None,
) -> list[str]:
    """The kinds the case's history calls for and that are not issued yet (the case page offers them).
    `entries` and `issued`: the case's history and documents when the caller read them already."""
    assert case.id is not None
    entries = history(session, case.id) if entries is None else entries
    issued = documents_of(session, case.id) if issued is None else issued
    done = {(d.kind, d.event_seq) for d in issued}
    out = []
    for kind in DOCUMENT_KINDS:
        h = notified_event(entries, kind)
        if h is not None and (kind, h.seq) not in done and not _gaps(h):
            out.append(kind)
    return out


def documents_of(session: Session, case_id: int) -> list[Document]:
    return list(session.exec(select(Document).where(Document.case_id == case_id).order_by(col(Document.id))))


def _gaps(h: CaseEvent) -> tuple[str, ...]:
    return ev.letter_gaps(h.event, ev.parse_params(h.event, {"on": h.effective_on, **h.params}))


def issue(session: Session, key: str, kind: str, *, actor: Actor) -> Issued:
    """Issue the case's document of `kind` for the latest event calling for it, or, when it was
    issued already, render it again from its stored inputs and template (the same bytes).

    Errors: NotFound (case), InvalidInput (kind), RuleViolation (no such event; an imported event
    lacking what the document prints; a reply for an organ without its remedy bodies)."""
    case = get_case(session, key, actor=actor)
    assert case.id is not None
    actor.require_organ(case.organ_id, action=Phrase("issue documents"))
    kind = check_kind(kind)
    label = Coded("document_kind", kind)
    entries = history(session, case.id)
    h = notified_event(entries, kind)
    if h is None:
        events = CodeList("event", tuple(kinds.RULES[kind].events))
        raise RuleViolation(
            "case {ref}: nothing calls for a {label} yet (it notifies {events})",
            ref=case.ref,
            label=label,
            events=events,
        )
    found = session.exec(
        select(Document).where(
            Document.case_id == case.id, Document.kind == kind, Document.event_seq == h.seq
        )
    ).first()
    if found is not None:
        return Issued(found, rerender(session, found), new=False)
    gaps = _gaps(h)
    if gaps:
        raise RuleViolation(
            "case {ref}: the {event} of {on} was recorded without {names}; no {label} can be made from it",
            ref=case.ref,
            event=Coded("event", h.event),
            on=h.effective_on,
            names=FieldList(tuple(gaps)),
            label=label,
        )
    organ = session.get(Organ, case.organ_id)
    assert organ is not None and organ.id is not None
    if kind == "reply":
        require_remedy_bodies(organ)
    context = build_context(case, organ, entries, h, kind, applicant_details(session, case.id))
    series, year = DOCUMENT_NUMBER_CODES[kind], h.effective_on.year
    seq = numbering.draw(session, organ.id, series, year)
    context["number"] = numbering.format_number(organ, kind, year, seq)
    template = current_template(session, organ.id, kind)
    content = render(template, context, h.effective_on)
    doc = Document(
        number=context["number"],
        kind=kind,
        case_id=case.id,
        organ_id=organ.id,
        event_seq=h.seq,
        series=series,
        year=year,
        seq=seq,
        issued_on=h.effective_on,
        issued_by=actor.name,
        inputs={k: v for k, v in context.items() if k not in SECRET_INPUTS},  # no number in clear
        template_sha256=keep_template(session, template),
        sha256=sha256(content),
    )
    session.add(doc)
    try:
        session.flush()
    except IntegrityError:  # another user issued it meanwhile (one document per kind and event)
        raise Conflict(
            "case {ref}: the {label} was issued by someone else at the same time; issue it again "
            "to get that one",
            ref=case.ref,
            label=label,
        ) from None
    return Issued(doc, content, new=True)


def require_remedy_bodies(organ: Organ) -> None:
    """A reply letter ends with the remedies, naming the organ's reconsideration body and court."""
    missing = [
        opt
        for opt, value in (("--reconsideration-body", organ.reconsideration_body), ("--court", organ.court))
        if not value
    ]
    if missing:
        raise RuleViolation(
            "organ {code} has no {what} for the reply letter's remedy clause; "
            "set it with `ogi organ update {code} {options} …`",
            code=organ.code,
            what=" / ".join(m.strip("-") for m in missing),
            options=" … ".join(missing),
        )


def rerender(session: Session, doc: Document) -> bytes:
    """The issued document again, from its stored inputs and template: byte for byte what was issued."""
    blob = session.get(DocumentTemplateBlob, doc.template_sha256)
    assert blob is not None
    content = render(blob.content, doc.inputs | _secret_inputs(session, doc.case_id), doc.issued_on)
    if sha256(content) != doc.sha256:
        raise RuleViolation(
            "document {number}: rendering it again gives other bytes than were issued", number=doc.number
        )
    return content


def _secret_inputs(session: Session, case_id: int) -> dict[str, str]:
    """The inputs kept out of the stored ones, read again (decrypted) from the applicant record."""
    contact = applicant_contact_of(session, case_id)
    return {k: contact[k] for k in SECRET_INPUTS}


def applicant_contact_of(session: Session, case_id: int) -> dict[str, str]:
    case = session.get(Case, case_id)
    assert case is not None
    return applicant_contact(case, applicant_details(session, case_id))


def keep_template(session: Session, template: bytes) -> str:
    """Store a template's bytes by hash (once); returns the hash."""
    digest = sha256(template)
    table = DocumentTemplateBlob.__table__  # type: ignore[attr-defined]
    insert_ = postgresql.insert if is_postgres(session) else sqlite.insert
    session.execute(insert_(table).values(sha256=digest, content=template).on_conflict_do_nothing())
    return digest


def current_template(session: Session, organ_id: int | None, kind: str) -> bytes:
    """The organ's own template of `kind`, or the shipped default."""
    if organ_id is not None:
        own = session.get(OrganTemplate, (organ_id, kind))
        if own is not None:
            blob = session.get(DocumentTemplateBlob, own.sha256)
            assert blob is not None
            return blob.content
    return default_template(kind)


def set_template(session: Session, organ_code: str, kind: str, template: bytes, *, actor: Actor) -> str:
    """An organ's own template of `kind`; refused (naming the field) when it lacks a required field."""
    organ = get_organ(session, organ_code)
    assert organ.id is not None
    actor.require_organ(organ.id, action=Phrase("set the organ's document templates"))
    kind = check_kind(kind)
    try:
        fields = template_fields(template)
    except BadTemplate as e:
        raise InvalidInput("template for {kind}: {problem}", kind=kind, problem=str(e)) from None
    missing = [f for f in kinds.required_fields(kind) if f not in fields]
    if missing:
        raise InvalidInput(
            "template for {kind}: the field {{{{ {field} }}}} is missing (required: {required})",
            kind=kind,
            field=missing[0],
            required=", ".join(kinds.required_fields(kind)),
        )
    digest = keep_template(session, template)
    row = session.get(OrganTemplate, (organ.id, kind)) or OrganTemplate(
        organ_id=organ.id, kind=kind, sha256=digest, set_by=actor.name
    )
    row.sha256, row.set_by, row.set_at = digest, actor.name, dt.datetime.now(dt.UTC)
    session.add(row)
    session.flush()
    return digest


def get_document(session: Session, number: str, *, actor: Actor) -> Document:
    doc = session.exec(select(Document).where(Document.number == number)).first()
    if doc is None or not actor.can_see(doc.organ_id):
        raise NotFound("unknown document {number!r}", number=number)
    return doc


def serve(
    session: Session, number: str, method: str, on: dt.date, *, actor: Actor, today: dt.date
) -> Document:
    """Record how and when a document was served (送达): signed, posted or sent that day."""
    doc = get_document(session, number, actor=actor)
    actor.require_organ(doc.organ_id, action=Phrase("record service"))
    method = parse_code("service_method", method, where="method")  # a code or its label (邮寄送达)
    if doc.served_on is not None:
        raise RuleViolation(
            "document {number} was already served on {on} ({method})",
            number=number,
            on=doc.served_on,
            method=Coded("service_method", doc.served_by_method or ""),
        )
    if not doc.issued_on <= on <= today:
        raise InvalidInput(
            "document {number}: service date {on} must fall between its date {issued} and today",
            number=number,
            on=on,
            issued=doc.issued_on,
        )
    doc.served_on, doc.served_by_method, doc.served_recorded_by = on, method, actor.name
    session.add(doc)
    session.flush()
    return doc


def verify(session: Session, content: bytes) -> Document | None:
    """The issued document whose file is exactly `content`, or None."""
    return session.exec(select(Document).where(Document.sha256 == sha256(content))).first()


def case_documents(
    session: Session, case: Case, entries: list[CaseEvent]
) -> tuple[list[Document], list[str]]:
    """The case page's documents: those issued, and the kinds its history (`entries`) calls for,
    not yet issued."""
    assert case.id is not None
    issued = documents_of(session, case.id)
    return issued, offers(session, case, entries=entries, issued=issued)


def download(session: Session, case: Case, document_id: int) -> tuple[Document, bytes]:
    """An issued document of the case, rendered again (the bytes issued)."""
    doc = session.get(Document, document_id)
    if doc is None or doc.case_id != case.id:
        raise NotFound("unknown document {number!r}", number=str(document_id))
    return doc, rerender(session, doc)
