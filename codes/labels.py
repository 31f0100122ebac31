"""Every code family with its label in each language (DESIGN §5, §14), and the lookups the doors use.

Chinese labels are the legal ones of ``codes`` (defined once there); English labels are for
``OGI_LANG=en``. A code is never translated in JSON; a person reads its label. The input parser
(``workflow.code_input``) accepts a code or either label.
"""

from __future__ import annotations

from dataclasses import dataclass

from codes import (
    APPEAL_COLUMN_LABELS,
    APPEAL_KIND_LABELS,
    APPLICANT_TYPE_LABELS,
    CASE_DATE_LABELS,
    CHANNEL_LABELS,
    DEADLINE_KIND_LABELS,
    DOCUMENT_KIND_LABELS,
    EVENT_LABELS,
    OUTCOME_SHORT_LABELS,
    SERVICE_METHOD_LABELS,
    STATE_LABELS,
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    Outcome,
    Party,
    Role,
    State,
)

ROLE_LABELS: dict[str, str] = {"caseworker": "办理人员", "supervisor": "负责人", "admin": "系统管理员"}
PARTY_LABELS: dict[str, str] = {"third_party": "第三方", "organ": "其他机关"}
# the names of event parameters, for the timeline, the forms and `case show`
PARAM_LABELS: dict[str, str] = {
    "on": "日期",
    "until": "截止日期",
    "days": "工作日数",
    "party": "征求对象",
    "approver": "批准人",
    "amount": "金额（元）",
    "method": "计费方式",
    "pages": "页数",
    "count": "本月第几件",
    "computed_amount": "计算金额（元）",
    "reason": "理由",
    "items": "需补正的事项（每行一项）",
    "reasons": "理由",
    "basis": "依据",
    "provided": "提供的内容、形式、方式和时间",
    "refer_to": "负责公开或掌握该信息的机关及联系方式",
    "outcome": "办理结果",
    "from": "原承办人",
    "to": "新承办人",
    "note": "说明",
    "kind": "类型",
    "result": "结果",
    "appeal": "救济",
}
# who did something when no person did: the sweep, the relay, an import
ACTOR_LABELS: dict[str, str] = {"system": "系统", "import": "导入"}

_ZH: dict[str, dict[str, str]] = {
    "applicant_type": {k: v for k, v in APPLICANT_TYPE_LABELS.items() if k in ApplicantType.__members__},
    "channel": CHANNEL_LABELS,
    "state": STATE_LABELS,
    "outcome": OUTCOME_SHORT_LABELS,
    "event": EVENT_LABELS,
    "appeal_kind": APPEAL_KIND_LABELS,
    "appeal_result": {k: v for k, v in APPEAL_COLUMN_LABELS.items() if k in AppealResult.__members__},
    "appeal_column": APPEAL_COLUMN_LABELS,
    "role": ROLE_LABELS,
    "party": PARTY_LABELS,
    "deadline_kind": DEADLINE_KIND_LABELS,
    "case_date": CASE_DATE_LABELS,
    "actor": ACTOR_LABELS,
    "param": PARAM_LABELS,
    "document_kind": DOCUMENT_KIND_LABELS,
    "service_method": SERVICE_METHOD_LABELS,
}

_EN: dict[str, dict[str, str]] = {
    "applicant_type": {
        "natural_person": "natural person",
        "commercial_enterprise": "commercial enterprise",
        "research_institution": "research institution",
        "social_welfare_org": "social welfare organisation",
        "legal_service_org": "legal service organisation",
        "other_org": "other organisation",
    },
    "channel": {
        "in_person": "in person",
        "registered_mail": "registered mail",
        "ordinary_mail": "ordinary mail",
        "online": "online platform",
        "email": "e-mail",
        "fax": "fax",
        "other": "other",
    },
    "state": {
        "registered": "awaiting confirmation of receipt",
        "received": "in progress",
        "awaiting_correction": "awaiting correction",
        "consulting": "consulting",
        "awaiting_fee": "awaiting fee",
        "answered": "answered",
    },
    "outcome": {
        "disclosed": "disclosed",
        "partially_disclosed": "partially disclosed",
        "withheld_state_secret": "withheld: state secret",
        "withheld_prohibited_by_law": "withheld: prohibited by law",
        "withheld_security_stability": "withheld: security and stability",
        "withheld_third_party_rights": "withheld: third-party rights",
        "withheld_internal_affairs": "withheld: internal affairs",
        "withheld_process_information": "withheld: process information",
        "withheld_enforcement_file": "withheld: enforcement file",
        "withheld_query_matter": "withheld: query matter",
        "unable_not_held": "unable: not held",
        "unable_needs_creation": "unable: needs creation",
        "unable_still_unclear": "unable: still unclear after correction",
        "not_processed_petition": "not processed: petition",
        "not_processed_duplicate": "not processed: duplicate",
        "not_processed_publication": "not processed: publication",
        "not_processed_excessive": "not processed: excessive",
        "not_processed_confirmation": "not processed: confirmation",
        "other_no_correction": "other: no correction",
        "other_fee_unpaid": "other: fee unpaid",
        "other": "other: other",
    },
    "event": {
        "register": "register (awaiting confirmation)",
        "receive": "receive",
        "confirm_receipt": "confirm receipt",
        "request_correction": "request correction",
        "receive_correction": "receive correction",
        "lapse_correction": "correction lapsed",
        "consult": "consult",
        "receive_opinion": "receive opinion",
        "lapse_consultation": "consultation lapsed",
        "extend": "extend",
        "notify_fee": "notify fee",
        "receive_payment": "receive payment",
        "lapse_fee": "fee lapsed",
        "defer": "defer",
        "answer": "answer",
        "withdraw": "withdraw",
        "became_overdue": "became overdue",
        "deadlines_recomputed": "deadlines recomputed",
        "reassigned": "reassigned",
        "attention_acknowledged": "attention acknowledged",
        "appeal_filed": "appeal filed",
        "appeal_decided": "appeal decided",
    },
    "appeal_kind": {
        "reconsideration": "reconsideration",
        "litigation": "litigation",
        "litigation_after_reconsideration": "litigation after reconsideration",
    },
    "appeal_result": {"upheld": "upheld", "corrected": "corrected", "other": "other result"},
    "appeal_column": {
        "upheld": "upheld",
        "corrected": "corrected",
        "other": "other result",
        "pending": "pending",
        "total": "total",
    },
    "role": {"caseworker": "caseworker", "supervisor": "supervisor", "admin": "administrator"},
    "party": {"third_party": "third party", "organ": "another organ"},
    "deadline_kind": {
        "reply_due": "reply due",
        "correction_notice_due": "correction notice due",
        "correction_until": "correction period ends",
        "fee_due": "payment period ends",
        "overdue": "reply overdue",
    },
    "case_date": {
        "submitted_on": "submitted on",
        "received_on": "received on",
        "clock_start": "clock starts",
        "correction_notice_due": "correction notice due",
        "correction_until": "correction until",
        "consultation_due": "consultation due",
        "fee_due": "fee due",
        "reply_due": "reply due",
        "concluded_on": "concluded on",
    },
    "actor": {"system": "system", "import": "import"},
    "document_kind": {
        "receipt": "acknowledgement of receipt",
        "correction_notice": "notice to correct the application",
        "extension_notice": "notice of extension",
        "third_party_consultation": "letter consulting a third party",
        "consultation_notice": "notice of consultation",
        "organ_consultation": "letter consulting another organ",
        "fee_notice": "fee notice",
        "deferral_notice": "notice of deferral",
        "reply": "reply to the application",
        "termination_notice": "notice of termination",
    },
    "service_method": {
        "in_person": "served in person",
        "delegate": "served through a delegate",
        "post": "served by post",
        "email": "served by e-mail",
        "platform": "served on the online platform",
    },
    "param": {
        "on": "date",
        "until": "until",
        "days": "working days",
        "party": "consulted party",
        "approver": "approver",
        "amount": "amount (yuan)",
        "method": "fee method",
        "pages": "pages",
        "count": "this month's application no.",
        "computed_amount": "computed amount (yuan)",
        "reason": "reason",
        "items": "items to correct (one per line)",
        "reasons": "reasons",
        "basis": "legal basis",
        "provided": "what is provided, in what form, how and when",
        "refer_to": "the organ responsible or holding it, and its contact",
        "outcome": "outcome",
        "from": "from",
        "to": "to",
        "note": "note",
        "kind": "kind",
        "result": "result",
        "appeal": "appeal",
    },
}

LABELS: dict[str, dict[str, dict[str, str]]] = {"zh": _ZH, "en": _EN}
FAMILIES: tuple[str, ...] = tuple(_ZH)
# the codes each family accepts as input, in their defined order
INPUT_CODES: dict[str, tuple[str, ...]] = {
    "applicant_type": tuple(ApplicantType),
    "channel": tuple(Channel),
    "state": tuple(State),
    "outcome": tuple(Outcome),
    "appeal_kind": tuple(AppealKind),
    "appeal_result": tuple(AppealResult),
    "role": tuple(Role),
    "party": tuple(Party),
}


def label(family: str, code: str, language: str = "zh") -> str:
    """``code``'s label in ``language``; an unknown code (or language) reads as the code itself."""
    return LABELS.get(language, _ZH).get(family, {}).get(code, code)


@dataclass(frozen=True)
class Coded:
    """A code inside a message: rendered as its label in the reader's language (``{outcome}``)."""

    family: str
    code: str

    def localized(self, language: str) -> str:
        return label(self.family, self.code, language)

    def __str__(self) -> str:
        return self.code


# what each input family is called, for "unknown outcome 'x'" and the help texts
FAMILY_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "applicant_type": "申请人类型",
        "channel": "申请渠道",
        "state": "办理状态",
        "outcome": "办理结果",
        "event": "事项",
        "appeal_kind": "救济类型",
        "appeal_result": "救济结果",
        "role": "角色",
        "party": "征求对象",
    },
    "en": {
        "applicant_type": "applicant type",
        "channel": "channel",
        "state": "state",
        "outcome": "outcome",
        "event": "event",
        "appeal_kind": "appeal kind",
        "appeal_result": "appeal result",
        "role": "role",
        "party": "party",
    },
}


def _short(text: str) -> str:
    """A label without its trailing explanation: 「登记（待确认收到）」 → 「登记」."""
    return text.split("（", 1)[0].split(" (", 1)[0].strip()


def to_code(family: str, raw: str, codes: tuple[str, ...] | None = None) -> str | None:
    """The code ``raw`` names in ``family``: the code itself, or its label in any language
    (English labels case-insensitively), or a label without its explanation in brackets when
    that names one code only (「登记」 for 「登记（待确认收到）」); ``None`` when it names none."""
    allowed = codes if codes is not None else INPUT_CODES[family]
    value = raw.strip()
    if value in allowed:
        return value
    short: set[str] = set()
    for language, families in LABELS.items():
        for code in allowed:
            text = families.get(family, {}).get(code)
            if text is None:
                continue
            if text == value or (language == "en" and text.lower() == value.lower()):
                return code
            if value and _short(text).lower() == value.lower():
                short.add(code)
    return short.pop() if len(short) == 1 else None


@dataclass(frozen=True)
class Choices:
    """The valid values of a family, for an error or a help text: ``disclosed（予以公开）, …``."""

    family: str
    codes: tuple[str, ...]

    def localized(self, language: str) -> str:
        sep, pair = ("，", "{}（{}）") if language == "zh" else (", ", "{} ({})")
        return sep.join(pair.format(c, label(self.family, c, language)) for c in self.codes)

    def __str__(self) -> str:
        return self.localized("en")


@dataclass(frozen=True)
class Family:
    """A family's name inside a message (``{what}``)."""

    family: str

    def localized(self, language: str) -> str:
        return FAMILY_LABELS.get(language, FAMILY_LABELS["zh"]).get(self.family, self.family)

    def __str__(self) -> str:
        return self.localized("en")
