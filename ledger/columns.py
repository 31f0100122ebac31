"""The ledger's columns: the export's Chinese headers, the variants offices use for them, and the
one function that fills the identity-number cell.

The headers are the register's own words (DESIGN §13). An imported register is matched by header
name, so the columns may come in any order and under any name of `ALIASES`.
"""

from __future__ import annotations

from workflow import identity

SEP = "；"  # between the rounds of a step that happened more than once (in one cell)
PARTS = "/"  # between the parts of one round (延期 days/approver, 征求意见 party/start/end)

# the case sheet, left to right
SEQ = "序号"
REF = "申请编号"
SUBMITTED = "提交日期"
RECEIVED = "收到日期"
APPLICANT = "申请人"
APPLICANT_TYPE = "申请人类型"
IDENTITY = "证件号码"
CHANNEL = "申请方式"
REQUEST = "申请内容"
CORRECTION_NOTICE = "补正告知日"
CORRECTION_UNTIL = "补正期限"
CORRECTION_RECEIVED = "补正收到日"
EXTENSION = "延期（天/批准人）"
CONSULTATION = "征求意见（对象/起/止）"
FEE_NOTICE = "收费通知日"
FEE_PAID = "缴费日"
DEFERRED = "另定答复日（第三十五条）"
REPLY_DUE = "答复期限"
ANSWERED = "答复日"
OUTCOME = "办理结果"
LATE = "是否逾期"
ASSIGNEE = "承办人"

HEADERS: tuple[str, ...] = (
    SEQ,
    REF,
    SUBMITTED,
    RECEIVED,
    APPLICANT,
    APPLICANT_TYPE,
    IDENTITY,
    CHANNEL,
    REQUEST,
    CORRECTION_NOTICE,
    CORRECTION_UNTIL,
    CORRECTION_RECEIVED,
    EXTENSION,
    CONSULTATION,
    FEE_NOTICE,
    FEE_PAID,
    DEFERRED,
    REPLY_DUE,
    ANSWERED,
    OUTCOME,
    LATE,
    ASSIGNEE,
)
# the columns an imported register must have (答复日 and 办理结果 only together: DESIGN §13)
REQUIRED: tuple[str, ...] = (RECEIVED, APPLICANT, APPLICANT_TYPE, CHANNEL)
# derived from the history: written by the export, never read by the import (序号 is a row number;
# 是否逾期 only tells a withdrawal, never late, from a late 「其他」 answer); 证件号码 is read when
# it is given in full (a masked one, from an export without --full, holds nothing to import)
DERIVED: frozenset[str] = frozenset({SEQ, REPLY_DUE})
MASK = "*"

# the appeals sheet
APPEALS_SHEET = "复议诉讼"
CASES_SHEET = "台账"
APPEAL_REF = REF
APPEAL_KIND = "类型"
APPEAL_FILED = "提起日期"
APPEAL_RESULT = "结果"
APPEAL_DECIDED = "结果日期"
APPEAL_HEADERS: tuple[str, ...] = (SEQ, APPEAL_REF, APPEAL_KIND, APPEAL_FILED, APPEAL_RESULT, APPEAL_DECIDED)

# other names offices give the same column (README: "Header variants"); a header is matched with its
# spaces and line breaks removed and half-width brackets read as full-width ones
ALIASES: dict[str, str] = {
    "编号": REF,
    "申请号": REF,
    "受理编号": REF,
    "登记编号": REF,
    "申请日期": SUBMITTED,
    "提交时间": SUBMITTED,
    "申请时间": RECEIVED,
    "收到时间": RECEIVED,
    "收到申请日期": RECEIVED,
    "受理日期": RECEIVED,
    "登记日期": RECEIVED,
    "申请人姓名": APPLICANT,
    "申请人名称": APPLICANT,
    "申请人姓名或名称": APPLICANT,
    "申请人性质": APPLICANT_TYPE,
    "申请人类别": APPLICANT_TYPE,
    "身份证号": IDENTITY,
    "身份证号码": IDENTITY,
    "证件号": IDENTITY,
    "提交方式": CHANNEL,
    "申请渠道": CHANNEL,
    "申请形式": CHANNEL,
    "申请公开内容": REQUEST,
    "申请事项": REQUEST,
    "申请信息内容": REQUEST,
    "所需信息内容描述": REQUEST,
    "补正告知日期": CORRECTION_NOTICE,
    "告知补正日期": CORRECTION_NOTICE,
    "补正截止日": CORRECTION_UNTIL,
    "补正收到日期": CORRECTION_RECEIVED,
    "延期": EXTENSION,
    "延期答复": EXTENSION,
    "征求意见": CONSULTATION,
    "征求第三方意见": CONSULTATION,
    "收费通知日期": FEE_NOTICE,
    "缴费日期": FEE_PAID,
    "另定答复日": DEFERRED,
    "答复截止日": REPLY_DUE,
    "法定答复期限": REPLY_DUE,
    "答复时间": ANSWERED,
    "答复日期": ANSWERED,
    "办结日期": ANSWERED,
    "办结时间": ANSWERED,
    "答复结果": OUTCOME,
    "处理结果": OUTCOME,
    "答复类型": OUTCOME,
    "办理结果类型": OUTCOME,
    "逾期": LATE,
    "是否超期": LATE,
    "经办人": ASSIGNEE,
    "承办人员": ASSIGNEE,
    "办理人": ASSIGNEE,
}
APPEAL_ALIASES: dict[str, str] = {
    "案件类型": APPEAL_KIND,
    "复议诉讼类型": APPEAL_KIND,
    "提起日": APPEAL_FILED,
    "立案日期": APPEAL_FILED,
    "审结结果": APPEAL_RESULT,
    "决定日期": APPEAL_DECIDED,
    "审结日期": APPEAL_DECIDED,
}


def canonical(header: str, aliases: dict[str, str], known: tuple[str, ...]) -> str | None:
    """The ledger column a header names (spaces and line breaks ignored), or None."""
    name = "".join(header.split()).replace("(", "（").replace(")", "）")
    if name in known:
        return name
    return aliases.get(name)


def identity_cell(number: str | None, full: bool) -> str:
    """The 证件号码 cell: the applicant's identity number masked (110105**********2X), or in full
    when `full` (asked for by a user of the case's organ, DESIGN §12); empty when none was given."""
    if not number:
        return ""
    return number if full else identity.mask(number) or ""
