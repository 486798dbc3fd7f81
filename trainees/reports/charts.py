"""Server-drawn SVG charts (pygal) of breakdown tables: readable without JavaScript.

pygal's interactive script is off (``js=[]``) so nothing is loaded from another site; the
chart carries a title and description and the same numbers are in the table beside it.
pygal writes its style sheet inside each chart, which the Content-Security-Policy forbids:
the charts come without it, and :func:`chart_css` is served as a style sheet of this site.
"""

from __future__ import annotations

import functools
import html
import re

import pygal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#5a6572",
    colors=("#0b4f8a",),
    font_family="system-ui, sans-serif",
)

#: Charts show at most this many rows (the table beside shows all of them).
CHART_ROWS_MAX = 20


_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')


def _chart(height: int):
    return pygal.HorizontalBar(
        style=_STYLE,
        js=[],
        show_legend=False,
        width=640,
        height=height,
        print_values=True,
        print_values_position="top",
        disable_xml_declaration=True,
        explicit_size=False,
        truncate_label=28,
        title=None,
    )


@functools.cache
def chart_css() -> str:
    """pygal's style sheet for our charts, for every chart of a page (class ``pygal-chart``)
    rather than for one chart's id."""
    chart = _chart(160)
    chart.add("", [1])
    svg = chart.render(is_unicode=True)
    css = html.unescape(_STYLE_ELEMENT.search(svg).group(1))
    # The tooltip is hidden by a style attribute, which the charts come without too.
    return (
        css.replace(f"#chart-{chart.uuid}", ".pygal-chart") + "\n.pygal-chart .tooltip{opacity:0}\n"
    )


def breakdown_svg(*, title: str, rows, description: str = "") -> str:
    """An inline ``<svg>`` bar chart of ``rows`` (:class:`Row` list), or "" when empty.
    Styled by :func:`chart_css` (the page links it)."""
    rows = list(rows)[:CHART_ROWS_MAX]
    if not rows:
        return ""
    chart = _chart(max(160, 28 * len(rows) + 80))
    chart.x_labels = [row.label for row in reversed(rows)]
    chart.add(title, [row.count for row in reversed(rows)])
    # pygal still writes its config as an inline script (not needed without its JS) and its
    # style inline (served by chart_css instead).
    svg = re.sub(r"<script[^>]*>.*?</script>", "", chart.render(is_unicode=True), flags=re.S)
    svg = _STYLE_ATTRIBUTE.sub("", _STYLE_ELEMENT.sub("", svg))
    description = description or ", ".join(f"{r.label}: {r.count}" for r in rows)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet" ',
        1,
    )
    # The accessible name and description as the SVG's own first children.
    head_end = svg.index(">") + 1
    svg = (
        svg[:head_end]
        + f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + svg[head_end:]
    )
    return mark_safe(svg)  # noqa: S308 - pygal escapes labels; ours are escaped above
