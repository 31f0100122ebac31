"""The codes of DESIGN §5: applicant types, channels, states, outcomes, appeal kinds and their labels."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Labelled(StrEnum):
    """A code family declared once: each member is `code = "code", "label"`; the member is the code
    (a str), its `label` the one Chinese label of it, and `labels(Family)` the {code: label} table."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


def labels(family: type[Labelled]) -> dict[str, str]:
    """{code: label} of a family, in its order (forms, lists and the JSON keys use the codes)."""
    return {m.value: m.label for m in family}


class ApplicantType(Labelled):
    natural_person = "natural_person", "自然人"
    commercial_enterprise = "commercial_enterprise", "商业企业"
    research_institution = "research_institution", "科研机构"
    social_welfare_org = "social_welfare_org", "社会公益组织"
    legal_service_org = "legal_service_org", "法律服务机构"
    other_org = "other_org", "其他"


APPLICANT_TYPE_LABELS: dict[str, str] = {**labels(ApplicantType), "total": "总计"}

# report columns, in order: the six applicant types, then the total
COLUMNS: tuple[str, ...] = (*(t.value for t in ApplicantType), "total")


class Channel(Labelled):
    in_person = "in_person", "当面提交"
    registered_mail = "registered_mail", "邮政挂号信"
    ordinary_mail = "ordinary_mail", "平常信函"
    online = "online", "网络平台"
    email = "email", "电子邮件"
    fax = "fax", "传真"
    other = "other", "其他"


CHANNEL_LABELS: dict[str, str] = labels(Channel)


class State(Labelled):
    registered = "registered", "待确认收到"
    received = "received", "办理中"
    awaiting_correction = "awaiting_correction", "待补正"
    consulting = "consulting", "征求意见中"
    awaiting_fee = "awaiting_fee", "待缴费"
    answered = "answered", "已办结"


STATE_LABELS: dict[str, str] = labels(State)

OPEN_STATES: tuple[str, ...] = tuple(s.value for s in State if s is not State.answered)
# states in which the reply clock is stopped (DESIGN §2: consultation and fee time is not counted)
PAUSED_STATES: tuple[str, ...] = (State.consulting.value, State.awaiting_fee.value)


class Outcome(Labelled):
    disclosed = "disclosed", "予以公开"
    partially_disclosed = "partially_disclosed", "部分公开"
    withheld_state_secret = "withheld_state_secret", "不予公开：国家秘密"
    withheld_prohibited_by_law = "withheld_prohibited_by_law", "不予公开：法律行政法规禁止"
    withheld_security_stability = "withheld_security_stability", "不予公开：危及“三安全一稳定”"
    withheld_third_party_rights = "withheld_third_party_rights", "不予公开：保护第三方合法权益"
    withheld_internal_affairs = "withheld_internal_affairs", "不予公开：内部事务信息"
    withheld_process_information = "withheld_process_information", "不予公开：过程性信息"
    withheld_enforcement_file = "withheld_enforcement_file", "不予公开：行政执法案卷"
    withheld_query_matter = "withheld_query_matter", "不予公开：行政查询事项"
    unable_not_held = "unable_not_held", "无法提供：本机关不掌握"
    unable_needs_creation = "unable_needs_creation", "无法提供：需要另行制作"
    unable_still_unclear = "unable_still_unclear", "无法提供：补正后仍不明确"
    not_processed_petition = "not_processed_petition", "不予处理：信访举报投诉"
    not_processed_duplicate = "not_processed_duplicate", "不予处理：重复申请"
    not_processed_publication = "not_processed_publication", "不予处理：公开出版物"
    not_processed_excessive = "not_processed_excessive", "不予处理：大量反复申请"
    not_processed_confirmation = "not_processed_confirmation", "不予处理：要求确认或重新出具"
    other_no_correction = "other_no_correction", "其他处理：逾期不补正"
    other_fee_unpaid = "other_fee_unpaid", "其他处理：逾期未缴费"
    other = "other", "其他处理：其他"


OUTCOMES: tuple[str, ...] = tuple(o.value for o in Outcome)
# outcomes that only a lapse produces; `answer` may not give them (DESIGN §3)
LAPSE_OUTCOMES: frozenset[str] = frozenset({Outcome.other_no_correction, Outcome.other_fee_unpaid})

# section 三 row keys and their exact labels, in the order of the national format
ROW_LABELS: dict[str, str] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "disclosed": "（一）予以公开",
    "partially_disclosed": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "1.属于国家秘密",
    "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_security_stability": "3.危及“三安全一稳定”",
    "withheld_third_party_rights": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息",
    "withheld_process_information": "6.属于四类过程性信息",
    "withheld_enforcement_file": "7.属于行政执法案卷",
    "withheld_query_matter": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息",
    "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_still_unclear": "3.补正后申请内容仍不明确",
    "not_processed_petition": "1.信访举报投诉类申请",
    "not_processed_duplicate": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物",
    "not_processed_excessive": "4.无正当理由大量反复申请",
    "not_processed_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other": "3.其他",
    "total": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}
ROWS: tuple[str, ...] = tuple(ROW_LABELS)

# the four numbered outcome groups of section 三; their label cells carry no numbers
OUTCOME_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "withheld": ("（三）不予公开", tuple(o for o in OUTCOMES if o.startswith("withheld_"))),
    "unable": ("（四）无法提供", tuple(o for o in OUTCOMES if o.startswith("unable_"))),
    "not_processed": ("（五）不予处理", tuple(o for o in OUTCOMES if o.startswith("not_processed_"))),
    "other": ("（六）其他处理", ("other_no_correction", "other_fee_unpaid", "other")),
}
RESULTS_HEADING = "三、本年度办理结果"

# a short label for each outcome, for lists and forms (the row label without its numbering)
OUTCOME_SHORT_LABELS: dict[str, str] = labels(Outcome)


class Party(StrEnum):
    third_party = "third_party"  # Art. 32
    organ = "organ"  # Art. 34: information made jointly with other bodies


class Role(StrEnum):
    caseworker = "caseworker"
    supervisor = "supervisor"
    admin = "admin"


class AppealKind(Labelled):
    reconsideration = "reconsideration", "行政复议"
    litigation = "litigation", "行政诉讼·未经复议直接起诉"
    litigation_after_reconsideration = "litigation_after_reconsideration", "行政诉讼·复议后起诉"


APPEAL_KIND_LABELS: dict[str, str] = labels(AppealKind)


class AppealResult(StrEnum):
    upheld = "upheld"
    corrected = "corrected"
    other = "other"


# section 四 columns of each group, in order
APPEAL_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
APPEAL_COLUMN_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

EVENT_LABELS: dict[str, str] = {
    "register": "登记（待确认收到）",
    "receive": "收到申请",
    "confirm_receipt": "确认收到",
    "request_correction": "告知补正",
    "receive_correction": "收到补正",
    "lapse_correction": "逾期未补正",
    "consult": "征求意见",
    "receive_opinion": "收到意见",
    "lapse_consultation": "征求意见期满",
    "extend": "延期答复",
    "notify_fee": "发出收费通知",
    "receive_payment": "收到缴费",
    "lapse_fee": "逾期未缴费",
    "defer": "另行确定答复期限",
    "answer": "答复",
    "withdraw": "申请人撤回",
    "became_overdue": "已逾期",
    "deadlines_recomputed": "期限重算（节假日安排更新）",
    "sweep_entries_rejudged": "系统记录重新判定（补录较早日期的办理事项）",
    "reassigned": "变更承办人",
    "attention_acknowledged": "主管已核查提示",
    "appeal_filed": "提起复议/诉讼",
    "appeal_decided": "复议/诉讼结果",
}


# a case's dates and their one Chinese label each (CLI, web, JSON keys), in the order a case page shows them
CASE_DATE_LABELS: dict[str, str] = {
    "submitted_on": "提交日期",
    "received_on": "收到日期",
    "clock_start": "答复期限起算日",
    "correction_notice_due": "告知补正期限",
    "correction_until": "补正期限",
    "consultation_due": "征求意见期限",
    "fee_due": "缴费期限",
    "reply_due": "答复期限",
    "concluded_on": "办结日期",
}
# the deadline columns of a case, in the order a case meets them
DEADLINE_COLUMNS: tuple[str, ...] = (
    "correction_notice_due",
    "correction_until",
    "consultation_due",
    "fee_due",
    "reply_due",
)


class DeadlineKind(Labelled):
    """What a reminder is about: a deadline column of the case, or the reply having passed its day."""

    # the body's reply (Art. 33); also carries "decide on an extension now"
    reply = "reply_due", "答复期限"
    # tell the applicant what to correct, 7 WD (Art. 30)
    correction_notice = "correction_notice_due", "告知补正期限"
    # the applicant's correction period has ended (Art. 30)
    correction_period = "correction_until", "补正期限届满"
    # the applicant's payment period has ended (Art. 42)
    fee_period = "fee_due", "缴费期限届满"
    # the reply is overdue: escalated to the organ's supervisors
    overdue = "overdue", "答复已逾期"


DEADLINE_KIND_LABELS: dict[str, str] = labels(DeadlineKind)


class DocumentKind(Labelled):
    """The statutory documents (文书) of DESIGN §11, each notifying one event of the case; the label
    is the title printed on it."""

    receipt = "receipt", "政府信息公开申请接收回执"
    correction_notice = "correction_notice", "补正申请告知书"
    extension_notice = "extension_notice", "延期答复告知书"
    third_party_consultation = "third_party_consultation", "征求第三方意见书"
    consultation_notice = "consultation_notice", "征求意见告知书"
    organ_consultation = "organ_consultation", "征求意见函"
    fee_notice = "fee_notice", "收费通知书"
    deferral_notice = "deferral_notice", "延期答复告知书"
    reply = "reply", "政府信息公开申请答复书"
    termination_notice = "termination_notice", "终止办理告知书"


DOCUMENT_KINDS: tuple[str, ...] = tuple(k.value for k in DocumentKind)
DOCUMENT_KIND_LABELS: dict[str, str] = labels(DocumentKind)

# the series code in a document's number (文号); kinds sharing a code share one numbering series
DOCUMENT_NUMBER_CODES: dict[str, str] = {
    "receipt": "公告",
    "correction_notice": "公补",
    "extension_notice": "公延",
    "third_party_consultation": "公征",
    "consultation_notice": "公征",
    "organ_consultation": "公征",
    "fee_notice": "公费",
    "deferral_notice": "公延",
    "reply": "公复",
    "termination_notice": "公告",
}
DEFAULT_NUMBER_PATTERN = "{short}{code}〔{year}〕{seq}号"


class ServiceMethod(Labelled):
    """How a document reached its addressee (送达), and which day counts (DESIGN §11)."""

    in_person = "in_person", "直接送达"  # the day signed for
    delegate = "delegate", "委托送达"  # the day the delegate signed
    post = "post", "邮寄送达"  # the day posted through the postal enterprise (235号)
    email = "email", "电子邮件送达"  # the day sent
    platform = "platform", "网上平台送达"  # the day sent on the online platform


SERVICE_METHOD_LABELS: dict[str, str] = labels(ServiceMethod)
