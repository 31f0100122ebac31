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
# the names of event parameters on the forms (a history names them as FIELD_LABELS do, without the hints)
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
    # what a later calendar change or re-judging made of an entry (the case's JSON)
    "rederived_on": "重新确定的日期",
    "undone": "已撤销",
    "kept_as_recorded": "按原记录保留的理由",
    "void": "不再成立的理由",
    "attention": "需负责人处理的问题",
    "reply_due": "答复期限",
    "appeal_id": "救济编号",
}
# who did something when no person did: the sweep, the relay, an import
ACTOR_LABELS: dict[str, str] = {"system": "系统", "import": "导入"}
# who ran the CLI without naming a user is recorded as ``operator:<os user>`` (workflow.access)
_OPERATOR = "operator:"
_OPERATOR_WORD = {"zh": "命令行运维人员 {name}", "en": "command-line operator {name}"}
ID_KIND_LABELS: dict[str, str] = {
    "resident_id": "居民身份证",
    "credit_code": "统一社会信用代码",
    "other": "其他证件",
}
FEE_METHOD_LABELS: dict[str, str] = {"count": "按件计收", "pages": "按量计收"}
# the web new-case form's two ways to open a case: the clock starts now, or once receipt is confirmed
NEW_CASE_MODE_LABELS: dict[str, str] = {"received": "已收到，开始计时", "registered": "待确认收到"}
# every input field a person can get wrong, as a refusal names it (every door: CLI, web, import,
# ledger): ``FieldName.named("request")`` reads 申请内容, never the field's code inside a Chinese sentence
FIELD_LABELS: dict[str, str] = {
    **{k: v.removesuffix("（每行一项）") for k, v in PARAM_LABELS.items()},
    "organ": "机关",
    "applicant_type": "申请人类型",
    "applicant": "申请人",
    "channel": "申请渠道",
    "request": "申请内容",
    "received_on": "收到申请日期",
    "submitted_on": "提交申请日期",
    "ref": "案件编号",
    "assignee": "承办人",
    "applicant_details": "申请人信息",
    "id_kind": "证件类型",
    "id_number": "证件号码",
    "phone": "联系电话",
    "email": "电子邮箱",
    "address": "通信地址",
    "postcode": "邮政编码",
    "events": "办理过程",
    "appeals": "救济情况",
    "event": "事项",
    "actor": "经办人",
    "filed_on": "提起日期",
    "decided_on": "决定日期",
    "mode": "登记方式",
    "state": "办理状态",
    "role": "角色",
    "date": "收到（或提交）日期",
    "served_on": "送达日期",
    "version": "案件版本",
    "year": "年度",
    "page": "页码",
    "due_within": "到期天数",
    "organ name": "机关名称",
    "user name": "用户名",
    "value": "值",
}

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
    "id_kind": ID_KIND_LABELS,
    "fee_method": FEE_METHOD_LABELS,
    "new_case_mode": NEW_CASE_MODE_LABELS,
    "field": FIELD_LABELS,
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
        "sweep_entries_rejudged": "sweep entries re-judged",
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
        "rederived_on": "re-derived date",
        "undone": "undone",
        "kept_as_recorded": "kept as recorded because",
        "void": "void because",
        "attention": "for a supervisor",
        "reply_due": "reply due",
        "appeal_id": "appeal no.",
    },
    "id_kind": {
        "resident_id": "resident identity card",
        "credit_code": "unified social credit code",
        "other": "other identity document",
    },
    "fee_method": {"count": "by the number of applications", "pages": "by the number of pages"},
    "new_case_mode": {
        "received": "received, the clock starts",
        "registered": "awaiting confirmation of receipt",
    },
    "field": {
        "on": "date",
        "until": "until",
        "days": "working days",
        "party": "consulted party",
        "approver": "approver",
        "amount": "amount",
        "method": "fee method",
        "pages": "pages",
        "count": "application number in the month",
        "computed_amount": "computed amount",
        "reason": "reason",
        "items": "items to correct",
        "reasons": "reasons",
        "basis": "legal basis",
        "provided": "what is provided",
        "refer_to": "body referred to",
        "outcome": "outcome",
        "from": "previous assignee",
        "to": "new assignee",
        "note": "note",
        "kind": "kind",
        "result": "result",
        "appeal": "appeal",
        "organ": "organ",
        "applicant_type": "applicant type",
        "applicant": "applicant",
        "channel": "channel",
        "request": "request",
        "received_on": "date received",
        "submitted_on": "date submitted",
        "ref": "case number",
        "assignee": "assignee",
        "applicant_details": "applicant's details",
        "id_kind": "identity document",
        "id_number": "identity number",
        "phone": "phone",
        "email": "e-mail",
        "address": "address",
        "postcode": "postcode",
        "events": "history",
        "appeals": "appeals",
        "event": "event",
        "actor": "actor",
        "filed_on": "date filed",
        "decided_on": "date decided",
        "mode": "how the case opens",
        "state": "state",
        "role": "role",
        "date": "date received (or submitted)",
        "served_on": "service date",
        "version": "case version",
        "year": "year",
        "page": "page",
        "due_within": "due within (days)",
        "organ name": "organ's name",
        "user name": "user name",
        "value": "value",
    },
}

# a field not named for input reads as its parameter's name (as in Chinese, FIELD_LABELS)
_EN["field"] = {**_EN["param"], **_EN["field"]}
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
    "id_kind": tuple(ID_KIND_LABELS),
    "fee_method": tuple(FEE_METHOD_LABELS),
    "document_kind": tuple(DOCUMENT_KIND_LABELS),
    "service_method": tuple(SERVICE_METHOD_LABELS),
}


def label(family: str, code: str, language: str = "zh") -> str:
    """``code``'s label in ``language``; an unknown code (or language) reads as the code itself
    (an actor: a user's name as it is, the operator ``operator:root`` as ``命令行运维人员 root``)."""
    if family == "actor" and code.startswith(_OPERATOR):
        return _OPERATOR_WORD.get(language, _OPERATOR_WORD["zh"]).format(name=code.removeprefix(_OPERATOR))
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
        "id_kind": "证件类型",
        "fee_method": "计费方式",
        "document_kind": "文书类型",
        "service_method": "送达方式",
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
        "id_kind": "identity document kind",
        "fee_method": "fee method",
        "document_kind": "document kind",
        "service_method": "service method",
    },
}


def _short(text: str) -> str:
    """A label without its trailing explanation: 「登记（待确认收到）」 → 「登记」."""
    return text.split("（", 1)[0].split(" (", 1)[0].strip()


# the shortest part of a Chinese label that names its code (「维持」 for 「结果维持」)
_PART_MIN = 2


def to_code(family: str, raw: str, codes: tuple[str, ...] | None = None) -> str | None:
    """The code ``raw`` names in ``family``: the code itself, or its label in any language
    (English labels case-insensitively), or a label without its explanation in brackets when
    that names one code only (「登记」 for 「登记（待确认收到）」), or a part of one Chinese
    label that no other label of the family holds (「维持」, 「邮寄」, 「答复书」; 「补正」 names
    three events, so none); ``None`` when it names none."""
    allowed = codes if codes is not None else INPUT_CODES[family]
    value = raw.strip()
    if value in allowed:
        return value
    short: set[str] = set()
    part: set[str] = set()
    for language, families in LABELS.items():
        for code in allowed:
            text = families.get(family, {}).get(code)
            if text is None:
                continue
            if text == value or (language == "en" and text.lower() == value.lower()):
                return code
            if value and _short(text).lower() == value.lower():
                short.add(code)
            if language == "zh" and len(value) >= _PART_MIN and value in text:
                part.add(code)
    if len(short) == 1:
        return short.pop()
    return part.pop() if len(part) == 1 else None


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


@dataclass(frozen=True)
class FieldName:
    """An input field inside a message (``{field}``): its label in the reader's language, never its
    code. ``path`` is the field's place as pydantic gives it: ``("request",)``, ``("items", 0)``
    (the first item), ``("applicant_details", "id_number")``; an unknown name reads as itself."""

    path: tuple[str | int, ...]

    @classmethod
    def named(cls, name: str) -> FieldName:
        return cls((name,))

    def localized(self, language: str) -> str:
        known = LABELS.get(language, _ZH)["field"]
        if not any(isinstance(p, str) and p in known for p in self.path):
            return str(self)  # a path of keys no refusal names otherwise (a report's inputs): as typed
        names = [label("field", p, language) for p in self.path if isinstance(p, str)]
        items = [p + 1 for p in self.path if isinstance(p, int)]
        if language == "zh":
            return "·".join(names) + "".join(f"第{n}项" for n in items)
        return " › ".join(names) + "".join(f" (item {n})" for n in items)

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.path)


@dataclass(frozen=True)
class CodeList:
    """Several codes of one family inside a message (``{states}``): their labels, in the reader's
    list form (``办理中、待确认收到``; ``in progress, awaiting …``); none reads as "—"."""

    family: str
    codes: tuple[str, ...]

    def localized(self, language: str) -> str:
        sep = "、" if language == "zh" else ", "
        return sep.join(label(self.family, c, language) for c in self.codes) or "—"

    def __str__(self) -> str:
        return ", ".join(self.codes) or "—"


@dataclass(frozen=True)
class FieldList:
    """Several input fields inside a message (``{names}``), each as its label."""

    names: tuple[str, ...]
    paths: tuple[FieldName, ...] = ()  # fields given by their place (``FieldList.of``)

    @classmethod
    def of(cls, fields: list[FieldName]) -> FieldList:
        return cls((), tuple(fields))

    def localized(self, language: str) -> str:
        sep = "、" if language == "zh" else ", "
        fields = [FieldName.named(n) for n in self.names] + list(self.paths)
        return sep.join(f.localized(language) for f in fields)

    def __str__(self) -> str:
        return ", ".join([*self.names, *(str(f) for f in self.paths)])


# the code family of each coded event parameter, so a history shows its label
PARAM_FAMILIES: dict[str, str] = {
    "outcome": "outcome",
    "party": "party",
    "method": "fee_method",
    "kind": "appeal_kind",
    "result": "appeal_result",
}


def param_value(key: str, value: object, language: str = "zh") -> str:
    """One stored event parameter as a person reads it: a code as its label, a list (the
    correction's items) as numbered lines, nothing as "—". The case's JSON keeps the value."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return "\n".join(f"{i}. {item}" for i, item in enumerate(value, 1))
    if key in PARAM_FAMILIES:
        return label(PARAM_FAMILIES[key], str(value), language)
    return str(value)


def actor_label(actor: str, language: str = "zh") -> str:
    """Who did something, as a person reads it: a user's name as it is, a word for the system or an
    import, ``命令行运维人员 root`` for the operator recorded as ``operator:root``. JSON keeps the code."""
    return label("actor", actor, language)
