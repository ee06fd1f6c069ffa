"""An accessible SVG line chart of cumulative cash by month, one line per payment model.

The SVG has a title and a description that say what it shows in words, each line a label
and a distinct dash pattern (not colour alone), and every point a `<title>` with its value;
pages show the same numbers in a table beside it.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

WIDTH, HEIGHT, PAD = 640, 300, 48
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4", "1 5")


def _scale(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    low, high = min([*values, Decimal(0)]), max([*values, Decimal(0)])
    return low, (high if high != low else low + 1)


def cash_chart(
    title: str, description: str, series: dict[str, list[Decimal]], labels: dict[str, str]
) -> str:
    """The SVG text: `series` maps a model to its cumulative cash by month; `description`
    says in words what it shows (the end values are appended)."""
    every = [v for values in series.values() for v in values]
    months = max((len(v) for v in series.values()), default=0)
    if not every or months == 0:
        return ""
    low, high = _scale(every)
    span_x = Decimal(WIDTH - 2 * PAD) / max(months - 1, 1)
    span_y = Decimal(HEIGHT - 2 * PAD) / (high - low)

    def point(i: int, v: Decimal) -> tuple[int, int]:
        return PAD + int(span_x * i), HEIGHT - PAD - int((v - low) * span_y)

    zero = point(0, Decimal(0))[1]
    ends = ", ".join(f"{labels.get(m, m)} {v[-1]:,.2f}" for m, v in series.items() if v)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="payments-chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(f"{description} {ends}.")}</desc>',
        f'<line x1="{PAD}" y1="{zero}" x2="{WIDTH - PAD}" y2="{zero}" stroke="#555" />',
        f'<text x="4" y="{zero - 4}" font-size="11">0</text>',
    ]
    for n, (model, values) in enumerate(series.items()):
        points = [point(i, v) for i, v in enumerate(values)]
        path = " ".join(f"{x},{y}" for x, y in points)
        dash = DASHES[n % len(DASHES)]
        name = escape(labels.get(model, model))
        parts.append(
            f'<g><title>{name}</title><polyline fill="none" stroke="currentColor" '
            f'stroke-width="2" stroke-dasharray="{dash}" points="{path}" />'
        )
        parts += [
            f'<circle cx="{x}" cy="{y}" r="3"><title>{name}, month {i + 1}: '
            f"{values[i]:,.2f}</title></circle>"
            for i, (x, y) in enumerate(points)
        ]
        x, y = points[-1]
        parts.append(
            f'<text x="{min(x + 4, WIDTH - PAD)}" y="{y}" font-size="11">{name}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
