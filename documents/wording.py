"""The fixed text the documents print (Chinese: these are the statutory documents themselves, as the
report's labels are in codes/, not interface sentences; the interface goes through config.i18n).

The reply letter's decision by outcome follows Art. 36–39 of the Regulations on Open Government
Information (2019); every withheld outcome names its article, which `basis` may replace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from codes import Outcome

# the article each withholding or refusal rests on when the answer names none
DEFAULT_BASIS: dict[str, str] = {
    Outcome.partially_disclosed: "《中华人民共和国政府信息公开条例》第三十七条",
    Outcome.withheld_state_secret: "《中华人民共和国政府信息公开条例》第十四条",
    Outcome.withheld_prohibited_by_law: "《中华人民共和国政府信息公开条例》第十四条",
    Outcome.withheld_security_stability: "《中华人民共和国政府信息公开条例》第十四条",
    Outcome.withheld_third_party_rights: "《中华人民共和国政府信息公开条例》第十五条",
    Outcome.withheld_internal_affairs: "《中华人民共和国政府信息公开条例》第十六条第一款",
    Outcome.withheld_process_information: "《中华人民共和国政府信息公开条例》第十六条第二款",
    Outcome.withheld_enforcement_file: "《中华人民共和国政府信息公开条例》第十六条第二款",
    Outcome.withheld_query_matter: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    Outcome.unable_not_held: "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    Outcome.unable_needs_creation: "《中华人民共和国政府信息公开条例》第三十八条",
    Outcome.unable_still_unclear: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.not_processed_petition: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    Outcome.not_processed_publication: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Outcome.not_processed_duplicate: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    Outcome.not_processed_excessive: "《中华人民共和国政府信息公开条例》第三十五条",
    Outcome.not_processed_confirmation: "《中华人民共和国政府信息公开条例》第三十九条第二款",
}

_WITHHELD_WHY: dict[str, str] = {
    Outcome.withheld_state_secret: "属于国家秘密",
    Outcome.withheld_prohibited_by_law: "属于法律、行政法规禁止公开的政府信息",
    Outcome.withheld_security_stability: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Outcome.withheld_third_party_rights: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Outcome.withheld_internal_affairs: "属于人事管理、后勤管理、内部工作流程等内部事务信息",
    Outcome.withheld_process_information: "属于行政机关在履行行政管理职能过程中形成的过程性信息",
    Outcome.withheld_enforcement_file: "属于行政执法案卷信息",
    Outcome.withheld_query_matter: "属于行政查询事项，请按照相应的查询程序办理",
}

DEFAULT_PROVIDED = "所申请的政府信息随本答复书一并提供。"


def cn_date(day: dt.date | None) -> str:
    """A date as the documents print it: 2026年3月5日 (empty when there is none)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def decision(outcome: str, params: dict[str, Any]) -> list[str]:
    """The reply letter's decision paragraphs for an outcome (Art. 36–39), from the answer's texts."""
    reasons, provided, refer_to = (params.get(k) for k in ("reasons", "provided", "refer_to"))
    basis = params.get("basis") or DEFAULT_BASIS.get(outcome, "")
    by = f"根据{basis}的规定，" if basis else ""
    if outcome == Outcome.disclosed:
        return ["经审查，您申请的政府信息属于公开范围，本机关决定予以公开。", provided or DEFAULT_PROVIDED]
    if outcome == Outcome.partially_disclosed:
        return [
            "经审查，您申请的政府信息中部分内容可以公开，本机关决定予以部分公开。",
            provided or DEFAULT_PROVIDED,
            f"其余部分{reasons}，{by}不予公开。",
        ]
    if outcome in _WITHHELD_WHY:
        return [f"经审查，您申请的政府信息{_WITHHELD_WHY[outcome]}：{reasons}。{by}本机关决定不予公开。"]
    return _unable_or_not_processed(outcome, by, reasons, refer_to)


def _unable_or_not_processed(outcome: str, by: str, reasons: Any, refer_to: Any) -> list[str]:
    why = [f"{reasons}。"] if reasons else []
    if outcome == Outcome.unable_not_held:
        where = [f"经了解，该政府信息的负责公开机关为{refer_to}，您可向其申请。"] if refer_to else []
        return ["经检索查找，本机关未制作、获取您申请的政府信息。", *why, *where, f"{by}告知如上。"]
    if outcome == Outcome.unable_needs_creation:
        return [f"经审查，您申请的信息需要本机关对现有政府信息进行加工、分析。{by}本机关不予提供。", *why]
    if outcome == Outcome.unable_still_unclear:
        return [f"经补正，您的申请内容仍不明确。{by}本机关无法提供。", *why]
    if outcome == Outcome.not_processed_petition:
        channel = f"请通过{refer_to}反映。" if refer_to else "请通过信访、投诉、举报渠道反映。"
        return [
            f"您的申请属于以政府信息公开申请形式进行信访、投诉、举报等活动。{by}本机关不作为政府信息公开申请处理，{channel}"
        ]
    if outcome == Outcome.not_processed_publication:
        return [f"您申请的信息属于公开出版物，可通过{refer_to}获取。{by}本机关不予处理。"]
    if outcome == Outcome.not_processed_duplicate:
        return [f"您的申请属于重复申请，本机关已就相同内容作出答复。{by}本机关不予重复处理。", *why]
    if outcome == Outcome.not_processed_excessive:
        return [
            f"您申请公开政府信息的数量、频次明显超过合理范围，且未说明理由或理由不合理。{by}本机关不予处理。",
            *why,
        ]
    if outcome == Outcome.not_processed_confirmation:
        return [
            f"您的申请属于要求行政机关确认或重新出具已获取信息的情形。{by}本机关不作为政府信息公开申请处理。",
            *why,
        ]
    return [f"{reasons or '本机关对您的申请作出如上处理'}。"]


def termination(event: str, params: dict[str, Any], before: dict[str, Any]) -> str:
    """Why handling ended (a lapsed correction or fee period)."""
    if event == "lapse_correction":
        return (
            f"本机关已于{cn_date(before.get('correction_until'))}前告知您补正申请，您无正当理由逾期未补正，"
            "根据《中华人民共和国政府信息公开条例》第三十条的规定，视为放弃申请，本机关不再处理您的政府信息公开申请。"
        )
    return (
        f"本机关已向您发出收费通知，缴费期限于{cn_date(before.get('fee_due'))}届满，您逾期未缴纳费用，"
        "根据《政府信息公开信息处理费管理办法》的规定，本机关不再处理您的政府信息公开申请。"
    )
