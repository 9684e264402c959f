"""Charts as hand-written SVG: no plotting dependency, readable by screen readers.

Every chart has a ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``, and each bar or
point carries its own ``<title>`` with the exact number (a tooltip in browsers). Labels are
escaped; sizes are fixed so the pictures look the same in any viewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 760
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"
PALETTE = ("#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#57606a")
MUTED = "#57606a"


def _e(text: str) -> str:
    return escape(text, {"'": "&apos;", '"': "&quot;"})


def _svg(title: str, desc: str, height: int, body: list[str]) -> str:
    return "\n".join(
        [
            (
                f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{height}'"
                f" viewBox='0 0 {WIDTH} {height}' role='img'"
                " aria-labelledby='chart-title chart-desc'"
                f" {FONT}>"
            ),
            f"<title id='chart-title'>{_e(title)}</title>",
            f"<desc id='chart-desc'>{_e(desc)}</desc>",
            f"<rect width='{WIDTH}' height='{height}' fill='#ffffff'/>",
            (
                f"<text x='24' y='34' font-size='20' font-weight='bold' fill='#24292f'>"
                f"{_e(title)}</text>"
            ),
            *body,
            "</svg>",
            "",
        ]
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


@dataclass(frozen=True, slots=True)
class Bar:
    """One labelled value."""

    label: str
    value: float
    note: str = ""


def funnel_chart(title: str, subtitle: str, bars: Sequence[Bar]) -> str:
    """Horizontal bars, widest first, each with its count and share of the first bar."""
    top = max((b.value for b in bars), default=0.0) or 1.0
    label_w, left, row_h = 190, 24, 46
    span = WIDTH - left - label_w - 120
    body = [f"<text x='24' y='58' font-size='13' fill='{MUTED}'>{_e(subtitle)}</text>"]
    base = bars[0].value if bars else 0.0
    for i, bar in enumerate(bars):
        y = 84 + i * row_h
        width = max(2.0, span * bar.value / top) if bar.value else 0.0
        share = _pct(bar.value / base) if base else "-"
        tip = f"{bar.label}: {bar.value:.0f} ({share} dari {bars[0].label.lower()})"
        body += [
            f"<text x='{left}' y='{y + 22}' font-size='14' fill='#24292f'>{_e(bar.label)}</text>",
            (
                f"<g><title>{_e(tip)}</title>"
                f"<rect x='{left + label_w}' y='{y + 4}' width='{width:.1f}' height='28' rx='3'"
                f" fill='{PALETTE[i % len(PALETTE)]}'/></g>"
            ),
            (
                f"<text x='{left + label_w + width + 8:.1f}' y='{y + 23}' font-size='14'"
                f" fill='#24292f'>{bar.value:.0f} ({share})</text>"
            ),
        ]
        if bar.note:
            body.append(
                f"<text x='{left + label_w}' y='{y + 44}' font-size='11' fill='{MUTED}'>"
                f"{_e(bar.note)}</text>"
            )
    height = 84 + len(bars) * row_h + 24
    desc = "; ".join(f"{b.label} {b.value:.0f}" for b in bars) or "Tidak ada data"
    return _svg(title, f"{subtitle}. {desc}.", height, body)


@dataclass(frozen=True, slots=True)
class Series:
    """A named line of shares (0-1) over the x labels; None leaves a gap."""

    name: str
    values: Sequence[float | None]


def line_chart(title: str, subtitle: str, x_labels: Sequence[str], series: Sequence[Series]) -> str:
    """Lines of shares (0-100 %) over weeks, with gridlines, axis labels and a legend."""
    left, right, top, bottom = 64, 24, 96, 330
    height = bottom + 70
    span_x = WIDTH - left - right
    n = max(len(x_labels), 1)

    def x(i: int) -> float:
        return left + (span_x * (i + 0.5) / n)

    def y(v: float) -> float:
        return bottom - (bottom - top) * max(0.0, min(1.0, v))

    body = [f"<text x='24' y='58' font-size='13' fill='{MUTED}'>{_e(subtitle)}</text>"]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        body += [
            (
                f"<line x1='{left}' x2='{WIDTH - right}' y1='{y(tick):.1f}' y2='{y(tick):.1f}'"
                " stroke='#d0d7de' stroke-width='1'/>"
            ),
            (
                f"<text x='{left - 8}' y='{y(tick) + 4:.1f}' font-size='12' text-anchor='end'"
                f" fill='{MUTED}'>{tick * 100:.0f}%</text>"
            ),
        ]
    step = max(1, n // 12)
    body += [
        f"<text x='{x(i):.1f}' y='{bottom + 20}' font-size='11' text-anchor='middle'"
        f" fill='{MUTED}'>{_e(label)}</text>"
        for i, label in enumerate(x_labels)
        if i % step == 0
    ]
    for s_index, s in enumerate(series):
        color = PALETTE[s_index % len(PALETTE)]
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
            body.append(
                f"<polyline points='{path}' fill='none' stroke='{color}' stroke-width='2.5'/>"
            )
        body += [
            f"<g><title>{_e(f'{s.name}, {x_labels[i]}: {_pct(v)}')}</title>"
            f"<circle cx='{x(i):.1f}' cy='{y(v):.1f}' r='4' fill='{color}'/></g>"
            for i, v in points
        ]
        lx = left + s_index * 230
        body += [
            f"<rect x='{lx}' y='{bottom + 38}' width='14' height='14' fill='{color}'/>",
            (
                f"<text x='{lx + 20}' y='{bottom + 50}' font-size='13' fill='#24292f'>"
                f"{_e(s.name)}</text>"
            ),
        ]
    last = [
        f"{s.name} {_pct(next((v for v in reversed(s.values) if v is not None), None))}"
        for s in series
    ]
    desc = f"{subtitle}. Minggu terakhir: {', '.join(last)}." if x_labels else "Tidak ada data."
    return _svg(title, desc, height, body)


@dataclass(frozen=True, slots=True)
class Pair:
    """A question's mean before and after (1-5; None when withheld)."""

    label: str
    before: float | None
    after: float | None


def before_after_chart(title: str, subtitle: str, pairs: Sequence[Pair]) -> str:
    """Grouped bars on a 1-5 scale: before vs after, per question."""
    left, top, bottom = 64, 96, 320
    height = bottom + 80
    group_w = (WIDTH - left - 40) / max(len(pairs), 1)
    bar_w = min(70.0, group_w / 3)

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v / 5)

    body = [f"<text x='24' y='58' font-size='13' fill='{MUTED}'>{_e(subtitle)}</text>"]
    for tick in range(6):
        body += [
            (
                f"<line x1='{left}' x2='{WIDTH - 24}' y1='{y(tick):.1f}' y2='{y(tick):.1f}'"
                " stroke='#d0d7de' stroke-width='1'/>"
            ),
            (
                f"<text x='{left - 8}' y='{y(tick) + 4:.1f}' font-size='12' text-anchor='end'"
                f" fill='{MUTED}'>{tick}</text>"
            ),
        ]
    for g, pair in enumerate(pairs):
        gx = left + g * group_w + (group_w - 2 * bar_w - 8) / 2
        for k, (phase, value, color) in enumerate(
            (("Sebelum", pair.before, PALETTE[5]), ("Sesudah", pair.after, PALETTE[0]))
        ):
            bx = gx + k * (bar_w + 8)
            if value is None:
                body.append(
                    f"<text x='{bx + bar_w / 2:.1f}' y='{bottom - 8}' font-size='11'"
                    f" text-anchor='middle' fill='{MUTED}'>disamarkan</text>"
                )
                continue
            body += [
                (
                    f"<g><title>{_e(f'{pair.label}, {phase.lower()}: {value:.2f}')}</title>"
                    f"<rect x='{bx:.1f}' y='{y(value):.1f}' width='{bar_w:.1f}'"
                    f" height='{bottom - y(value):.1f}' fill='{color}'/></g>"
                ),
                (
                    f"<text x='{bx + bar_w / 2:.1f}' y='{y(value) - 6:.1f}' font-size='12'"
                    f" text-anchor='middle' fill='#24292f'>{value:.2f}</text>"
                ),
            ]
        body.append(
            f"<text x='{left + g * group_w + group_w / 2:.1f}' y='{bottom + 22}' font-size='13'"
            f" text-anchor='middle' fill='#24292f'>{_e(pair.label)}</text>"
        )
    for k, (name, color) in enumerate((("Sebelum sesi", PALETTE[5]), ("Sesudah sesi", PALETTE[0]))):
        lx = left + k * 180
        body += [
            f"<rect x='{lx}' y='{bottom + 44}' width='14' height='14' fill='{color}'/>",
            f"<text x='{lx + 20}' y='{bottom + 56}' font-size='13' fill='#24292f'>{name}</text>",
        ]

    def fmt(v: float | None) -> str:
        return "disamarkan" if v is None else f"{v:.2f}"

    desc = "; ".join(f"{p.label}: sebelum {fmt(p.before)}, sesudah {fmt(p.after)}" for p in pairs)
    return _svg(title, f"{subtitle}. {desc}.", height, body)
