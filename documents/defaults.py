"""The shipped templates, one per kind, in the national style (GB/T 9704): 仿宋 三号 body, a 小标宋
title, an empty 红头 area above a red line for the organ's letterhead, the number under it.

Built here with python-docx rather than committed as binary .docx files: the wording is reviewed in
a text diff, and the bytes are fixed by `render.deterministic` (zip dates, core properties). Every
template an issued document used is stored with it (documents.service), so a later change here
never changes what an old document re-renders to. `ogi document template show` exports them for
an office to edit in Word.
"""

from __future__ import annotations

import io
from functools import lru_cache

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from config import fonts
from documents.render import deterministic

# the report's fonts (config.fonts), which config/fonts.conf maps for LibreOffice on Linux
BODY_FONT, TITLE_FONT = fonts.BODY_FONT.name, fonts.TITLE_FONT.name
BODY_PT, TITLE_PT = 16, 22  # 三号, 二号
# GB/T 9704-2012 §5.2.2: 22 lines of 28 characters a page: a fixed line pitch, whatever the font's own
# line height (Noto Serif CJK, which LibreOffice maps 仿宋 to, is taller and pushed a reply's date and
# served-to line onto a second page)
LINE_PITCH_PT = 28.95

REMEDY = (
    "如对本答复不服，可以自收到本答复书之日起六十日内向{{ reconsideration_body }}申请行政复议，"
    "或者在六个月内向{{ court }}提起行政诉讼。"
)

# to whom the document is served (the applicant record, DESIGN §12): the identity number and the
# postal address when given
SERVED_TO = (
    "送达：{{ applicant }}{% if applicant_id_number %}（证件号码：{{ applicant_id_number }}）{% endif %}"
    "{% if applicant_address %}　{{ applicant_address }}{% endif %}"
    "{% if applicant_postcode %}　邮编 {{ applicant_postcode }}{% endif %}"
)

# each kind's body: paragraphs of text; "{%p …%}" lines are docxtpl's paragraph-level tags
BODIES: dict[str, list[str]] = {
    "receipt": [
        "{{ applicant }}：",
        "本机关于{{ received_on }}收到您通过{{ channel }}方式提交的政府信息公开申请，申请内容为：{{ request }}。",
        "根据《中华人民共和国政府信息公开条例》第三十一条、第三十三条的规定，本机关将于{{ reply_due }}前作出答复"
        "（依法需要补正、征求意见、延长答复期限或者缴纳费用的，按有关规定另行告知）。",
    ],
    "correction_notice": [
        "{{ applicant }}：",
        "本机关于{{ received_on }}收到您提交的政府信息公开申请。经审查，您的申请内容不明确，"
        "根据《中华人民共和国政府信息公开条例》第三十条的规定，请对下列事项作出补正：",
        "{%p for item in items %}",
        "{{ loop.index }}. {{ item }}",
        "{%p endfor %}",
        "请于{{ correction_until }}前提交补正。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ],
    "extension_notice": [
        "{{ applicant }}：",
        "本机关于{{ received_on }}收到您提交的政府信息公开申请，原答复期限为{{ reply_due_before }}。",
        "因需要延长答复期限，经本机关政府信息公开工作机构负责人{{ approver }}同意，根据《中华人民共和国政府信息公开条例》"
        "第三十三条第二款的规定，答复期限延长至{{ reply_due }}。",
    ],
    "third_party_consultation": [
        "{{ third_party }}：",
        "本机关收到政府信息公开申请，申请公开的信息为：{{ request }}。该信息可能涉及您的合法权益，"
        "根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求您的意见。",
        "请于{{ consultation_due }}前提出意见。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。",
    ],
    "consultation_notice": [
        "{{ applicant }}：",
        "您申请公开的政府信息（{{ request }}）涉及第三方合法权益，本机关已依法书面征求第三方意见，"
        "第三方应于{{ consultation_due }}前提出意见。",
        "根据《中华人民共和国政府信息公开条例》第三十二条、第三十三条的规定，征求第三方意见所需时间不计算在答复期限内。",
    ],
    "organ_consultation": [
        "有关机关：",
        "本机关收到政府信息公开申请，申请公开的信息为：{{ request }}。该信息由本机关与贵机关共同制作，"
        "根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见。",
        "请于{{ consultation_due }}前提出意见，逾期未提出意见的视为同意公开。",
    ],
    "fee_notice": [
        "{{ applicant }}：",
        "根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，您的政府信息公开申请需缴纳信息处理费。",
        "计收方式：{{ method }}　件数：{{ count }}　页数：{{ pages }}",
        "{%p for tier in tiers %}",
        "{{ tier }}",
        "{%p endfor %}",
        "应缴金额：人民币{{ amount }}元。{{ payment_route }}",
        "请于{{ fee_due }}前缴纳。逾期未缴纳的，本机关不再处理您的政府信息公开申请。",
    ],
    "deferral_notice": [
        "{{ applicant }}：",
        "本机关于{{ received_on }}收到您提交的政府信息公开申请。因{{ reason }}，根据《中华人民共和国政府信息公开条例》"
        "第三十五条的规定，本机关将于{{ reply_due }}前作出答复。",
    ],
    "reply": [
        "{{ applicant }}：",
        "本机关于{{ received_on }}收到您提交的政府信息公开申请，申请内容为：{{ request }}。现答复如下：",
        "{%p for paragraph in decision %}",
        "{{ paragraph }}",
        "{%p endfor %}",
        REMEDY,
    ],
    "termination_notice": [
        "{{ applicant }}：",
        "本机关于{{ received_on }}收到您提交的政府信息公开申请。{{ termination }}",
    ],
}


def _font(run: object, name: str, size: int, *, bold: bool = False, red: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    if red:
        run.font.color.rgb = RGBColor(0xC0, 0, 0)  # type: ignore[attr-defined]
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), name)


def _red_line(paragraph: object) -> None:
    """The red rule under the letterhead (a bottom border of the paragraph)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)  # type: ignore[attr-defined]


def _paragraph(
    doc: object,
    text: str,
    *,
    align: int | None = None,
    indent: bool = False,
    size: int = BODY_PT,
    font: str = BODY_FONT,
    bold: bool = False,
) -> object:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    p.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    p.paragraph_format.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold=bold)
    return p


def _keep_with_next(paragraph: object) -> None:
    paragraph.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]


@lru_cache
def default_template(kind: str) -> bytes:
    """The shipped template of `kind`, as DOCX bytes (the same bytes on every call and machine)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    for _ in range(3):  # the 红头 area: empty, for the organ's letterhead
        _paragraph(doc, "")
    _red_line(_paragraph(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER))
    _paragraph(doc, "{{ organ }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, font=TITLE_FONT)
    _paragraph(doc, "{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, font=TITLE_FONT)
    _paragraph(doc, "案件编号：{{ ref }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    for i, text in enumerate(BODIES[kind]):
        tag = text.startswith("{%p")
        _paragraph(doc, text, indent=i > 0 and not tag)
    # the signature block never parts from its date (a page break before the seal, if any)
    _keep_with_next(_paragraph(doc, ""))
    _keep_with_next(_paragraph(doc, "{{ organ }}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT))
    _paragraph(doc, "{{ issued_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, "联系地址：{{ organ_address }}　联系电话：{{ organ_phone }}", size=14)
    _paragraph(doc, SERVED_TO, size=14)
    out = io.BytesIO()
    doc.save(out)
    return deterministic(out.getvalue())
