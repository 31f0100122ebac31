"""The Jinja2 environment of the case-work pages: every label comes from codes/ or
admin/labels.py, so the pages never retype one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import Response

import codes
from admin import labels
from admin.masking import mask_applicant
from admin.security import CSRF_FIELD, csrf_token
from codes.labels import label
from config.i18n import N_, _, current_language, local_time, ngettext
from reports.render_text import report_article
from workflow.access import is_operator

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates" / "pages")
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def fmt_date(d: dt.date | str | None) -> str:
    if d is None or d == "":
        return "—"
    day = dt.date.fromisoformat(d) if isinstance(d, str) else d
    return _("{date} ({weekday})", date=day.isoformat(), weekday=_(WEEKDAYS[day.weekday()]))


def fmt_time(t: dt.datetime | str | None) -> str:
    """A recording time (or a report's ISO instant) in the office's time zone."""
    return local_time(t)


def code_label(code: str | None, family: str) -> str:
    """``{{ row.state|label("state") }}``: a code as its label in the reader's language."""
    return label(family, code, current_language()) if code else ""


def with_html(sentence: str, **parts: Any) -> Markup:
    """``{{ _("{count} in all")|with_html(count=span) }}``: a translated sentence around HTML parts
    (a count in its own element); the sentence is escaped, the parts (``Markup``) are not."""
    return Markup(escape(sentence)).format(**parts)


def page_language() -> str:
    """The page's ``lang`` attribute: what a screen reader reads it as, and which fonts a browser picks."""
    return "zh-CN" if current_language() == "zh" else "en"


def query(base: dict[str, Any], **changes: Any) -> str:
    """The current filters with some changed, as a query string (for pagination and links)."""
    merged = {**base, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


def flash(request: Request, message: str, kind: str = "success") -> None:
    request.session.setdefault("flash", []).append([kind, message])


_env = TEMPLATES.env
# the catalog in the templates: `{{ _("Reply due {day}", day=d) }}`, the same `_` as the code's (it
# reads the language per call, so one environment serves every request)
_env.add_extension("jinja2.ext.i18n")
_env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=False)  # type: ignore[attr-defined]
_env.globals.update(
    codes=codes,
    labels=labels,
    csrf_field=CSRF_FIELD,
    csrf_token=csrf_token,
    query=query,
    page_language=page_language,
    published_report=report_article,
    is_operator=is_operator,
    _=_,  # the message catalog (config.i18n): every sentence a page adds
)
_env.filters.update(with_html=with_html, date=fmt_date, time=fmt_time, mask=mask_applicant, label=code_label)


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    messages = request.session.pop("flash", []) if "session" in request.scope else []
    ctx = {"me": getattr(request.state, "me", None), "messages": messages, **context}
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)
