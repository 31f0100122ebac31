"""Server-rendered SVG charts for the dashboard: no JavaScript, nothing fetched from elsewhere.

Every bar carries its value as text (read at a glance, and printable) and as `data-value`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from config.i18n import _, ngettext

FONT = 'font-family="inherit" font-size="12"'
GRID = "#e6e8eb"
INK = "#1d273b"
MUTED = "#667382"


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: Sequence[int]


def _nice_max(value: int) -> int:
    """A round axis maximum at or above the largest value whose quarters are whole numbers
    (4, 8, 20, 40, 80, 200, …): counts are never fractions."""
    step = 1
    while True:
        for m in (4, 8, 20):
            if value <= m * step:
                return m * step
        step *= 10


def column_chart(
    categories: Sequence[str], series: Sequence[Series], *, title: str, height: int = 240
) -> Markup:
    """Grouped columns: one group per category, one column per series, with a legend."""
    n, k = len(categories), max(len(series), 1)
    width, left, bottom, top = 640, 36, 28, 34
    plot_w, plot_h = width - left - 8, height - top - bottom
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    group_w = plot_w / max(n, 1)
    bar_w = min(22.0, group_w * 0.8 / k)
    parts = [_open(width, height, title)]
    for i in range(5):  # horizontal grid lines and their values
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 4, y + 4, str(top_value * i // 4), anchor="end", color=MUTED))
    for j, item in enumerate(series):
        lx = left + j * 96
        parts.append(f'<rect x="{lx}" y="6" width="10" height="10" fill="{item.color}"/>')
        parts.append(_text(lx + 14, 15, item.name, anchor="start"))
    for i, cat in enumerate(categories):
        x0 = left + i * group_w + (group_w - bar_w * k) / 2
        for j, s in enumerate(series):
            v = s.values[i]
            h = plot_h * v / top_value
            x, y = x0 + j * bar_w, top + plot_h - h
            tip = _("{category} {series}: {n}", category=cat, series=s.name, n=v)
            parts.append(
                f'<rect class="bar" data-series="{escape(s.name)}" data-category="{escape(cat)}" '
                f'data-value="{v}" x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{s.color}"><title>{escape(tip)}</title></rect>'
            )
            if v:
                parts.append(_text(x + (bar_w - 2) / 2, y - 3, str(v), size=10))
        parts.append(_text(left + i * group_w + group_w / 2, height - 10, cat, color=MUTED))
    return Markup("".join(parts) + "</svg>")


def bar_list(items: Sequence[tuple[str, int, str]], *, title: str) -> Markup:
    """Horizontal bars, one per (label, value, color), each with its count and share."""
    width, row_h, label_w = 640, 30, 150
    height = max(len(items), 1) * row_h + 10
    total = sum(v for _, v, _ in items)
    top_value = max((v for _, v, _ in items), default=0) or 1
    parts = [_open(width, height, title)]
    for i, (label, v, color) in enumerate(items):
        y = 6 + i * row_h
        w = (width - label_w - 110) * v / top_value
        share = f"{v / total:.0%}" if total else "—"
        parts.append(_text(label_w - 8, y + 15, label, anchor="end"))
        parts.append(
            f'<rect class="bar" data-category="{escape(label)}" data-value="{v}" x="{label_w}" y="{y}" '
            f'width="{w:.1f}" height="{row_h - 10}" rx="3" fill="{color}">'
            f"<title>{escape(_('{name}: {value}', name=label, value=v))}</title></rect>"
        )
        parts.append(
            _text(
                label_w + w + 6,
                y + 15,
                _("{count} ({share})", count=ngettext("{n} case", "{n} cases", v), share=share),
                anchor="start",
            )
        )
    return Markup("".join(parts) + "</svg>")


def donut(part: int, whole: int, *, title: str, color: str = "#2fb344", rest: str = "#d63939") -> Markup:
    """A ring showing part / whole, the percentage in the middle."""
    size, r, stroke = 180, 64, 22
    c = 2 * 3.141592653589793 * r
    share = part / whole if whole else 0.0
    text = f"{share:.0%}" if whole else "—"
    dash = f"{c * share:.2f} {c:.2f}"
    return Markup(
        _open(size, size, title)
        + f'<circle cx="90" cy="90" r="{r}" fill="none" stroke="{rest if whole else GRID}" '
        f'stroke-width="{stroke}"/>'
        + f'<circle class="share" data-value="{part}" data-whole="{whole}" cx="90" cy="90" r="{r}" '
        'fill="none" '
        f'stroke="{color}" stroke-width="{stroke}" stroke-dasharray="{dash}" transform="rotate(-90 90 90)"/>'
        + _text(90, 96, text, size=26, weight="600")
        + _text(90, 118, f"{part} / {whole}", color=MUTED)
        + "</svg>"
    )


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    color: str = INK,
    size: int = 12,
    weight: str = "400",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{color}" font-size="{size}" '
        f'font-weight="{weight}">{escape(text)}</text>'
    )
