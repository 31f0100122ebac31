"""Interface labels the admin needs beyond codes/ (which holds every legal label)."""

from __future__ import annotations

from codes import CASE_DATE_LABELS, DEADLINE_COLUMNS  # defined once, beside the legal labels

__all__ = ["CASE_DATE_LABELS", "DEADLINE_COLUMNS"]

PARTY_LABELS: dict[str, str] = {"third_party": "第三方", "organ": "其他机关"}
# what a consultation pause is called in a deadline explanation
PAUSE_LABELS: dict[str, str] = {
    "third_party": "征求第三方意见",
    "organ": "征求其他机关意见",
    "fee": "收费通知至缴费",
}
ROLE_LABELS: dict[str, str] = {"caseworker": "办理人员", "supervisor": "负责人", "admin": "系统管理员"}

# the names of event parameters, for the timeline and the forms
PARAM_LABELS: dict[str, str] = {
    "on": "日期",
    "until": "截止日期",
    "days": "工作日数",
    "party": "征求对象",
    "approver": "批准人",
    "amount": "金额（元）",
    "reason": "理由",
    "outcome": "办理结果",
    "items": "需补正的事项（每行一项）",
    "reasons": "理由",
    "basis": "依据",
    "provided": "提供的内容、形式、方式和时间",
    "refer_to": "负责公开或掌握该信息的机关及联系方式",
    "from": "原承办人",
    "to": "新承办人",
}
