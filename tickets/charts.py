"""Charts drawn on the server as SVG: the geometry here, the markup in
templates/staff/_partials/chart_*.svg.

Readable without colour: one series per chart (the dashboard shows small charts side by
side rather than one chart of five colours), every bar has its value written beside it or
in its tooltip, and where two kinds of bar share a chart they differ by pattern and carry
their name. The numbers are always in a table below the chart too.
"""

from dataclasses import dataclass, field

WIDTH = 600
LEFT = 34  # room for the axis numbers
TOP = 18  # room for the values above the bars
BOTTOM = 22  # room for the day labels


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    title: str  # the tooltip: "Tue 18 Dec: 3"
    show_value: bool

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass
class ColumnChart:
    """Vertical bars, one per day: a day series."""

    slug: str
    title: str
    total_text: str
    columns: list[Column]
    ticks: list[Tick]
    scale: list[tuple[float, int]]  # (y, value) for the gridlines
    height: int
    width: int = WIDTH
    plot_bottom: float = 0
    left: int = LEFT


def column_chart(
    slug: str, title: str, points: list[tuple[str, str, int]], *, height=150, total_text=""
) -> ColumnChart:
    """`points`: (tooltip label, axis label, value) per bar, in order."""
    plot_height = height - TOP - BOTTOM
    top_value = _nice_ceiling(max((value for _l, _a, value in points), default=0))
    # Room for the longest axis number (about 7 px a digit at the axis's size): at a million
    # tickets, "137678" would otherwise be cut off at the chart's left edge.
    left = max(LEFT, 8 + 7 * len(str(top_value)))
    slot = (WIDTH - left) / max(len(points), 1)
    bar_width = max(slot * 0.7, 1)
    show_values = len(points) <= 31
    columns = []
    for n, (label, _axis, value) in enumerate(points):
        bar_height = plot_height * value / top_value if top_value else 0
        columns.append(
            Column(
                x=round(left + n * slot + (slot - bar_width) / 2, 2),
                y=round(TOP + plot_height - bar_height, 2),
                width=round(bar_width, 2),
                height=round(bar_height, 2),
                value=value,
                title=f"{label}: {value}",
                show_value=show_values,
            )
        )
    # Axis labels: every bar's when few, else about seven spread evenly.
    step = 1 if len(points) <= 8 else max(len(points) // 7, 1)
    ticks = [
        Tick(x=round(left + n * slot + slot / 2, 2), text=axis)
        for n, (_label, axis, _value) in enumerate(points)
        if n % step == 0
    ]
    scale = (
        [
            (round(TOP + plot_height - plot_height * value / top_value, 2), value)
            for value in (0, top_value // 2, top_value)
        ]
        if top_value
        else [(TOP + plot_height, 0)]
    )
    return ColumnChart(
        slug=slug,
        title=title,
        total_text=total_text,
        columns=columns,
        ticks=ticks,
        scale=sorted(set(scale)),
        height=height,
        plot_bottom=TOP + plot_height,
        left=left,
    )


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    value: float
    text: str  # written after the bar: "12" or "67 % (2 of 3)"
    pattern: str  # "solid" or "hatched"
    label: str


@dataclass
class BarGroup:
    label: str
    y: float
    bars: list[Bar]


@dataclass
class BarChart:
    """Horizontal bars, grouped by a label (a plan, an age); one or two bars a group."""

    slug: str
    title: str
    groups: list[BarGroup]
    height: int
    legend: list[tuple[str, str]] = field(default_factory=list)  # (pattern, name)
    width: int = WIDTH
    label_width: int = 150
    bar_height: int = 16
    plot_width: int = 0


def bar_chart(
    slug: str,
    title: str,
    groups: list[tuple[str, list[tuple[str, float, str, str]]]],
    *,
    maximum: float | None = None,
    legend=(),
) -> BarChart:
    """`groups`: (label, [(bar name, value, text, pattern)]). `maximum` fixes the scale
    (100 for percentages); else the largest value fills the width."""
    label_width, bar_height, gap = 130, 16, 4
    plot_width = WIDTH - label_width - 200  # room for the text after the longest bar
    top = maximum or max((v for _l, bars in groups for _n, v, _t, _p in bars), default=0)
    chart_groups, y = [], 6
    for label, bars in groups:
        drawn = []
        for n, (name, value, text, pattern) in enumerate(bars):
            drawn.append(
                Bar(
                    y=y + n * (bar_height + gap),
                    width=round(plot_width * value / top, 2) if top else 0,
                    value=value,
                    text=text,
                    pattern=pattern,
                    label=name,
                )
            )
        chart_groups.append(BarGroup(label=label, y=y, bars=drawn))
        y += len(bars) * (bar_height + gap) + 10
    return BarChart(
        slug=slug,
        title=title,
        groups=chart_groups,
        height=max(y, 30),
        legend=list(legend),
        label_width=label_width,
        bar_height=bar_height,
        plot_width=plot_width,
    )


def _nice_ceiling(value: int) -> int:
    """The axis top: the value rounded up to an even number (so the middle line is whole)."""
    if value <= 0:
        return 0
    return value + (value % 2)
